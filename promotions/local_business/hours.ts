/**
 * Opening hours, answered in the store's own time zone: open now (and until when), or when it opens next.
 * Pure: no clock, no I/O; the instant is handed in. Times are wall-clock times in the store's zone, so a span that
 * crosses a DST change keeps its printed hours (a bar open Saturday 18:00–02:30 closes at 02:30 on the clock, or at
 * 03:00 when the night skips 02:00–03:00).
 */

/** A weekly span: days 0 (Sunday) to 6; a close at or before the open runs past midnight into the next day. */
export interface WeeklySpan {
  days: readonly number[]
  open: string
  close: string
}

/** A date (YYYY-MM-DD, the store's calendar) whose hours replace the week's: `closed`, or its own spans. */
export interface SpecialDay {
  date: string
  closed?: boolean
  spans?: readonly { open: string; close: string }[]
}

export interface OpeningHours {
  timeZone: string
  weekly: readonly WeeklySpan[]
  special?: readonly SpecialDay[]
}

/** A moment on the store's wall clock. */
export interface LocalMoment {
  /** YYYY-MM-DD in the store's zone. */
  date: string
  /** 0 (Sunday) to 6. */
  weekday: number
  /** HH:MM on the store's clock. */
  time: string
}

export type OpenState =
  /** `closesAt` is null when the store stays open through the whole week ahead. */
  | { open: true; closesAt: LocalMoment | null }
  /** `opensAt` is null when no opening is scheduled in the week ahead. */
  | { open: false; opensAt: LocalMoment | null }

const minutesPerDay = 1440
/** How far ahead (days) the next opening or closing is looked for. */
const horizonDays = 8

const hhmm = /^([01]\d|2[0-3]):([0-5]\d)$/
const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/

/** Minutes after midnight for HH:MM, or null when it does not parse. */
export function parseTime(value: string): number | null {
  const match = hhmm.exec(value)
  return match ? Number(match[1]) * 60 + Number(match[2]) : null
}

/** Days since 1970-01-01 for YYYY-MM-DD, or null when it is not a real date. */
export function parseDate(value: string): number | null {
  const match = isoDate.exec(value)
  if (!match) return null
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const ms = Date.UTC(y, m - 1, d)
  const back = new Date(ms)
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return null
  return ms / 86_400_000
}

/** Whether Intl knows the IANA zone. */
export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatterOf(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(zone, formatter)
  }
  return formatter
}

/** The store's wall clock at an instant: days since the epoch (local calendar) and minutes after local midnight. */
export function wallClock(instant: Date, zone: string): { day: number; minute: number } {
  const parts: Record<string, number> = {}
  for (const part of formatterOf(zone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value)
  }
  const day = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1) / 86_400_000
  return { day, minute: ((parts.hour ?? 0) % 24) * 60 + (parts.minute ?? 0) }
}

const pad = (n: number) => String(n).padStart(2, '0')

function momentOf(localMinute: number): LocalMoment {
  const day = Math.floor(localMinute / minutesPerDay)
  const minute = localMinute - day * minutesPerDay
  const date = new Date(day * 86_400_000)
  return {
    date: `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`,
    weekday: date.getUTCDay(),
    time: `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`,
  }
}

/** A day's spans as [start, end) in minutes after that day's midnight; overnight spans end past 1440. */
function spansOf(day: number, hours: OpeningHours, special: Map<number, SpecialDay>): [number, number][] {
  const exception = special.get(day)
  const weekday = new Date(day * 86_400_000).getUTCDay()
  const spans = exception
    ? exception.closed
      ? []
      : (exception.spans ?? [])
    : hours.weekly.filter((span) => span.days.includes(weekday))
  const out: [number, number][] = []
  for (const span of spans) {
    const open = parseTime(span.open)
    const close = parseTime(span.close)
    if (open === null || close === null) continue
    out.push([open, close > open ? close : close + minutesPerDay])
  }
  return out
}

/**
 * Open now, closing when; or closed, opening when. Spans that touch or overlap (Friday 18:00–02:00 and Saturday
 * 00:00–03:00) join into one, so "closes at" is the real closing time.
 */
export function openState(hours: OpeningHours, instant: Date): OpenState {
  const special = new Map<number, SpecialDay>()
  for (const day of hours.special ?? []) {
    const parsed = parseDate(day.date)
    if (parsed !== null) special.set(parsed, day)
  }
  const now = wallClock(instant, hours.timeZone)
  const nowMinute = now.day * minutesPerDay + now.minute
  const intervals: [number, number][] = []
  // Yesterday's overnight span may still be running.
  for (let day = now.day - 1; day <= now.day + horizonDays; day++) {
    for (const [start, end] of spansOf(day, hours, special)) {
      intervals.push([day * minutesPerDay + start, day * minutesPerDay + end])
    }
  }
  intervals.sort((a, b) => a[0] - b[0])
  const merged: [number, number][] = []
  for (const interval of intervals) {
    const last = merged[merged.length - 1]
    if (last && interval[0] <= last[1]) last[1] = Math.max(last[1], interval[1])
    else merged.push([...interval])
  }
  const horizonEnd = (now.day + horizonDays) * minutesPerDay
  for (const [start, end] of merged) {
    if (start <= nowMinute && nowMinute < end) {
      return { open: true, closesAt: end >= horizonEnd ? null : momentOf(end) }
    }
    if (start > nowMinute) return { open: false, opensAt: momentOf(start) }
  }
  return { open: false, opensAt: null }
}

/** Why a set of hours is not usable: the path of the first bad field, or null. */
export function hoursProblem(hours: OpeningHours): { path: (string | number)[]; message: string } | null {
  if (!isTimeZone(hours.timeZone)) return { path: ['timeZone'], message: 'unknown IANA time zone' }
  for (const [i, span] of hours.weekly.entries()) {
    if (span.days.length === 0 || span.days.some((d) => !Number.isInteger(d) || d < 0 || d > 6)) {
      return { path: ['weekly', i, 'days'], message: 'days are 0 (Sunday) to 6' }
    }
    if (parseTime(span.open) === null) return { path: ['weekly', i, 'open'], message: 'must be HH:MM' }
    if (parseTime(span.close) === null) return { path: ['weekly', i, 'close'], message: 'must be HH:MM' }
  }
  for (const [i, day] of (hours.special ?? []).entries()) {
    if (parseDate(day.date) === null) return { path: ['special', i, 'date'], message: 'must be YYYY-MM-DD' }
    for (const [j, span] of (day.spans ?? []).entries()) {
      if (parseTime(span.open) === null)
        return { path: ['special', i, 'spans', j, 'open'], message: 'must be HH:MM' }
      if (parseTime(span.close) === null) {
        return { path: ['special', i, 'spans', j, 'close'], message: 'must be HH:MM' }
      }
    }
  }
  return null
}
