// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EventItem } from '../schema/events'
import { createQueueStore } from './queue-store'
import { createTransport, type SendResult, type TransportOptions } from './transport'

const url = 'https://api.example/api/v1/events'
let counter = 0

function event(props?: EventItem['props']): EventItem {
  counter++
  return {
    id: `00000000-0000-7000-8000-${String(counter).padStart(12, '0')}`,
    name: 'track',
    timestamp: new Date().toISOString(),
    anonymousId: 'a',
    sessionId: 's',
    ...(props ? { props } : {}),
  }
}

function setup(
  answers: (SendResult | Error)[] = [],
  beaconAccepts = true,
  more: Partial<TransportOptions> = {},
) {
  const post = vi.fn(async (_url: string, _body: string, _keepalive: boolean): Promise<SendResult> => {
    const answer = answers.shift() ?? { status: 200 }
    if (answer instanceof Error) throw answer
    return answer
  })
  const beacon = vi.fn((_url: string, _body: string) => beaconAccepts)
  const report = vi.fn()
  const transport = createTransport({ url, site: 'pk_test', post, beacon, report, random: () => 0, ...more })
  const batches = () => post.mock.calls.map(([, body]) => JSON.parse(body).batch as EventItem[])
  return { transport, post, beacon, report, batches }
}

/** A queue store over happy-dom's localStorage, as the client builds it with consent to store. */
const store = (canStore = () => true) => createQueueStore(() => localStorage, canStore)
const saved = () =>
  Object.keys(localStorage)
    .filter((key) => key.startsWith('promo_q.'))
    .map((key) => JSON.parse(localStorage.getItem(key)!) as { d: number; q: EventItem[] })

