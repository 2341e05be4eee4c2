import type { Schedule } from '../../schema/campaign'

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(timeZone, f)
  }
  return f
}

const weekdays: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 }

/**
 * The last answer per time zone, for the minute it was computed in: every zone's offset is a whole number of
 * minutes, so within one UTC minute the local day and minute cannot change. formatToParts costs microseconds,
 * and a serve checks dayparting for every campaign.
 */
const lastLocal = new Map<string, { minute: number; day: number; minutes: number }>()

/** Day of week (0 = Sunday) and minutes since midnight of `now` in the schedule's time zone. */
export function localTime(now: number, timeZone: string): { day: number; minutes: number } {
  const minute = Math.floor(now / 60_000)
  const hit = lastLocal.get(timeZone)
  if (hit?.minute === minute) return hit
  const computed = { minute, ...computeLocalTime(now, timeZone) }
  lastLocal.set(timeZone, computed)
  return computed
}

function computeLocalTime(now: number, timeZone: string): { day: number; minutes: number } {
  let day = 0
  let hour = 0
  let minute = 0
  for (const part of formatter(timeZone).formatToParts(now)) {
    if (part.type === 'weekday') day = weekdays[part.value] ?? 0
    else if (part.type === 'hour') hour = Number(part.value)
    else if (part.type === 'minute') minute = Number(part.value)
  }
  return { day, minutes: hour * 60 + minute }
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

/** Whether a campaign may run at `now`: inside [start, end) and, with dayparting, inside one of its windows. */
export function inSchedule(schedule: Schedule, now: number): boolean {
  if (schedule.start && now < Date.parse(schedule.start)) return false
  if (schedule.end && now >= Date.parse(schedule.end)) return false
  if (!schedule.dayparting?.length) return true
  const { day, minutes } = localTime(now, schedule.timezone ?? 'UTC')
  return schedule.dayparting.some((window) => {
    if (!window.days.includes(day)) return false
    const from = toMinutes(window.from)
    const to = toMinutes(window.to)
    // A window like 22:00–02:00 wraps past midnight.
    return from <= to ? minutes >= from && minutes < to : minutes >= from || minutes < to
  })
}
