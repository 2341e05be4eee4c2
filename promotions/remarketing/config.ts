import { z } from 'zod'
import type { Frequency } from '../../schema/campaign'
import { limits } from '../../schema/limits'
import { bannerFormats } from '../../schema/serve'

/** Text is plain: it is rendered as text, so markup is refused rather than shown as tags. */
const isPlain = (value: string) => !/<[a-z!/?]/i.test(value)
const text = (max: number) => z.string().trim().max(max).refine(isPlain, 'must be plain text, not HTML')

const days = (fallback: number) => z.number().int().min(1).max(540).default(fallback)
const productIds = z.array(text(limits.id).min(1)).max(500).default([])

/** Who sees the campaign, from the site's own first-party events; converters drop out unless kept. */
const audience = z.discriminatedUnion('kind', [
  /** Added to cart (optionally worth at least minCartValue) and did not buy within lookbackDays. */
  z.strictObject({
    kind: z.literal('cart_abandoners'),
    lookbackDays: days(7),
    minCartValue: z.number().min(0).max(1_000_000_000).optional(),
  }),
  /** Viewed (any of) productIds at least minViews times, without buying. */
  z.strictObject({
    kind: z.literal('viewers'),
    lookbackDays: days(30),
    productIds,
    minViews: z.number().int().min(1).max(100).default(1),
  }),
  z.strictObject({
    kind: z.literal('past_buyers'),
    lookbackDays: days(180),
    productIds,
    minOrders: z.number().int().min(1).max(1_000).default(1),
  }),
  /** Visited before, not seen for inactiveDays. */
  z.strictObject({
    kind: z.literal('lapsed'),
    inactiveDays: days(30),
    buyersOnly: z.boolean().default(false),
  }),
  /** An audience defined under /api/v1/audiences. */
  z.strictObject({ kind: z.literal('saved'), audienceId: z.uuid() }),
])

export const remarketingConfig = z.strictObject({
  audience,
  excludeConverters: z.boolean().default(true),
  format: z.enum(bannerFormats).default('popup'),
  dismissible: z.boolean().default(true),
  /** Shows the very products the visitor viewed or left in the cart. */
  dynamicContent: z.boolean().default(false),
  maxProducts: z.number().int().min(1).max(10).default(3),
  incentive: z
    .strictObject({
      type: z.enum(['percentage', 'fixed_amount', 'free_shipping']),
      value: z.number().min(0).max(1_000_000).default(0),
      promoCode: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,50}$/, 'letters, digits, _ and - (at most 50)')
        .optional(),
    })
    .refine((i) => i.type !== 'percentage' || i.value <= 100, { message: 'at most 100', path: ['value'] })
    .optional(),
  /** Share of the audience held back (shown nothing) so recovery and revenue are measured as increments. */
  holdoutPercent: z.number().min(0).max(50).default(10),
})
export type RemarketingConfig = z.infer<typeof remarketingConfig>
export type RemarketingAudience = z.infer<typeof audience>

/** The blueprint's cap for remarketing: five in a lifetime, a day apart. */
export const remarketingFrequency: Frequency = { lifetime: 5, minHoursBetween: 24, countOn: 'viewable' }
