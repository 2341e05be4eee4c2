import { z } from 'zod'
import { audienceExclusions, audienceKind } from '../../schema/audiences'
import type { Frequency } from '../../schema/campaign'
import { bannerFormats } from '../../schema/serve'


export const remarketingConfig = z.strictObject({
  audience: audienceKind,
  /** Who leaves the audience however they match; by default anyone who converted in the last 30 days. */
  exclude: audienceExclusions.default({ convertedWithinDays: 30, segments: [] }),
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
})
export type RemarketingConfig = z.infer<typeof remarketingConfig>

/** The blueprint's cap for remarketing: five in a lifetime, a day apart. */
export const remarketingFrequency: Frequency = { lifetime: 5, minHoursBetween: 24, countOn: 'viewable' }
