import { z } from 'zod'
import { audienceExclusions, audienceKind } from '../../schema/audiences'
import type { Frequency } from '../../schema/campaign'
import { isPlainText } from '../../schema/content'
import { isStorableText, limits, unstorableMessage } from '../../schema/limits'
import { bannerFormats } from '../../schema/serve'

/** Text is plain: it is rendered as text, so markup is refused rather than shown as tags. */
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine(isPlainText, 'must be plain text, not HTML')
    .refine(isStorableText, unstorableMessage)

/** The most days message 2 may wait after message 1. */
export const maxSequenceDays = 90

/**
 * Message 2 of the sequence: shown instead of the variant's own creative (message 1) once `afterDays` have passed
 * since the visitor's first impression of the campaign without a conversion. The link stays the variant's.
 */
export const sequenceMessage = z.strictObject({
  afterDays: z.number().int().min(1).max(maxSequenceDays),
  headline: text(limits.shortText).min(1),
  body: text(500).optional(),
  ctaText: text(40).optional(),
})
export type SequenceMessage = z.infer<typeof sequenceMessage>

export const remarketingConfig = z.strictObject({
  audience: audienceKind,
  /**
   * Who leaves the audience however they match: converters of the last N days, members of other segments. None by
   * default: cart abandoners and viewers already leave when they buy, and past buyers are buyers.
   */
  exclude: audienceExclusions.default({ segments: [] }),
  format: z.enum(bannerFormats).default('popup'),
  dismissible: z.boolean().default(true),
  /** Shows the very products the visitor viewed or left in the cart. */
  dynamicContent: z.boolean().default(false),
  maxProducts: z.number().int().min(1).max(10).default(3),
  incentive: z
    .strictObject({
      type: z.enum(['percentage', 'fixed_amount', 'free_shipping']),
      value: z.number().min(0).max(1_000_000).default(0),
      /** The incentive's amounts, and the currency its codes are redeemed in. */
      currency: z
        .string()
        .regex(/^[A-Z]{3}$/, 'an ISO 4217 code like EUR')
        .default('USD'),
      /** One code for everyone, shown as it is. */
      promoCode: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,50}$/, 'letters, digits, _ and - (at most 50)')
        .optional(),
      /**
       * Each member gets a code of their own from the campaign's codes (the admin's Promo codes screen: a pool of
       * unique codes), revealed on request and the same on every reveal.
       */
      uniqueCodes: z.boolean().default(false),
    })
    .refine((i) => i.type !== 'percentage' || i.value <= 100, { message: 'at most 100', path: ['value'] })
    .refine((i) => !(i.uniqueCodes && i.promoCode !== undefined), {
      message: 'either a shared promo code or unique codes, not both',
      path: ['promoCode'],
    })
    .optional(),
  /** Message 2, after message 1 (the variant's creative) has had `afterDays` without a conversion. */
  sequence: sequenceMessage.optional(),
})
export type RemarketingConfig = z.infer<typeof remarketingConfig>

/** The blueprint's cap for remarketing: five in a lifetime, a day apart. */
export const remarketingFrequency: Frequency = { lifetime: 5, minHoursBetween: 24, countOn: 'viewable' }
