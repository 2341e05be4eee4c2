/**
 * Time for the unit: a countdown is to an instant (ms since the epoch), so the visitor's zone and DST never move
 * it; only its display is in a zone. The event card's zone handling is in zones.ts, in the card's own chunk, which
 * is handed `formatTime` (so the two chunks share no module and the unit's stays whole).
 */

/** Days, hours, minutes and seconds left (never below zero). */
export function partsOf(ms: number): [number, number, number, number] {
  const s = Math.max(0, Math.floor(ms / 1000))
  return [Math.floor(s / 86_400), Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60), s % 60]
}

/** An instant as the visitor reads it: in their own zone with its short name, or (`utc`) as UTC wall time. */
export function formatTime(at: number, utc = false): string {
  return new Intl.DateTimeFormat(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    ...(utc ? { timeZone: 'UTC' } : { timeZoneName: 'short' }),
  }).format(at)
}
export type FormatTime = typeof formatTime