beforeEach(() => {
  vi.useFakeTimers()
  localStorage.clear()
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('batching', () => {
  it('sends a full batch of 50 at once, as {site, batch, sentAt}', async () => {
    const { transport, post, batches } = setup()
    for (let i = 0; i < 49; i++) transport.enqueue(event())
    await vi.advanceTimersByTimeAsync(0)
    expect(post).not.toHaveBeenCalled()
    transport.enqueue(event())
    await vi.advanceTimersByTimeAsync(0)
    expect(post).toHaveBeenCalledTimes(1)
    expect(batches()[0]).toHaveLength(50)
    const body = JSON.parse(post.mock.calls[0]![1])
    expect(body.site).toBe('pk_test')
    expect(Number.isNaN(Date.parse(body.sentAt))).toBe(false)
    expect(post.mock.calls[0]![0]).toBe(url)
  })

  it('sends a partial batch after 3 seconds, not before', async () => {
    const { transport, post, batches } = setup()
    transport.enqueue(event())
    transport.enqueue(event())
    await vi.advanceTimersByTimeAsync(2999)
    expect(post).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(batches()).toHaveLength(1)
    expect(batches()[0]).toHaveLength(2)
  })

  it('splits 120 queued events into batches of at most 50', async () => {
    const { transport, batches } = setup()
    for (let i = 0; i < 120; i++) transport.enqueue(event())
    await vi.advanceTimersByTimeAsync(10_000)
    expect(batches().map((batch) => batch.length)).toEqual([50, 50, 20])
  })
})

describe('retries', () => {
  it('retries a 500 with backoff, resending the same events with the same ids', async () => {
    const { transport, post, batches } = setup([{ status: 500 }])
    transport.enqueue(event())
    transport.enqueue(event())
    await vi.advanceTimersByTimeAsync(3000)
    expect(post).toHaveBeenCalledTimes(1)
    // First backoff is 1 s, halved by the lowest jitter.
    await vi.advanceTimersByTimeAsync(499)
    expect(post).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(post).toHaveBeenCalledTimes(2)
    const [first, second] = batches()
    expect(second!.map((e) => e.id)).toEqual(first!.map((e) => e.id))
    await vi.advanceTimersByTimeAsync(60_000)
    expect(post).toHaveBeenCalledTimes(2)
  })

  it('waits for Retry-After on a 429 before trying again', async () => {
    const { transport, post, batches } = setup([{ status: 429, retryAfter: '5' }])
    transport.enqueue(event())
    await vi.advanceTimersByTimeAsync(3000)
    await vi.advanceTimersByTimeAsync(4999)
    expect(post).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(post).toHaveBeenCalledTimes(2)
    expect(batches()[1]![0]!.id).toBe(batches()[0]![0]!.id)
  })

  it('retries network errors and 408, with growing delays', async () => {
    const { transport, post } = setup([new TypeError('offline'), { status: 408 }, { status: 503 }])
    transport.enqueue(event())
    await vi.advanceTimersByTimeAsync(3000)
    await vi.advanceTimersByTimeAsync(500)
    expect(post).toHaveBeenCalledTimes(2)
    await vi.advanceTimersByTimeAsync(999)
    expect(post).toHaveBeenCalledTimes(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(post).toHaveBeenCalledTimes(3)
    await vi.advanceTimersByTimeAsync(2000)
    expect(post).toHaveBeenCalledTimes(4)
  })

  it('never retries a 400: the batch is dropped and later events still go', async () => {
    const { transport, post, batches } = setup([{ status: 400 }])
    const dropped = event()
    transport.enqueue(dropped)
    await vi.advanceTimersByTimeAsync(3000)
    await vi.advanceTimersByTimeAsync(120_000)
    expect(post).toHaveBeenCalledTimes(1)
    transport.enqueue(event())
    await vi.advanceTimersByTimeAsync(3000)
    expect(post).toHaveBeenCalledTimes(2)
    expect(batches()[1]!.map((e) => e.id)).not.toContain(dropped.id)
  })

  it('sends events queued during a retry along with the retried ones, same ids', async () => {
    const { transport, batches } = setup([{ status: 500 }])
    const first = event()
    transport.enqueue(first)
    await vi.advanceTimersByTimeAsync(3000)
    const second = event()
    transport.enqueue(second)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(batches().map((batch) => batch.map((e) => e.id))).toEqual([[first.id], [first.id, second.id]])
  })

  it('keeps retrying for as long as the page lives, the backoff capped at a minute', async () => {
    const answers = Array.from({ length: 30 }, () => ({ status: 503 }))
    const { transport, post, batches } = setup(answers)
    const only = event()
    transport.enqueue(only)
    await vi.advanceTimersByTimeAsync(3000)
    // Lowest jitter: 0.5, 1, 2, 4, 8, 16, then 30 s each.
    await vi.advanceTimersByTimeAsync(31_500)
    expect(post).toHaveBeenCalledTimes(7)
    await vi.advanceTimersByTimeAsync(29_999)
    expect(post).toHaveBeenCalledTimes(7)
    await vi.advanceTimersByTimeAsync(1)
    expect(post).toHaveBeenCalledTimes(8)
    await vi.advanceTimersByTimeAsync(23 * 30_000)
    expect(post).toHaveBeenCalledTimes(31)
    expect(
      new Set(
        batches()
          .flat()
          .map((e) => e.id),
      ),
    ).toEqual(new Set([only.id]))
    await vi.advanceTimersByTimeAsync(60_000)
    expect(post).toHaveBeenCalledTimes(31)
  })

  it('reports a refused batch to error listeners and sends it nowhere again', async () => {
    const { transport, post, report } = setup([{ status: 422 }], true, { store: store() })
    transport.enqueue(event())
    await vi.advanceTimersByTimeAsync(3000)
    expect(report).toHaveBeenCalledTimes(1)
    expect(String(report.mock.calls[0]![0])).toMatch(/422/)
    await vi.advanceTimersByTimeAsync(120_000)
    expect(post).toHaveBeenCalledTimes(1)
    expect(saved()).toEqual([])
  })
})

describe('offline', () => {
  it('tries nothing while the browser is offline and sends at the online event', async () => {
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false)
    const { transport, post } = setup()
    for (let i = 0; i < 60; i++) transport.enqueue(event())
    await vi.advanceTimersByTimeAsync(600_000)
    expect(post).not.toHaveBeenCalled()
    onLine.mockReturnValue(true)
    window.dispatchEvent(new Event('online'))
    await vi.advanceTimersByTimeAsync(0)
    expect(post).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(3000)
    expect(post).toHaveBeenCalledTimes(2)
  })
})

describe('persistence', () => {
  it('saves unacknowledged events and removes them once the API answered', async () => {
    let answer: (result: SendResult) => void = () => {}
    const { transport, post } = setup([], true, { store: store() })
    post.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)))
    const events = [event(), event()]
    for (const e of events) transport.enqueue(e)
    await vi.advanceTimersByTimeAsync(3000)
    expect(post).toHaveBeenCalledTimes(1)
    expect(saved().map((s) => s.q.map((e) => e.id))).toEqual([events.map((e) => e.id)])
    answer({ status: 200 })
    await vi.advanceTimersByTimeAsync(0)
    expect(saved()).toEqual([])
  })

  it('writes nothing while consent does not allow storing', async () => {
    const { transport } = setup([new TypeError('offline')], true, { store: store(() => false) })
    transport.enqueue(event())
    await vi.advanceTimersByTimeAsync(3000)
    expect(localStorage.length).toBe(0)
  })

  it('after a reload, sends the saved events with the same ids', async () => {
    const before = setup([new TypeError('offline')], true, { store: store() })
    const events = [event(), event(), event()]
    for (const e of events) before.transport.enqueue(e)
    await vi.advanceTimersByTimeAsync(3000)
    expect(before.post).toHaveBeenCalledTimes(1)
    // The page is gone: a new page's transport over the same storage.
    vi.clearAllTimers()
    const after = setup([], true, { store: store() })
    after.transport.restore()
    await vi.advanceTimersByTimeAsync(3000)
    expect(after.batches().map((batch) => batch.map((e) => e.id))).toEqual([events.map((e) => e.id)])
    expect(after.batches()[0]).toEqual(events)
    await vi.advanceTimersByTimeAsync(0)
    expect(saved()).toEqual([])
  })

  it('bounds the queue by count, drops the oldest and reports how many on the next batch', async () => {
    const { transport, batches } = setup([], true, { store: store(), maxQueued: 10, batchSize: 50 })
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false)
    const events = Array.from({ length: 14 }, () => event({ kept: 'yes' }))
    for (const e of events) transport.enqueue(e)
    await vi.advanceTimersByTimeAsync(0)
    const [stored] = saved()
    expect(stored!.q.map((e) => e.id)).toEqual(events.slice(4).map((e) => e.id))
    expect(stored!.d).toBe(4)
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(true)
    await transport.flush()
    const [batch] = batches()
    expect(batch!.map((e) => e.id)).toEqual(events.slice(4).map((e) => e.id))
    expect(batch![0]!.props).toEqual({ kept: 'yes', promo_dropped: 4 })
    expect(batch![1]!.props).toEqual({ kept: 'yes' })
  })

  it('bounds the queue by size in characters, dropping the oldest', async () => {
    const { transport } = setup([], true, { store: store(), maxQueuedChars: 5000 })
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false)
    const events = Array.from({ length: 10 }, () => event({ blob: 'x'.repeat(900) }))
    for (const e of events) transport.enqueue(e)
    await vi.advanceTimersByTimeAsync(0)
    const [stored] = saved()
    expect(stored!.q.length).toBeLessThan(10)
    expect(stored!.q.length).toBeGreaterThan(2)
    expect(JSON.stringify(stored!.q).length).toBeLessThanOrEqual(5000)
    expect(stored!.q.map((e) => e.id)).toEqual(events.slice(10 - stored!.q.length).map((e) => e.id))
    expect(stored!.d).toBe(10 - stored!.q.length)
  })

  it('carries the dropped count across a reload', async () => {
    const before = setup([], true, { store: store(), maxQueued: 2 })
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false)
    for (let i = 0; i < 5; i++) before.transport.enqueue(event())
    await vi.advanceTimersByTimeAsync(0)
    vi.clearAllTimers()
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(true)
    const after = setup([], true, { store: store() })
    after.transport.restore()
    await vi.advanceTimersByTimeAsync(3000)
    expect(after.batches()[0]![0]!.props).toEqual({ promo_dropped: 3 })
  })
})

