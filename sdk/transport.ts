import type { EventItem } from '../schema/events'
import { postText } from './post'
import type { QueueStore } from './queue-store'

export interface SendResult {
  status: number
  /** The `Retry-After` header, in seconds or as an HTTP date. */
  retryAfter?: string | null
}

/** The network, injected so batching and retries are testable without one. */
export interface TransportPorts {
  /** POST a text body; rejects on a network error. */
  post(url: string, body: string, keepalive: boolean): Promise<SendResult>
  /** `navigator.sendBeacon`: false when the browser refused to queue the body. */
  beacon(url: string, body: string): boolean
  random?: () => number
  now?: () => number
}

/** The real network: `fetch` (keepalive when small enough) and `navigator.sendBeacon`. */
export const browserPorts: TransportPorts = {
  post: async (url, body, keepalive) => {
    const response = await postText(url, body, keepalive)
    return { status: response.status, retryAfter: response.headers.get('Retry-After') }
  },
  beacon: (url, body) => navigator.sendBeacon?.(url, body) ?? false,
}

export interface TransportOptions extends TransportPorts {
  url: string
  site: string
  /** Keeps unacknowledged events across reloads; without one they live only in memory. */
  store?: QueueStore
  /** Told when the API refuses a batch (4xx other than 408 and 429): it is dropped, never retried. */
  report?: (error: Error) => void
  batchSize?: number
  intervalMs?: number
  /** Bounds on the queue; past them the oldest events are dropped and counted. */
  maxQueued?: number
  /** In UTF-16 units of the queue's JSON, what localStorage quotas count. */
  maxQueuedChars?: number
}

export interface Transport {
  /**
   * Queues the event object itself: it is serialized each time the queue is saved and when its batch goes, so
   * what its sender adds to it meanwhile goes along (a page view's tags do).
   */
  enqueue(event: EventItem): void
  /** Sends the next batch now (unless offline or already sending). */
  flush(): Promise<void>
  /** Hands everything not in flight to `sendBeacon` because the page may be going away. */
  drain(): void
  /** Takes over the queues that earlier pages saved and sends them, same ids. */
  restore(): void
  /** Forgets everything queued or saved (consent was withdrawn). */
  clear(): void
}

/** Browsers refuse beacons and keepalive requests over 64 KiB in flight; stay well under it. */
export const maxUnloadBytes = 60_000
const maxBackoffMs = 60_000
const maxRetryAfterMs = 600_000

/** UTF-8 bytes of the text. Not `new Blob([text]).size`: a Blob costs Chromium a trip to its blob registry. */
const byteLength = (text: string) => new TextEncoder().encode(text).length
const retryable = (status: number) => status >= 500 || status === 408 || status === 429
const offline = () => navigator.onLine === false

function retryAfterMs(header: string | null | undefined, now: number): number {
  const ms = header ? (+header >= 0 ? +header * 1000 : Date.parse(header) - now) : 0
  return Math.min(Math.max(ms || 0, 0), maxRetryAfterMs)
}

/**
 * Batches events (up to `batchSize`, or whatever is queued after `intervalMs`) and sends one batch at a time.
 * An event leaves the queue only when the API answered for it: network errors, timeouts, 5xx, 408 and 429 are
 * retried for as long as the page lives, same ids, with capped exponential backoff and jitter and never sooner
 * than `Retry-After`; nothing is tried while the browser is offline. The queue is saved to `store` after every
 * change, bounded by `maxQueued` and `maxQueuedChars`; how many were dropped rides on the next batch's first
 * event as the prop `promo_dropped`.
 */
export function createTransport(options: TransportOptions): Transport {
  const { url, site, post, beacon, store, report, batchSize = 50, intervalMs = 3000 } = options
  const { maxQueued = 2000, maxQueuedChars = 1_000_000 } = options
  const random = options.random ?? Math.random
  const now = options.now ?? Date.now
  let queue: EventItem[] = []
  let sending: EventItem[] | undefined
  let dropped = 0
  let attempt = 0
  let saving = false
  let timer: ReturnType<typeof setTimeout> | undefined

  const envelope = (batch: EventItem[]) =>
    JSON.stringify({ site, batch, sentAt: new Date(now()).toISOString() })

  const wait = (ms: number) => {
    clearTimeout(timer)
    timer = setTimeout(flush, ms)
  }

  /** Full batches go at once, unless a retry is waiting out its backoff; others wait for the interval. */
  const next = () => {
    if (sending) return
    if (queue.length >= batchSize && !attempt) void flush()
    else if (queue.length && !timer) wait(intervalMs)
  }

  function save() {
    saving = false
    const texts = queue.map((event) => JSON.stringify(event))
    let chars = texts.join().length
    let drop = 0
    while (queue.length - drop > maxQueued || chars > maxQueuedChars) chars -= texts[drop++]!.length + 1
    if (drop) {
      queue.splice(0, drop)
      texts.splice(0, drop)
      dropped += drop
    }
    store?.save(texts, dropped)
  }
  /** Once per task: a loop of `track` calls costs one write. */
  const persist = () => {
    if (!saving) Promise.resolve().then(save)
    saving = true
  }
  const remove = (events: EventItem[]) => {
    const gone = new Set(events)
    queue = queue.filter((event) => !gone.has(event))
    persist()
  }

  async function flush() {
    clearTimeout(timer)
    timer = undefined
    if (sending || offline()) return
    const batch = queue.slice(0, batchSize)
    const [first] = batch
    if (!first) return
    if (dropped) {
      batch[0] = queue[0] = { ...first, props: { ...first.props, promo_dropped: dropped } }
      dropped = 0
      persist()
    }
    sending = batch
    let delay: number | undefined
    try {
      const body = envelope(batch)
      const { status, retryAfter } = await post(url, body, byteLength(body) < maxUnloadBytes)
      if (retryable(status)) delay = retryAfterMs(retryAfter, now())
      else if (status >= 400) report?.(new Error(`Promo: events refused, ${status}`))
    } catch {
      delay = 0
    }
    sending = undefined
    if (delay === undefined) {
      attempt = 0
      remove(batch)
      next()
    } else wait(Math.max(delay, Math.min(maxBackoffMs, 1000 * 2 ** attempt++) * (0.5 + random() / 2)))
  }

  /** Removes from the queue only what a beacon accepted; the rest stays saved for a reload to send. */
  function drain() {
    const accepted: EventItem[] = []
    const overhead = byteLength(envelope([]))
    let chunk: EventItem[] = []
    let size = overhead
    const send = () => {
      const body = envelope(chunk)
      if (beacon(url, body)) accepted.push(...chunk)
      else post(url, body, true).catch(() => {})
    }
    for (const event of queue) {
      if (sending?.includes(event)) continue
      const bytes = byteLength(JSON.stringify(event)) + 1
      if (chunk.length && (size + bytes > maxUnloadBytes || chunk.length >= batchSize)) {
        send()
        chunk = []
        size = overhead
      }
      chunk.push(event)
      size += bytes
    }
    if (chunk.length) send()
    remove(accepted)
    save()
  }

  addEventListener('online', () => void flush())

  return {
    enqueue(event) {
      queue.push(event)
      persist()
      next()
    },
    flush,
    drain,
    restore() {
      if (!store) return
      const saved = store.take()
      queue = [...saved.events, ...queue]
      dropped += saved.dropped
      persist()
      next()
    },
    clear() {
      clearTimeout(timer)
      timer = undefined
      queue = []
      dropped = 0
      store?.clear()
    },
  }
}
