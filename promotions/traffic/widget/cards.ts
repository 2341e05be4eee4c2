import type { Decision } from '../../../schema/serve'
import { httpUrl } from '../../../sdk/kit/http-url'
import type { TrafficConfig } from '../config'

/** One card of a rail, from a decision's `items`. */
export interface RailCard {
  /** The page the card promotes: its impressions' `item_url`. */
  url: string
  /** What the link opens: the card's signed click URL, kept exactly as served, which counts its click. */
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
 * The cards a decision shows, at most `maxCards`: its `items`, recommended from the catalog or the campaign's
 * manual cards, each linking through its signed click URL. A card without http(s) links is left out.
 */
export function railCards(decision: Decision): RailCard[] {
  const config = decision.config as RailConfig
  const cards: RailCard[] = []
  for (const item of decision.items ?? []) {
    const url = httpUrl(item.url)
    const href = httpUrl(item.clickUrl)
    if (url && href)
      cards.push({
        url,
        href,
        title: item.title,
        summary: item.summary,
        imageUrl: httpUrl(item.imageUrl),
        imageAlt: item.imageAlt,
        badge: item.badge,
      })
  }
  return cards.slice(0, config.maxCards ?? cards.length)
}