describe('unload', () => {
  it('beacons everything queued in chunks under 64 KB and 50 events, in order', async () => {
    const { transport, beacon, post } = setup()
    // The first full batch is still in flight (keepalive) when the page goes away.
    post.mockImplementationOnce(() => new Promise<SendResult>(() => {}))
    const big = { blob: 'x'.repeat(1000) }
    const events = Array.from({ length: 130 }, () => event(big))
    for (const e of events) transport.enqueue(e)
    await vi.advanceTimersByTimeAsync(0)
    expect(post).toHaveBeenCalledTimes(1)
    transport.drain()
    expect(beacon.mock.calls.length).toBeGreaterThanOrEqual(2)
    const sent: string[] = []
    for (const [target, body] of beacon.mock.calls) {
      expect(target).toBe(url)
      expect(new TextEncoder().encode(body).length).toBeLessThan(64 * 1024)
      const batch = JSON.parse(body).batch as EventItem[]
      expect(batch.length).toBeLessThanOrEqual(50)
      sent.push(...batch.map((e) => e.id))
    }
    expect(sent).toEqual(events.slice(50).map((e) => e.id))
    expect(post).toHaveBeenCalledTimes(1)
  })

  it('splits by bytes when events are large', () => {
    const { transport, beacon } = setup()
    for (let i = 0; i < 40; i++)
      transport.enqueue(event({ a: 'y'.repeat(1000), b: 'z'.repeat(1000), c: 'w'.repeat(1000) }))
    transport.drain()
    expect(beacon.mock.calls.length).toBeGreaterThanOrEqual(2)
    for (const [, body] of beacon.mock.calls)
      expect(new TextEncoder().encode(body).length).toBeLessThan(64 * 1024)
  })

  it('falls back to a keepalive fetch when the browser refuses the beacon', () => {
    const { transport, post } = setup([], false)
    transport.enqueue(event())
    transport.drain()
    expect(post).toHaveBeenCalledTimes(1)
    expect(post.mock.calls[0]![2]).toBe(true)
  })

  it('unsaves what a beacon accepted and keeps saved what the browser refused', async () => {
    const { transport, beacon } = setup([], true, { store: store() })
    beacon.mockReturnValueOnce(true).mockReturnValueOnce(false)
    // Offline, so nothing is in flight: the first 50 go in one beacon, the last 10 in another.
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false)
    const events = Array.from({ length: 60 }, () => event())
    for (const e of events) transport.enqueue(e)
    transport.drain()
    expect(beacon).toHaveBeenCalledTimes(2)
    expect(saved().map((s) => s.q.map((e) => e.id))).toEqual([events.slice(50).map((e) => e.id)])
  })

  it('includes a batch waiting for its retry, and leaves nothing queued', async () => {
    const { transport, beacon, post } = setup([{ status: 503 }])
    const first = event()
    transport.enqueue(first)
    await vi.advanceTimersByTimeAsync(3000)
    transport.enqueue(event())
    transport.drain()
    const ids = beacon.mock.calls.flatMap(([, body]) =>
      (JSON.parse(body).batch as EventItem[]).map((e) => e.id),
    )
    expect(ids[0]).toBe(first.id)
    expect(ids).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(post).toHaveBeenCalledTimes(1)
  })
})
