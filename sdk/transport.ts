import type { EventItem } from '../schema/events'
import { postText } from './post'

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
  batchSize?: number
  intervalMs?: number
}

export interface Transport {
  enqueue(event: EventItem): void
  /** Sends the next batch now. */
  flush(): Promise<void>
  /** Hands everything queued to `sendBeacon` because the page is going away. */
  drain(): void
  /** Forgets everything queued (consent was withdrawn). */
  clear(): void
}

/** Browsers refuse beacons and keepalive requests over 64 KiB in flight; stay well under it. */
export const maxUnloadBytes = 60_000
const maxAttempts = 8
const maxBackoffMs = 60_000
const maxRetryAfterMs = 600_000

const byteLength = (text: string) => new TextEncoder().encode(text).length
const retryable = (status: number) => status >= 500 || status === 408 || status === 429

function retryAfterMs(header: string | null | undefined, now: number): number {
  if (!header) return 0
  const ms = /^\d+$/.test(header.trim()) ? Number(header) * 1000 : Date.parse(header) - now
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), maxRetryAfterMs) : 0
}

/**
 * Batches events (up to `batchSize`, or whatever is queued after `intervalMs`), sends one batch at a time and
 * retries the same batch, same ids, with exponential backoff and jitter, never sooner than `Retry-After`.
 */
export function createTransport(options: TransportOptions): Transport {
  const { url, site, post, beacon, batchSize = 50, intervalMs = 3000 } = options
  const random = options.random ?? Math.random
  const now = options.now ?? Date.now
  let queue: EventItem[] = []
  let retrying: EventItem[] | undefined
  let sending = false
  let attempt = 0
  let timer: ReturnType<typeof setTimeout> | undefined

  const envelope = (batch: EventItem[]) =>
    JSON.stringify({ site, batch, sentAt: new Date(now()).toISOString() })

  const wait = (ms: number) => {
    clearTimeout(timer)
    timer = setTimeout(flush, ms)
  }

  const next = () => {
    if (queue.length >= batchSize) void flush()
    else if (queue.length) wait(intervalMs)
  }

  async function flush() {
    clearTimeout(timer)
    timer = undefined
    if (sending) return
    const batch = retrying ?? queue.splice(0, batchSize)
    retrying = undefined
    if (!batch.length) return
    sending = true
    let delay: number | undefined
    try {
      const body = envelope(batch)
      const result = await post(url, body, byteLength(body) < maxUnloadBytes)
      if (retryable(result.status)) delay = retryAfterMs(result.retryAfter, now())
    } catch {
      delay = 0
    }
    sending = false
    if (delay !== undefined && attempt < maxAttempts) {
      const backoff = Math.min(maxBackoffMs, 1000 * 2 ** attempt++) * (0.5 + random() / 2)
      retrying = batch
      wait(Math.max(delay, backoff))
      return
    }
    attempt = 0
    next()
  }

  function drain() {
    clearTimeout(timer)
    timer = undefined
    const events = [...(retrying ?? []), ...queue]
    retrying = undefined
    queue = []
    attempt = 0
    const overhead = byteLength(envelope([]))
    let chunk: EventItem[] = []
    let size = overhead
    const send = () => {
      const body = envelope(chunk)
      if (!beacon(url, body)) post(url, body, true).catch(() => {})
    }
    for (const event of events) {
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
  }

  return {
    enqueue(event) {
      queue.push(event)
      if (sending || retrying) return
      if (queue.length >= batchSize) void flush()
      else if (!timer) wait(intervalMs)
    },
    flush,
    drain,
    clear() {
      clearTimeout(timer)
      timer = undefined
      queue = []
      retrying = undefined
    },
  }
}
