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

/**
 * The trigger chunk's view of the page: the session's page count (the identity's, `sdk/identity.ts`) and the
 * names sent through `Promo.track`, which units that asked for them hear.
 */
export function createTriggerContext(pages: () => number, report: (error: unknown) => void) {
  const listeners = new Set<TrackListener>()
  return {
    pages,
    onTrack(listener: TrackListener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    report,
    tracked(name: string, props?: Record<string, unknown>) {
      for (const listener of listeners) listener(name, props)
    },
  } satisfies TriggerContext & Record<string, unknown>
}
