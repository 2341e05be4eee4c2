import { z } from 'zod'
import { type CampaignType, type Creative, slotName } from './campaign'
import type { RecommendedItem } from './content'
import { limits } from './limits'

const text = (max: number) => z.string().max(max)

export const serveRequest = z.strictObject({
  site: text(limits.id).min(1),
  slots: z.array(slotName).max(limits.slots).default([]),
  context: z
    .strictObject({
      url: text(limits.url).optional(),
      referrer: text(limits.url).optional(),
      title: text(limits.name).optional(),
      language: text(35).optional(),
      pagesThisSession: z.number().int().min(1).max(100_000).optional(),
      screen: z
        .strictObject({ w: z.number().int().min(0).max(100_000), h: z.number().int().min(0).max(100_000) })
        .optional(),
    })
    .default({}),
  anonymousId: text(limits.id).min(1),
  sessionId: text(limits.id).optional(),
  userId: text(limits.id).optional(),
})
export type ServeRequest = z.infer<typeof serveRequest>

export { pageFormats, slotFormats } from './status'

/** One unit to render. `slot` is absent for page-level units (popup, sticky bars). */
export interface Decision {
  slot?: string
  campaignId: string
  variantId: string
  type: CampaignType
  format: string
  creative: Creative
  config: Record<string, unknown>
  clickUrl?: string
  /** The signed click token inside `clickUrl`; absent when the creative has no link. */
  token?: string
  /** A lead form's proof of the visitor it was served to, sent back with the submit (absent for `anonymous`). */
  visitorToken?: string
  /** A traffic campaign's cards: its manual cards in order, or the catalog items recommended to this visitor, best first. */
  items?: RecommendedItem[]
}

export interface ServeResponse {
  decisions: Decision[]
  ttl: number
}

/** The banner formats; hero and inline fill a slot, the others place themselves on the page. */
export const bannerFormats = ['hero', 'inline', 'sticky', 'sticky_top', 'sticky_bottom', 'popup'] as const
