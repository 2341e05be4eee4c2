import type { Decision } from '../../../schema/serve'
import type { TrafficConfig } from '../../../schema/types/traffic'
import { httpUrl } from '../../kit/http-url'

/** One card of a rail, from a recommended catalog item or from the campaign's own cards. */
export interface RailCard {
  /** The page the card promotes: its impressions' `item_url`, and where its click lands. */
  url: string
  /** What the link opens: an item's signed click URL (kept exactly as served), or a manual card's own URL. */
  href: string
  title: string
  summary?: string
  imageUrl?: string
  imageAlt?: string
  badge?: string
}

/** The rail's settings as served: the campaign's config, validated when it was saved. */
export type RailConfig = Partial<TrafficConfig>

/**
 * The cards a decision shows, at most `maxCards`: its recommended `items` (each link through its signed click
 * URL, which counts the item's click), or else the config's manual `cards` (each link straight to its page).
 * A card without an http(s) link is left out.
 */
export function railCards(decision: Decision): RailCard[] {
  const config = decision.config as RailConfig
  const cards: RailCard[] = []
  if (decision.items?.length) {
    for (const item of decision.items) {
      const url = httpUrl(item.url)
      const href = httpUrl(item.clickUrl)
      if (url && href)
        cards.push({ url, href, title: item.title, summary: item.summary, imageUrl: httpUrl(item.imageUrl) })
    }
  } else {
    for (const card of config.cards ?? []) {
      const url = httpUrl(card.url)
      if (url)
        cards.push({
          url,
          href: url,
          title: card.title,
          summary: card.description,
          imageUrl: httpUrl(card.imageUrl),
          imageAlt: card.imageAlt,
          badge: card.badge,
        })
    }
  }
  return cards.slice(0, config.maxCards ?? cards.length)
}
