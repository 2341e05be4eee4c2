import { z } from 'zod'
import { httpUrl } from './campaign'
import { isStorableTime, limits, unstorableTimeMessage } from './limits'

/** Text is rendered as text, so markup is refused rather than shown as tags. */
export const isPlainText = (value: string) => !/<[a-z!/?]/i.test(value)

/** Trimmed, runs of white space (line breaks too) made one space, no markup; empty is null. */
const plain = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'required' : 'must be text') })
    .transform((value) => value.trim().replace(/\s+/g, ' '))
    .pipe(z.string().max(max).refine(isPlainText, 'must be plain text, not HTML'))

const optionalPlain = (max: number) => plain(max).transform((value) => (value === '' ? null : value))

/** An ISO 8601 time with its offset, or a bare date (midnight UTC), as spreadsheets write them. */
const publishedAt = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .refine(isStorableTime, unstorableTimeMessage)

/**
 * One content catalog item as an admin sends it (`PUT /api/v1/content`, one CSV row). The URL is the item's key;
 * the API normalises it (no fragment, no utm_* or ad-click ids), so the same page is one item however linked.
 */
export const contentItemInput = z.strictObject({
  url: httpUrl,
  title: plain(limits.name).pipe(z.string().min(1, 'required')),
  imageUrl: httpUrl.nullish(),
  summary: optionalPlain(limits.summary).nullish(),
  /** Stored in lower case without repeats; recommendations match on them. */
  tags: z
    .array(plain(limits.tag).pipe(z.string().min(1)))
    .max(limits.tags)
    .default([]),
  category: optionalPlain(limits.shortText).nullish(),
  publishedAt: publishedAt.nullish(),
})
export type ContentItemInput = z.infer<typeof contentItemInput>

/**
 * What the SDK puts in a `page` event's props, read from the page's own tags, so the catalog learns the page:
 * `og:title`, `og:image` (absolute), `og:description`, every `article:tag` joined by commas, `article:section`,
 * `article:published_time`, and `<link rel="canonical">`. Without `og_title` the page is not learned (it is
 * still a view).
 */
export const pageContentProps = [
  'og_title',
  'og_image',
  'og_description',
  'article_tag',
  'article_section',
  'article_published_time',
  'canonical',
] as const

/**
 * A rail's card shown to a visitor: one event of this name per card, with the campaign and variant ids and the
 * card's URL in `props.item_url`, counts an impression of that catalog item. Its clicks are counted by the click
 * redirect, whose click event carries the same prop.
 */
export const itemImpressionEvent = 'traffic_promotion_impression'
export const itemUrlProp = 'item_url'

/**
 * A card in a traffic decision (`decision.items`): a catalog item recommended to this visitor, or one of the
 * campaign's manual cards (with its image's alt text and badge, and its description as `summary`).
 */
export interface RecommendedItem {
  url: string
  title: string
  imageUrl?: string
  imageAlt?: string
  summary?: string
  badge?: string
  /** Signed click URL to `url` (with UTM when the campaign appends it); the redirect counts the card's click. */
  clickUrl: string
}
