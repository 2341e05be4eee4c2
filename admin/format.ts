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

/** What a value that cannot be computed (no cost to divide by, nothing to divide) shows, instead of a 0. */
export const notAvailable = '—'

const amount = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 })

/** Revenue as sent by the site: its events may carry different currencies, so none is named. */
export function formatAmount(value: number): string {
  return Number.isFinite(value) ? amount.format(value) : '–'
}

/** An amount in a known currency, e.g. a cost per acquisition in the cost's currency. */
export function formatMoney(value: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(value)
  } catch {
    return `${formatAmount(value)} ${currency}`
  }
}

export function formatDecimal(value: number): string {
  return Number.isFinite(value) ? decimal.format(value) : '–'
}

/** Seconds as a reader says them: "42 s", "3 min 5 s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–'
  const whole = Math.round(seconds)
  if (whole < 60) return `${whole} s`
  const rest = whole % 60
  return rest ? `${Math.floor(whole / 60)} min ${rest} s` : `${whole / 60} min`
}
