/**
 * Time for the widget: a countdown is to an instant (ms since the epoch), so the visitor's zone and DST never
 * move it; only its display is in a zone. The event's own zone is the offset its times were written with.
 */

/** Days, hours, minutes and seconds left (never below zero). */
export function partsOf(ms: number): [number, number, number, number] {
  const s = Math.max(0, Math.floor(ms / 1000))
  return [Math.floor(s / 86_400), Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60), s % 60]
}

/** The offset in minutes an ISO time was written with (`+01:00` → 60, `Z` → 0). */
export function offsetOf(iso: string): number {
  const m = /([+-])(\d\d):?(\d\d)$/.exec(iso)
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0
}

const fields: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
}

/** An instant in the visitor's own zone, with the zone's short name. */
export const visitorTime = (at: number) =>
  new Intl.DateTimeFormat(undefined, { ...fields, timeZoneName: 'short' }).format(at)

/** An ISO time as written (in its own offset), labelled with that offset: `Sat 20 Dec, 18:00 (UTC+01:00)`. */
export function eventTime(iso: string): string {
  const offset = offsetOf(iso)
  const shown = new Intl.DateTimeFormat(undefined, { ...fields, timeZone: 'UTC' }).format(
    Date.parse(iso) + offset * 60_000,
  )
  const a = Math.abs(offset)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${shown} (UTC${offset < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)})`
}

/** Whether the visitor's zone is at another offset than the event's at that instant (so both are shown). */
export const otherZone = (iso: string) => -new Date(Date.parse(iso)).getTimezoneOffset() !== offsetOf(iso)
