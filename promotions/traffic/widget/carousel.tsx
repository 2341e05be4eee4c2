import type { RefObject } from 'preact'
import { useLayoutEffect, useState } from 'preact/hooks'

interface StepsProps {
  /** The scrolling list of cards. */
  list: RefObject<HTMLUListElement | null>
  listId: string
}

/**
 * A carousel's previous and next buttons: each scrolls the list by its visible width, and scroll snapping
 * settles on a card. Real buttons, so keys work; at an end its button says it is unavailable (`aria-disabled`,
 * which keeps focus where it is) and does nothing. Shown only while the cards overflow. Nothing moves by itself.
 */
export function Steps({ list, listId }: StepsProps) {
  const [edges, setEdges] = useState({ overflow: false, start: true, end: true })
  useLayoutEffect(() => {
    const cards = list.current
    if (!cards) return
    const measure = () => {
      // Scrolled right to left, the offset runs from 0 to negative values.
      const offset = Math.abs(cards.scrollLeft)
      const room = cards.scrollWidth - cards.clientWidth
      setEdges({ overflow: room > 1, start: offset <= 1, end: offset >= room - 1 })
    }
    measure()
    cards.addEventListener('scroll', measure, { passive: true })
    addEventListener('resize', measure, { passive: true })
    return () => {
      cards.removeEventListener('scroll', measure)
      removeEventListener('resize', measure)
    }
  }, [])
  const step = (forward: boolean) => {
    const cards = list.current
    if (!cards) return
    const rtl = getComputedStyle(cards).direction === 'rtl'
    cards.scrollBy({ left: (forward !== rtl ? 1 : -1) * cards.clientWidth })
  }
  if (!edges.overflow) return null
  return (
    <div class="steps">
      <button
        type="button"
        class="step"
        aria-label="Previous"
        aria-controls={listId}
        aria-disabled={edges.start}
        onClick={() => step(false)}
      >
        <span aria-hidden="true">‹</span>
      </button>
      <button
        type="button"
        class="step"
        aria-label="Next"
        aria-controls={listId}
        aria-disabled={edges.end}
        onClick={() => step(true)}
      >
        <span aria-hidden="true">›</span>
      </button>
    </div>
  )
}
