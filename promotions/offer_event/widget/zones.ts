import type { FormatTime } from './time'

/** The offset in minutes an ISO time was written with (`+01:00` → 60, `Z` → 0): the event's own zone. */
export function offsetOf(iso: string): number {
  const m = /([+-])(\d\d):?(\d\d)$/.exec(iso)
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0
}

/** An ISO time as written (in its own offset), labelled with that offset: `Sun, Dec 20, 06:00 PM (UTC+01:00)`. */
export function eventTime(iso: string, format: FormatTime): string {
  const offset = offsetOf(iso)
  const a = Math.abs(offset)
  const pad = (n: number) => String(n).padStart(2, '0')
  const shown = format(Date.parse(iso) + offset * 60_000, true)
  return `${shown} (UTC${offset < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)})`
}

/** Whether the visitor's zone is at another offset than the event's at that instant (so both are shown). */
export const otherZone = (iso: string) => -new Date(Date.parse(iso)).getTimezoneOffset() !== offsetOf(iso)
