import { z } from 'zod'
import { httpUrl } from '../../schema/campaign'
import { limits } from '../../schema/limits'

/** Text is plain: it is rendered as text, so markup is refused rather than shown as tags. */
const isPlain = (value: string) => !/<[a-z!/?]/i.test(value)
const text = (max: number) => z.string().trim().max(max).refine(isPlain, 'must be plain text, not HTML')

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM')

function isTimeZone(zone: string): boolean {
  try {
    return Boolean(new Intl.DateTimeFormat('en', { timeZone: zone }))
  } catch {
    return false
  }
}

/** Opening hours: days 0 (Sunday) to 6; a close before open runs past midnight. */
const hours = z.strictObject({
  days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
  open: hhmm,
  close: hhmm,
})

const store = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -'),
  name: text(limits.shortText).min(1),
  address: z.strictObject({
    street: text(200).min(1),
    city: text(100).min(1),
    region: text(100).optional(),
    postalCode: text(20).optional(),
    country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 code like FR'),
  }),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  /** Dialled by click-to-call. */
  phone: z
    .string()
    .regex(/^\+?[0-9(][0-9 ().-]{3,30}$/, 'a phone number like +33 1 23 45 67 89')
    .optional(),
  url: httpUrl.optional(),
  timeZone: z.string().max(64).refine(isTimeZone, 'unknown IANA time zone').optional(),
  hours: z.array(hours).max(28).default([]),
  /** Local inventory: products this store has in stock. */
  inventory: z
    .array(
      z.strictObject({
        productId: text(limits.id).min(1),
        name: text(limits.shortText).min(1),
        quantity: z.number().int().min(0).max(1_000_000),
      }),
    )
    .max(200)
    .default([]),
})

export const localBusinessConfig = z
  .strictObject({
    stores: z.array(store).min(1).max(500),
    /** `approximate`: from the request's network location; `precise`: asks the browser, after a tap. */
    geolocation: z.enum(['approximate', 'precise', 'off']).default('approximate'),
    maxStores: z.number().int().min(1).max(20).default(3),
    radiusKm: z.number().min(1).max(1_000).default(50),
    distanceUnit: z.enum(['km', 'mi']).default('km'),
    actions: z
      .array(z.enum(['directions', 'call', 'website', 'inventory']))
      .min(1)
      .max(4)
      .default(['directions', 'call']),
    mapsProvider: z.enum(['google', 'apple', 'openstreetmap']).default('google'),
  })
  .refine((config) => new Set(config.stores.map((s) => s.id)).size === config.stores.length, {
    message: 'store ids must be unique',
    path: ['stores'],
  })
export type LocalBusinessConfig = z.infer<typeof localBusinessConfig>
export type Store = z.infer<typeof store>
