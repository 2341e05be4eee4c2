import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EventItem } from '../schema/events'
import { createTransport, type SendResult } from './transport'

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

function setup(answers: (SendResult | Error)[] = [], beaconAccepts = true) {
  const post = vi.fn(async (_url: string, _body: string, _keepalive: boolean): Promise<SendResult> => {
    const answer = answers.shift() ?? { status: 200 }
    if (answer instanceof Error) throw answer
    return answer
  })
  const beacon = vi.fn((_url: string, _body: string) => beaconAccepts)
  const transport = createTransport({ url, site: 'pk_test', post, beacon, random: () => 0 })
  const batches = () => post.mock.calls.map(([, body]) => JSON.parse(body).batch as EventItem[])
  return { transport, post, beacon, batches }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
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

  it('keeps events queued during a retry for after it', async () => {
    const { transport, batches } = setup([{ status: 500 }])
    transport.enqueue(event())
    await vi.advanceTimersByTimeAsync(3000)
    transport.enqueue(event())
    await vi.advanceTimersByTimeAsync(10_000)
    expect(batches().map((batch) => batch.length)).toEqual([1, 1, 1])
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
