import { z } from 'zod'
import { httpUrl } from '../../schema/campaign'
import { limits } from '../../schema/limits'
import { bannerFormats } from '../../schema/serve'

/** Text is plain: it is rendered as text, so markup is refused rather than shown as tags. */
const isPlain = (value: string) => !/<[a-z!/?]/i.test(value)
const text = (max: number) => z.string().trim().max(max).refine(isPlain, 'must be plain text, not HTML')

const instant = z.iso.datetime({ offset: true })
const isBefore = (a: string, b: string) => Date.parse(a) < Date.parse(b)

/**
 * A countdown to one instant for everyone (`endsAt`, with its offset: an instant, so time zones and DST never
 * move it), or an evergreen one per visitor (`evergreenHours` from their first view of the campaign). Either
 * way the server stops serving the unit once the visitor's deadline has passed (server/countdown.ts).
 */
const countdown = z
  .strictObject({
    endsAt: instant.optional(),
    evergreenHours: z
      .number()
      .gt(0)
      .max(24 * 90)
      .optional(),
    /** Shown in place of the clock when it reaches zero on a page that still has the unit; without it the unit hides. */
    endedText: text(limits.shortText).optional(),
  })
  .refine((c) => (c.endsAt === undefined) !== (c.evergreenHours === undefined), {
    message: 'give either endsAt or evergreenHours',
    path: ['endsAt'],
  })

const event = z
  .strictObject({
    startsAt: instant,
    endsAt: instant.optional(),
    isVirtual: z.boolean().default(false),
    venue: z
      .strictObject({
        name: text(limits.shortText).min(1),
        address: text(300).optional(),
        city: text(100).optional(),
        country: z
          .string()
          .regex(/^[A-Z]{2}$/, 'an ISO 3166 code like FR')
          .optional(),
      })
      .optional(),
    /** The stream or meeting link of a virtual event. */
    onlineUrl: httpUrl.optional(),
    /** Confirmed seats never exceed it; later RSVPs are waitlisted, or refused without a waitlist. */
    capacity: z.number().int().min(1).max(1_000_000).optional(),
    rsvp: z.boolean().default(true),
    waitlist: z.boolean().default(true),
    rsvpClosesAt: instant.optional(),
  })
  .refine((e) => !e.endsAt || isBefore(e.startsAt, e.endsAt), {
    message: 'must be after startsAt',
    path: ['endsAt'],
  })
  .refine((e) => e.isVirtual || e.venue, { message: 'an in-person event needs a venue', path: ['venue'] })

export const offerEventConfig = z
  .strictObject({
    kind: z.enum(['flash_sale', 'holiday', 'launch', 'seasonal', 'event']).default('flash_sale'),
    format: z.enum(bannerFormats).default('sticky_top'),
    dismissible: z.boolean().default(true),
    countdown: countdown.optional(),
    event: event.optional(),
    offer: z
      .strictObject({
        discountPercent: z.number().gt(0).max(100).optional(),
        promoCode: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,50}$/, 'letters, digits, _ and - (at most 50)')
          .optional(),
        terms: text(limits.text).optional(),
        /**
         * A flash sale's stock: `total` units, less the live redemptions of `promoCode` (the site's sales code of
         * that name). The decision carries `remaining`; at 0 the server stops serving the unit.
         */
        stock: z.strictObject({ total: z.number().int().min(1).max(1_000_000) }).optional(),
      })
      .refine((offer) => !offer.stock || offer.promoCode, {
        message: 'stock is counted by redemptions of the promoCode: give one',
        path: ['stock'],
      })
      .optional(),
  })
  .refine((config) => config.countdown || config.event, {
    message: 'give a countdown, an event or both',
    path: ['countdown'],
  })
  .refine((config) => config.kind !== 'event' || config.event, {
    message: 'an event campaign needs its event',
    path: ['event'],
  })
export type OfferEventConfig = z.infer<typeof offerEventConfig>
