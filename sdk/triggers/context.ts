/**
 * The loader's side of triggers: what the lazily loaded trigger chunk is handed so it can see page views and
 * tracked events, which the loader counts before the chunk is ever needed. Kept small: it is in every page.
 */
import type { Trigger } from '../../schema/trigger'
import type { TrackListener } from '../kit/context'

export interface TriggerContext {
  /** Pages seen in this visit, this one included. */
  pages(): number
  /**
   * Calls `listener` with each name sent through `Promo.track`, and the props the page passed (its own object, as
   * given: read it defensively); returns the function that stops it.
   */
  onTrack(listener: TrackListener): () => void
  report(error: unknown): void
}

/** What the trigger chunk exports: starts waiting for `trigger` and returns the function that stops waiting. */
export interface TriggerModule {
  arm(trigger: Trigger, fire: () => void, context: TriggerContext): () => void
}

export const pageCountKey = 'promo_pages'

/**
 * `storage` is the tab's session storage, read lazily and touched only while `canStore()`; without it, pages
 * are counted in memory, so a single-page app's routes still count.
 */
export function createTriggerContext(
  storage: () => Storage,
  canStore: () => boolean,
  report: (error: unknown) => void,
) {
  const listeners = new Set<TrackListener>()
  let pages = 0
  return {
    pages: () => pages,
    onTrack(listener: TrackListener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    report,
    viewed() {
      pages++
      try {
        if (!canStore()) return
        pages = Math.max(pages, (Number(storage().getItem(pageCountKey)) || 0) + 1)
        storage().setItem(pageCountKey, String(pages))
      } catch {
        // Storage refused: the count goes on in memory.
      }
    },
    tracked(name: string, props?: Record<string, unknown>) {
      for (const listener of listeners) listener(name, props)
    },
  } satisfies TriggerContext & Record<string, unknown>
}
