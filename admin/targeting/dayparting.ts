import type { Schedule } from '../../schema/campaign'

export type Window = NonNullable<Schedule['dayparting']>[number]

/** The schema's limit on windows. */
export const maxWindows = 28

/** Days as the schema numbers them (0 = Sunday), in the order the grid shows them: Monday first. */
export const gridDays = [1, 2, 3, 4, 5, 6, 0] as const
export const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

/** `grid[day][hour]`: whether the campaign runs in that hour of that day (day 0 = Sunday). */
export type HourGrid = boolean[][]

export const emptyGrid = (): HourGrid => Array.from({ length: 7 }, () => new Array<boolean>(24).fill(false))

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))
const hhmm = (hour: number) => `${String(hour % 24).padStart(2, '0')}:00`

/**
 * The grid for a schedule's windows. Windows run from `from` up to `to` on each of their days, wrapping past
 * midnight when `to` is earlier (the engine's rule, api/core/schedule.ts). `exact` is false when a window
 * starts or ends off the hour, which the grid cannot show.
 */
export function gridFrom(windows: readonly Window[] | undefined): { grid: HourGrid; exact: boolean } {
  const grid = emptyGrid()
  let exact = true
  for (const window of windows ?? []) {
    const from = minutesOf(window.from)
    const to = minutesOf(window.to)
    if (from % 60 !== 0 || to % 60 !== 0) exact = false
    const hours: number[] = []
    if (from < to) for (let h = Math.floor(from / 60); h < Math.ceil(to / 60); h += 1) hours.push(h)
    else if (from > to) {
      for (let h = Math.floor(from / 60); h < 24; h += 1) hours.push(h)
      for (let h = 0; h < Math.ceil(to / 60); h += 1) hours.push(h)
    }
    for (const day of window.days) for (const hour of hours) if (grid[day]) grid[day][hour] = true
  }
  return { grid, exact }
}

/** A day's runs of chosen hours, as [first hour, hour after the last]. */
function runsOf(hours: readonly boolean[]): [number, number][] {
  const runs: [number, number][] = []
  let start = -1
  for (let hour = 0; hour <= 24; hour += 1) {
    const on = hour < 24 && hours[hour] === true
    if (on && start < 0) start = hour
    if (!on && start >= 0) {
      runs.push([start, hour])
      start = -1
    }
  }
  return runs
}

/**
 * The fewest-windows reading of the grid: each day's runs of hours, days with the same run sharing a window.
 * A run to midnight ends at `00:00` (the wrap); a whole day is 00:00–12:00 and 12:00–00:00, since a window from
 * a time to itself is empty. No hour chosen, or every hour of every day, is no dayparting: it always runs.
 */
export function windowsFrom(grid: HourGrid): Window[] | undefined {
  const cells = grid.flat()
  if (cells.every((on) => !on) || cells.every(Boolean)) return undefined
  const byRun = new Map<string, Window>()
  for (let day = 0; day < 7; day += 1) {
    for (const [start, end] of runsOf(grid[day] ?? [])) {
      const pieces: [number, number][] =
        start === 0 && end === 24
          ? [
              [0, 12],
              [12, 24],
            ]
          : [[start, end]]
      for (const [from, to] of pieces) {
        const key = `${from}-${to}`
        const window = byRun.get(key)
        if (window) window.days.push(day)
        else byRun.set(key, { days: [day], from: hhmm(from), to: hhmm(to) })
      }
    }
  }
  return [...byRun.values()].sort((a, b) => a.from.localeCompare(b.from) || a.days[0]! - b.days[0]!)
}

/** Every IANA time zone the browser knows, or undefined where it cannot list them. */
export function timeZones(): string[] | undefined {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] }
  try {
    return intl.supportedValuesOf?.('timeZone')
  } catch {
    return undefined
  }
}

/** "Monday to Friday, 09:00–17:00" for each window, for the sentence under the grid. */
export function windowsSentence(windows: readonly Window[] | undefined): string {
  if (!windows?.length) return 'Runs at every hour of every day.'
  const days = (list: readonly number[]) => {
    const ordered = gridDays.filter((day) => list.includes(day))
    const positions = ordered.map((day) => gridDays.indexOf(day))
    const consecutive = positions.every((position, i) => i === 0 || position === positions[i - 1]! + 1)
    if (ordered.length > 2 && consecutive)
      return `${dayNames[ordered[0]!]} to ${dayNames[ordered[ordered.length - 1]!]}`
    return ordered.map((day) => dayNames[day]).join(', ')
  }
  return `Runs ${windows.map((w) => `${days(w.days)} ${w.from}–${w.to === '00:00' ? '24:00' : w.to}`).join('; ')}.`
}
