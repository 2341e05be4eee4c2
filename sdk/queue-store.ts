import type { EventItem } from '../schema/events'

const prefix = 'promo_q.'

/**
 * Where a page keeps the events the API has not acknowledged yet, so a reload sends them. Each page writes
 * under a key of its own, so tabs of the same site never overwrite each other's queue.
 */
export interface QueueStore {
  /** `events` are the JSON texts of the queued events, oldest first; `dropped` counts those lost to the bounds. */
  save(events: string[], dropped: number): void
  /**
   * Takes over every other queue saved on this origin: those of pages since closed or reloaded, and of other
   * tabs still open, whose events may then be sent twice (the API keeps one per id).
   */
  take(): { events: EventItem[]; dropped: number }
  /** Removes every saved queue (consent to analytics was withdrawn). */
  clear(): void
}

/** A queue store in `storage()` (localStorage), written only while `canStore()`; failures leave it in memory. */
export function createQueueStore(storage: () => Storage, canStore: () => boolean): QueueStore {
  const key = prefix + Math.random()
  // The saved queues' keys are listed only when taken or cleared: listing every key of the origin is work a
  // page's every save would pay for nothing.
  const attempt = (fn: (store: Storage, saved: () => string[]) => void) => {
    try {
      const store = storage()
      fn(store, () => Object.keys(store).filter((name) => name.startsWith(prefix)))
    } catch {
      // Refused or full: the queue lives in memory while the page does.
    }
  }
  return {
    save(events, dropped) {
      if (canStore())
        attempt((store) =>
          events.length || dropped
            ? store.setItem(key, `{"d":${dropped},"q":[${events}]}`)
            : store.removeItem(key),
        )
    },
    take() {
      const taken = { events: [] as EventItem[], dropped: 0 }
      if (canStore())
        attempt((store, saved) => {
          for (const name of saved()) {
            if (name === key) continue
            const text = store.getItem(name)
            store.removeItem(name)
            const { d, q } = JSON.parse(text!)
            taken.events.push(...q)
            taken.dropped += d
          }
        })
      return taken
    },
    clear() {
      attempt((store, saved) => {
        for (const name of saved()) store.removeItem(name)
      })
    },
  }
}
