import { z } from 'zod'
import { httpUrl } from '../../schema/campaign'
import { limits } from '../../schema/limits'

/** Text is plain: it is rendered as text, so markup is refused rather than shown as tags. */
const isPlain = (value: string) => !/<[a-z!/?]/i.test(value)
const text = (max: number) => z.string().trim().max(max).refine(isPlain, 'must be plain text, not HTML')

/** One promoted page in a recommendation rail. */
const card = z.strictObject({
  title: text(limits.shortText).min(1),
  description: text(300).optional(),
  url: httpUrl,
  imageUrl: httpUrl.optional(),
  imageAlt: text(limits.shortText).optional(),
  /** "New", "Trending", "Popular"… */
  badge: text(24).optional(),
  /** Its tags when cards are scored: matched against the tags of the pages the visitor read lately. */
  topics: z.array(text(64).min(1)).max(20).default([]),
  /** Newer cards get the recency boost. */
  publishedAt: z.iso.datetime({ offset: true }).optional(),
})

/** How cards are ranked per visitor: relevance + CTR × ctrWeight + recency boost, × penalty if seen alike. */
const scoring = z.strictObject({
  ctrWeight: z.number().min(0).max(100).default(10),
  recencyDays: z.number().int().min(0).max(365).default(7),
  recencyBoostPerDay: z.number().min(0).max(10).default(0.5),
  seenPenalty: z.number().min(0).max(1).default(0.5),
})

export const trafficConfig = z.strictObject({
  /** Where a click goes; without it, the variant's ctaUrl. */
  destinationUrl: httpUrl.optional(),
  destinationType: z
    .enum(['landing_page', 'article', 'product', 'resource', 'webinar', 'other'])
    .default('landing_page'),
  /** The kinds of surface the card suits; the slots themselves are the campaign's `placements`. */
  placements: z
    .array(z.enum(['inline', 'sidebar', 'recommendation']))
    .min(1)
    .max(3)
    .default(['inline']),
  optimizationGoal: z.enum(['clicks', 'landing_page_views', 'engaged_sessions']).default('clicks'),
  layout: z.enum(['grid', 'carousel', 'list']).default('grid'),
  heading: text(limits.shortText).default('You might also like'),
  /** How many cards a rail shows at most. */
  maxCards: z.number().int().min(1).max(12).default(3),
  cards: z.array(card).max(50).default([]),
  scoring: scoring.prefault({}),
  openInNewTab: z.boolean().default(false),
  /**
   * Adds utm_source=promo, utm_medium=onsite and utm_campaign to each card's link (where the link sets none),
   * so the site's own analytics see where the visit came from; on unless turned off.
   */
  appendUtm: z.boolean().default(true),
})
export type TrafficConfig = z.infer<typeof trafficConfig>
