const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' })
const count = new Intl.NumberFormat()
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 2 })

function valid(iso: string): Date | undefined {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? undefined : date
}

export function formatDateTime(iso: string): string {
  const date = valid(iso)
  return date ? dateTime.format(date) : iso
}

/** A series bucket's day; buckets are UTC days, so they are shown as such. */
export function formatDay(iso: string): string {
  const date = valid(iso)
  return date ? day.format(date) : iso
}

export function formatCount(value: number): string {
  return Number.isFinite(value) ? count.format(value) : '–'
}

/** Rates arrive as fractions (0.034 is 3.4%). */
export function formatRate(value: number): string {
  return Number.isFinite(value) ? percent.format(value) : '–'
}
