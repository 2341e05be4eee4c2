import { useLayoutEffect, useRef } from 'preact/hooks'
import type { RailCard } from './cards'

interface CardProps {
  card: RailCard
  newTab: boolean
  /** The card's link was activated (a click, or a middle click that opens it in a new tab). */
  onActivate(card: RailCard, event: MouseEvent): void
  /** Watches the card; calls back once it has been viewable (see `FormatContext.watch`). */
  watch?: (element: Element, onViewable: () => void) => () => void
  onViewable(card: RailCard): void
}

/**
 * One card: the whole card is its link. The image's box is reserved by its size and aspect ratio before it
 * loads (lazily), so nothing shifts; title, summary and badge are text, never markup.
 */
export function Card({ card, newTab, onActivate, watch, onViewable }: CardProps) {
  const item = useRef<HTMLLIElement>(null)
  useLayoutEffect(() => {
    if (!item.current || !watch) return
    let stop = () => {}
    stop = watch(item.current, () => {
      onViewable(card)
      stop()
    })
    return () => stop()
  }, [])
  const activate = (event: MouseEvent) => {
    if (event.type === 'click' || event.button === 1) onActivate(card, event)
  }
  return (
    <li class="card" ref={item}>
      <a
        class="link"
        href={card.href}
        target={newTab ? '_blank' : undefined}
        rel={newTab ? 'noopener' : undefined}
        onClick={activate}
        onAuxClick={activate}
      >
        {card.imageUrl && (
          <img
            class="image"
            src={card.imageUrl}
            alt={card.imageAlt ?? ''}
            width={320}
            height={180}
            loading="lazy"
            decoding="async"
          />
        )}
        <span class="text">
          {card.badge && (
            <span class="badge" dir="auto">
              {card.badge}
            </span>
          )}
          <strong class="title" dir="auto">
            {card.title}
          </strong>
          {card.summary && (
            <span class="summary" dir="auto">
              {card.summary}
            </span>
          )}
        </span>
      </a>
    </li>
  )
}
