import { useRef } from 'preact/hooks'
import type { Decision } from '../../../schema/serve'
import type { FormatContext } from '../../../sdk/kit/context'
import { Card } from './card'
import { type RailCard, type RailConfig, railCards } from './cards'
import { Steps } from './carousel'

/**
 * A card shown: one event of this name per card (`props.item_url`, the card's page) counts the item's
 * impression; the names are `itemImpressionEvent` and `itemUrlProp` of schema/content.ts, which the format does
 * not import (that module brings zod along).
 */
export const itemImpression = 'traffic_promotion_impression'
export const itemUrl = 'item_url'

const headingId = 'promo-rail-heading'
const listId = 'promo-rail-cards'

interface RailProps {
  decision: Decision
  ctx: FormatContext
}

/**
 * A rail of promoted pages: a heading and its cards as a grid, a carousel (scroll snapping, previous and next
 * buttons, no autoplay) or a list. Each card counts its own impression once it has been viewable, once per
 * decision. Its clicks are counted by the signed click URLs the cards link through.
 */
export function Rail({ decision, ctx }: RailProps) {
  const list = useRef<HTMLUListElement>(null)
  const seen = useRef(new Set<string>()).current
  const cards = railCards(decision)
  if (!cards.length) return null
  const config = decision.config as RailConfig
  const layout = config.layout === 'carousel' || config.layout === 'list' ? config.layout : 'grid'

  const onViewable = (card: RailCard) => {
    if (seen.has(card.url)) return
    seen.add(card.url)
    ctx.track?.(itemImpression, { [itemUrl]: card.url })
  }
  const onActivate = (card: RailCard, event: MouseEvent) => {
    if (ctx.preview) event.preventDefault()
    ctx.onClick(card.url)
  }
  return (
    <section class={`rail ${layout}`} aria-labelledby={config.heading ? headingId : undefined}>
      {(config.heading || layout === 'carousel') && (
        <div class="top">
          {config.heading && (
            <h2 class="heading" id={headingId} dir="auto">
              {config.heading}
            </h2>
          )}
          {layout === 'carousel' && <Steps list={list} listId={listId} />}
        </div>
      )}
      <ul class="cards" id={listId} ref={list}>
        {cards.map((card) => (
          <Card
            key={card.url}
            card={card}
            newTab={config.openInNewTab === true}
            onActivate={onActivate}
            watch={ctx.watch}
            onViewable={onViewable}
          />
        ))}
      </ul>
    </section>
  )
}
