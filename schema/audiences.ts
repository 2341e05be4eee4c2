import { z } from 'zod'
import { isPlainText } from './content'
import { limits } from './limits'
import { segmentKey } from './targeting'

/**
 * Audiences that follow time: who is in one depends on stored events and on the clock ("no purchase for 30
 * days"), so membership is kept as entries and exits and recomputed when a visitor's events arrive and on a
 * schedule. A member carries the audience's key among its profile's segments, which is how serve targets it.
 */

const days = (fallback: number) => z.number().int().min(1).max(540).default(fallback)
const productIds = z
  .array(z.string().trim().min(1).max(limits.id).refine(isPlainText, 'must be plain text, not HTML'))
  .max(500)
  .default([])

/** The kinds of audience built from the site's own first-party events. */
export const audienceKind = z.discriminatedUnion('kind', [
  /** Added to cart (optionally worth at least minCartValue) and did not buy within lookbackDays. */
  z.strictObject({
    kind: z.literal('cart_abandoners'),
    lookbackDays: days(7),
    minCartValue: z.number().min(0).max(1_000_000_000).optional(),
  }),
  /** Viewed (any of) productIds at least minViews times within lookbackDays, without buying. */
  z.strictObject({
    kind: z.literal('viewers'),
    lookbackDays: days(30),
    productIds,
    minViews: z.number().int().min(1).max(100).default(1),
  }),
  /** Bought (any of) productIds at least minOrders times within lookbackDays. */
  z.strictObject({
    kind: z.literal('past_buyers'),
    lookbackDays: days(180),
    productIds,
    minOrders: z.number().int().min(1).max(1_000).default(1),
  }),
  /** Visited before and not seen for inactiveDays (optionally only past buyers). */
  z.strictObject({
    kind: z.literal('lapsed'),
    inactiveDays: days(30),
    buyersOnly: z.boolean().default(false),
  }),
  /** An audience saved under /api/v1/audiences (a segment of the same site). */
  z.strictObject({ kind: z.literal('saved'), audienceId: z.uuid() }),
])
export type AudienceKind = z.infer<typeof audienceKind>

/** Who leaves an audience however they match: recent converters and members of other audiences. */
export const audienceExclusions = z.strictObject({
  /** Anyone with a conversion (Purchase and the other standard conversions) in the last N days. */
  convertedWithinDays: z.number().int().min(1).max(540).optional(),
  /** Anyone carrying one of these segment keys (built-in, saved, or another campaign's audience). */
  segments: z.array(segmentKey).max(20).default([]),
})
export type AudienceExclusions = z.infer<typeof audienceExclusions>

/** What a campaign asks the audience engine to keep for it: a kind and the exclusions on top. */
export interface CampaignAudience {
  audience: AudienceKind
  exclude: AudienceExclusions
}

/**
 * The segment key a campaign's own audience gives its members: `c_` and the campaign id's 32 hex digits, so it
 * never collides with a saved audience's key (those start with a letter and an admin chooses them).
 */
export const campaignAudienceKey = (campaignId: string) => `c_${campaignId.replace(/-/g, '').toLowerCase()}`
