import { object, textOf } from '../../../admin/config-fields'
import { Preview } from '../../../admin/preview'
import type { RecommendedItem } from '../../../schema/content'
import type { Decision } from '../../../schema/serve'
import { mount } from '../widget'
import { withDefaults } from './editor'

/** The pinned cards as a decision carries them (`items`), each linking to its page in the preview. */
export function pinnedItems(config: Record<string, unknown>): RecommendedItem[] {
  const cards = Array.isArray(config.cards) ? config.cards.map(object) : []
  return cards.flatMap((card) => {
    const url = textOf(card.url)
    const title = textOf(card.title)
    if (!url || !title) return []
    const item: RecommendedItem = { url, title, clickUrl: url }
    if (textOf(card.description)) item.summary = textOf(card.description)
    if (textOf(card.imageUrl)) item.imageUrl = textOf(card.imageUrl)
    if (textOf(card.imageAlt)) item.imageAlt = textOf(card.imageAlt)
    if (textOf(card.badge)) item.badge = textOf(card.badge)
    return [item]
  })
}

/**
 * The rail as visitors see it: the traffic widget itself, given the pinned cards as serve would give them. A
 * rail of catalog pages is chosen per visitor, so without pinned cards there is nothing one preview could show.
 */
export function TrafficPreview({ decision }: { decision: Decision }) {
  const items = pinnedItems(decision.config)
  if (!items.length) {
    return (
      <p class="muted preview-note">
        This rail shows pages from the content catalog, ranked for each visitor. Pin cards to preview them
        here.
      </p>
    )
  }
  const { cards: _cards, scoring: _scoring, ...shown } = withDefaults(decision.config)
  return <Preview decision={{ ...decision, config: shown, items }} mount={mount} />
}
