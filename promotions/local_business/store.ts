import { z } from 'zod'
import { httpUrl } from '../../schema/campaign'
import { limits } from '../../schema/limits'
import { isTimeZone, parseDate, parseTime } from './hours'

/** Text is plain: it is rendered as text, so markup is refused rather than shown as tags. */
const isPlain = (value: string) => !/<[a-z!/?]/i.test(value)
export const plainText = (max: number) =>
  z.string().trim().max(max).refine(isPlain, 'must be plain text, not HTML')

const hhmm = z.string().refine((value) => parseTime(value) !== null, 'must be HH:MM (00:00 to 23:59)')

/** A weekly span: days 0 (Sunday) to 6; a close at or before the open runs past midnight. */
export const weeklySpan = z.strictObject({
  days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
  open: hhmm,
  close: hhmm,
})

export const specialDay = z.strictObject({
  date: z.string().refine((value) => parseDate(value) !== null, 'must be a real date, YYYY-MM-DD'),
  closed: z.boolean().optional(),
  spans: z
    .array(z.strictObject({ open: hhmm, close: hhmm }))
    .max(4)
    .optional(),
})

/** A store code the site chooses (its own reference): letters, digits, _ and -. */
export const storeRef = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64')
export const sku = z.string().regex(/^[A-Za-z0-9._:/-]{1,64}$/, 'letters, digits and . _ : / -, at most 64')

/** A store as the admin API and CSV import take it; `ref` is the key an upsert matches on. */
export const storeInput = z.strictObject({
  ref: storeRef,
  name: plainText(limits.shortText).min(1),
  street: plainText(200).min(1),
  city: plainText(100).min(1),
  region: plainText(100).optional(),
  postalCode: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9 -]{2,12}$/, 'letters, digits, spaces and -, 2 to 12')
    .optional(),
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 code like FR'),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  /** Dialled by click-to-call. */
  phone: z
    .string()
    .regex(/^\+?[0-9(][0-9 ().-]{3,30}$/, 'a phone number like +33 1 23 45 67 89')
    .optional(),
  url: httpUrl.optional(),
  timeZone: z.string().max(64).refine(isTimeZone, 'unknown IANA time zone'),
  hours: z.array(weeklySpan).max(28).default([]),
  specialDays: z
    .array(specialDay)
    .max(366)
    .default([])
    .refine((days) => new Set(days.map((d) => d.date)).size === days.length, 'a date appears twice'),
  services: z.array(plainText(40).min(1)).max(20).default([]),
  /** Local inventory: units in stock by SKU. */
  inventory: z.record(sku, z.number().int().min(0).max(1_000_000)).default({}),
})
export type StoreInput = z.infer<typeof storeInput>

/** The store as the admin API answers it. */
export const storeAnswer = storeInput.extend({
  id: z.uuid(),
  siteId: z.uuid(),
  createdAt: z.string(),
  updatedAt: z.string(),
})

const dayNames = ['su', 'mo', 'tu', 'we', 'th', 'fr', 'sa'] as const

/**
 * Hours as one spreadsheet cell, spans separated by `;`: `Mo-Fr 09:00-18:00; Sa 10:00-13:00; Fr 18:00-02:00`
 * (days as a range `Mo-Fr`, a list `Mo,We` or one day). Null with the reason when a part does not parse.
 */
export function parseHoursText(text: string): { spans: z.infer<typeof weeklySpan>[] } | { error: string } {
  const spans: z.infer<typeof weeklySpan>[] = []
  for (const part of text.split(';')) {
    const item = part.trim()
    if (!item) continue
    const match = /^([A-Za-z,-]+)\s+(\d{2}:\d{2})\s*-\s*(\d{2}:\d{2})$/.exec(item)
    if (!match) return { error: `"${item.slice(0, 40)}" is not like "Mo-Fr 09:00-18:00"` }
    const days = new Set<number>()
    for (const piece of match[1]!.toLowerCase().split(',')) {
      const [from, to] = piece.split('-')
      const a = dayNames.indexOf(from as (typeof dayNames)[number])
      const b = to === undefined ? a : dayNames.indexOf(to as (typeof dayNames)[number])
      if (a < 0 || b < 0) return { error: `"${piece.slice(0, 20)}": days are Mo Tu We Th Fr Sa Su` }
      for (let d = a; ; d = (d + 1) % 7) {
        days.add(d)
        if (d === b) break
      }
    }
    const [open, close] = [match[2]!, match[3]!]
    if (parseTime(open) === null || parseTime(close) === null) {
      return { error: `"${item.slice(0, 40)}": times are 00:00 to 23:59` }
    }
    spans.push({ days: [...days].sort(), open, close })
  }
  return { spans }
}

const title = (day: number) => `${dayNames[day]![0]!.toUpperCase()}${dayNames[day]![1]}`

export function hoursText(spans: readonly z.infer<typeof weeklySpan>[]): string {
  return spans.map((span) => `${span.days.map(title).join(',')} ${span.open}-${span.close}`).join('; ')
}

/** Special days as one cell: `2026-12-25 closed; 2026-12-24 09:00-16:00`. */
export function parseSpecialText(text: string): { days: z.infer<typeof specialDay>[] } | { error: string } {
  const byDate = new Map<string, z.infer<typeof specialDay>>()
  for (const part of text.split(';')) {
    const item = part.trim()
    if (!item) continue
    const match = /^(\d{4}-\d{2}-\d{2})\s+(?:(closed)|(\d{2}:\d{2})\s*-\s*(\d{2}:\d{2}))$/i.exec(item)
    if (!match || parseDate(match[1]!) === null) {
      return { error: `"${item.slice(0, 40)}" is not like "2026-12-25 closed" or "2026-12-24 09:00-16:00"` }
    }
    const date = match[1]!
    if (match[2]) {
      byDate.set(date, { date, closed: true })
      continue
    }
    const [open, close] = [match[3]!, match[4]!]
    if (parseTime(open) === null || parseTime(close) === null) {
      return { error: `"${item.slice(0, 40)}": times are 00:00 to 23:59` }
    }
    const day = byDate.get(date) ?? { date, spans: [] }
    if (day.closed) return { error: `${date} is both closed and open` }
    day.spans!.push({ open, close })
    byDate.set(date, day)
  }
  return { days: [...byDate.values()] }
}

export function specialText(days: readonly z.infer<typeof specialDay>[]): string {
  return days
    .flatMap((day) =>
      day.closed ? [`${day.date} closed`] : (day.spans ?? []).map((s) => `${day.date} ${s.open}-${s.close}`),
    )
    .join('; ')
}
