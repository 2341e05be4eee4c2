import { z } from 'zod'
import { httpUrl } from '../../schema/campaign'
import { limits } from '../../schema/limits'
import { bannerFormats } from '../../schema/serve'
import { triggerSchema } from '../../schema/trigger'

/** Text is plain: it is rendered as text, so markup is refused rather than shown as tags. */
const isPlain = (value: string) => !/<[a-z!/?]/i.test(value)
const text = (max: number) => z.string().trim().max(max).refine(isPlain, 'must be plain text, not HTML')

const money = z.number().min(0).max(1_000_000_000)
const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code like EUR')
/** A catalogue id, matched against the `content_ids` of ViewContent, AddToCart and Purchase events. */
const catalogId = text(limits.id).min(1)

/** Where the nudge appears: a product promo anywhere, or a nudge tied to the cart and checkout. */
export const salesNudges = [
  'product_promo',
  'cart_reminder',
  'checkout',
  'upsell',
  'cross_sell',
  'free_shipping',
] as const

const product = z.strictObject({
  id: catalogId,
  name: text(limits.shortText).min(1),
  url: httpUrl,
  imageUrl: httpUrl.optional(),
  price: money.optional(),
  /** The struck-through price. */
  compareAtPrice: money.optional(),
})

const discount = z
  .strictObject({
    type: z.enum(['percentage', 'fixed_amount', 'free_shipping']),
    value: money.default(0),
  })
  .refine((d) => d.type !== 'percentage' || (d.value > 0 && d.value <= 100), {
    message: 'a percentage is above 0 and at most 100',
    path: ['value'],
  })
  .refine((d) => d.type !== 'fixed_amount' || d.value > 0, { message: 'must be above 0', path: ['value'] })

export const salesConfig = z
  .strictObject({
    nudge: z.enum(salesNudges).default('product_promo'),
    /** Where the unit goes: a slot (`inline`, `hero`) or the page (a bar, a popup; with an `exit` trigger, an exit-intent offer). */
    format: z.enum(bannerFormats).default('inline'),
    /** When a page-level unit (a bar, a popup) appears: `exit` with a popup is an exit-intent offer. */
    trigger: triggerSchema.default({ on: 'load' }),
    /** Products shown by the unit. */
    products: z.array(product).max(24).default([]),
    /** Products and categories the campaign is about: upsells and cart nudges trigger on them. */
    productIds: z.array(catalogId).max(500).default([]),
    categoryIds: z.array(catalogId).max(100).default([]),
    discount: discount.optional(),
    /** Codes shown (the first) and matched on Purchase events' `coupon` for promo-code use. */
    promoCodes: z
      .array(z.string().regex(/^[A-Za-z0-9_-]{1,50}$/, 'letters, digits, _ and - (at most 50)'))
      .max(20)
      .default([]),
    /** Cart total that unlocks free shipping, for the `free_shipping` nudge ("€12 away from free shipping"). */
    freeShippingThreshold: money.optional(),
    /**
     * "14 bought today": each product's stored purchases over the last `windowHours`, shown only when at least
     * `minimum` (a count below it is hidden, never rounded up). Absent: no social proof.
     */
    socialProof: z
      .strictObject({
        minimum: z.number().int().min(1).max(100_000).default(5),
        windowHours: z.number().int().min(1).max(720).default(24),
      })
      .optional(),
    currency: currency.default('USD'),
    optimizationGoal: z.enum(['purchase', 'add_to_cart', 'initiate_checkout', 'revenue']).default('purchase'),
    /** Spend figures, for ROAS and CPA. */
    dailyBudget: money.optional(),
    targetRoas: z.number().min(0).max(1_000).optional(),
  })
  .refine((config) => config.nudge !== 'free_shipping' || config.freeShippingThreshold !== undefined, {
    message: 'the free_shipping nudge needs a threshold',
    path: ['freeShippingThreshold'],
  })
export type SalesConfig = z.infer<typeof salesConfig>
