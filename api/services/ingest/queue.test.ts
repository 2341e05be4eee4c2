import { count, inArray } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { events } from '../../../schema/db'
import { createApp } from '../../app'
import type { Db } from '../../ports/database'
import type { StoredEvent } from '../../ports/events'
import { awarenessCampaign, client, createHarness, type Harness, readError } from '../../testing/harness'
import type { Services } from '../index'
import {
  consumeEvents,
  decodeMessage,
  type QueuedMessage,
  type QueueProducer,
  QueueWriter,
  queueLimits,
  retryDelaySeconds,
} from './queue'

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

const signingSecret = 'test-signing-secret-0123456789abcdef'
const utf8 = new TextEncoder()
const jsonBytes = (value: unknown) => utf8.encode(JSON.stringify(value)).length

/** A queue in memory: keeps each call's message bodies as the `json` content type carries them. */
class FakeQueue implements QueueProducer {
  calls: unknown[][] = []
  failing = false

  async send(body: unknown, options?: { contentType?: string }) {
    this.take([{ body, contentType: options?.contentType }])
  }

  async sendBatch(messages: Iterable<{ body: unknown; contentType?: string }>) {
    this.take([...messages])
  }

  private take(messages: { body: unknown; contentType?: string }[]) {
    if (this.failing) throw new Error('Queue send failed: Service Unavailable')
    expect(messages.every((m) => m.contentType === 'json')).toBe(true)
    this.calls.push(messages.map((m) => JSON.parse(JSON.stringify(m.body))))
  }

  get bodies(): unknown[] {
    return this.calls.flat()
  }

  /** Takes what was sent, as the consumer would be handed it. */
  drain(attempts = 1) {
    const bodies = this.bodies
    this.calls = []
    return delivered(bodies, attempts)
  }
}

type FakeMessage = QueuedMessage & { acked: boolean; retried?: { delaySeconds?: number } }

function delivered(bodies: unknown[], attempts = 1): FakeMessage[] {
  return bodies.map(
    (body, i): FakeMessage => ({
      id: `message-${i}`,
      body,
      attempts,
      acked: false,
      ack() {
        this.acked = true
      },
      retry(options) {
        this.retried = options ?? {}
      },
    }),
  )
}

const row = (overrides: Partial<StoredEvent> = {}): StoredEvent => ({
  id: crypto.randomUUID(),
  siteId: h.a.siteId,
  name: 'page',
  timestamp: new Date('2026-11-29T11:00:00.000Z'),
  anonymousId: 'queue-visitor',
  ...overrides,
})
const rowCount = async (ids: string[]) =>
  (await h.database.db.select({ n: count() }).from(events).where(inArray(events.id, ids)))[0]!.n

const rowsOf = (body: unknown) => (body as { rows: { id: string }[] }).rows

describe('QueueWriter', () => {
  it('answers with every row once the queue has them, as one JSON message, and mirrors no profile', async () => {
    const queue = new FakeQueue()
    const rows = [row(), row(), row()]
    const written = await new QueueWriter(queue).write(h.a.siteId, rows)
    expect(written).toEqual({ stored: rows, profiles: [], queued: true })
    expect(queue.calls).toHaveLength(1)
    expect(rowsOf(queue.bodies[0]).map((r) => r.id)).toEqual(rows.map((r) => r.id))
  })

  it('splits rows into messages under 128 KB and messages into sendBatch calls under 256 KB, in order', async () => {
    const queue = new FakeQueue()
    // About 30 KB of JSON each (multi-byte text counts by its UTF-8 bytes): 20 rows need several messages.
    const props = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'é€'.repeat(500)]))
    const rows = Array.from({ length: 20 }, () => row({ props }))
    await new QueueWriter(queue).write(h.a.siteId, rows)
    expect(queue.bodies.length).toBeGreaterThan(2)
    expect(queue.calls.length).toBeGreaterThan(1)
    for (const body of queue.bodies) expect(jsonBytes(body)).toBeLessThanOrEqual(queueLimits.messageBytes)
    for (const call of queue.calls) {
      const bytes = call.reduce((sum: number, body) => sum + jsonBytes(body) + queueLimits.metadataBytes, 0)
      expect(bytes).toBeLessThanOrEqual(queueLimits.batchBytes)
    }
    expect(queue.bodies.flatMap((body) => rowsOf(body).map((r) => r.id))).toEqual(rows.map((r) => r.id))
  })

  it('sends at most 100 messages in one sendBatch call', async () => {
    const queue = new FakeQueue()
    const rows = Array.from({ length: 250 }, () => row())
    // Messages small enough for one row each.
    await new QueueWriter(queue, { maxMessageBytes: 300 }).write(h.a.siteId, rows)
    expect(queue.calls.map((call) => call.length)).toEqual([100, 100, 50])
    expect(queue.bodies.every((body) => rowsOf(body).length === 1)).toBe(true)
  })

  it('refuses a row too large for a message of its own with 413, and sends nothing', async () => {
    const queue = new FakeQueue()
    const huge = row({
      props: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, '€'.repeat(1_000)])),
    })
    const refused = await new QueueWriter(queue).write(h.a.siteId, [row(), huge]).catch((error) => error)
    expect(refused.status).toBe(413)
    expect(queue.calls).toEqual([])
  })

  it('sends times as ISO strings, and the consumer gets them back as Dates', async () => {
    const queue = new FakeQueue()
    const rich = row({
      name: 'Purchase',
      timestamp: new Date('2026-11-29T10:59:58.123Z'),
      userId: 'user-7',
      sessionId: 'session-7',
      props: { plan: 'pro', seats: 3, trial: false, coupon: null },
      value: 49.9,
      currency: 'EUR',
      url: 'https://a.example/checkout',
    })
    await new QueueWriter(queue).write(h.a.siteId, [rich])
    const body = queue.bodies[0] as { rows: Record<string, unknown>[] }
    expect(body.rows[0]!.timestamp).toBe('2026-11-29T10:59:58.123Z')
    const decoded = decodeMessage(body)!
    expect(decoded.siteId).toBe(h.a.siteId)
    expect(decoded.rows[0]!.timestamp).toBeInstanceOf(Date)
    expect(decoded.rows).toEqual([rich])
  })

  it('answers 503 with Retry-After when the send fails, so the SDK sends the batch again', async () => {
    const queue = new FakeQueue()
    queue.failing = true
    const onError = vi.fn()
    const app = createApp({
      database: h.database,
      signingSecret,
      now: () => h.now.value,
      writer: new QueueWriter(queue, { onError }),
    })
    const batch = [
      {
        id: crypto.randomUUID(),
        name: 'page',
        timestamp: new Date(h.now.value).toISOString(),
        anonymousId: 'v',
      },
    ]
    const res = await client(app).post('/api/v1/events', { site: h.a.publishableKey, batch })
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('1')
    expect((await readError(res)).code).toBe('unavailable')
    expect(onError).toHaveBeenCalledTimes(1)
    expect(await rowCount([batch[0]!.id])).toBe(0)
  })
})

describe('consumeEvents', () => {
  it('stores the queued events, acks their messages and mirrors the visitors profiles', async () => {
    const queue = new FakeQueue()
    const writer = new QueueWriter(queue)
    const rows = [row({ anonymousId: 'consumer-1' }), row({ anonymousId: 'consumer-2' })]
    await writer.write(h.a.siteId, rows.slice(0, 1))
    await writer.write(h.a.siteId, rows.slice(1))
    const messages = queue.drain()
    const setProfiles = vi.spyOn(h.app.services.kv, 'setProfiles')
    try {
      await consumeEvents({ messages }, h.app.services)
      const mirrored = setProfiles.mock.calls.flatMap(([updates]) => updates.map((u) => u.visitor))
      expect(mirrored.sort()).toEqual(['consumer-1', 'consumer-2'])
    } finally {
      setProfiles.mockRestore()
    }
    expect(messages.map((m) => [m.acked, m.retried])).toEqual([
      [true, undefined],
      [true, undefined],
    ])
    expect(await rowCount(rows.map((r) => r.id))).toBe(2)
  })

  it('retries every message of a failed transaction with backoff, and acks none', async () => {
    const queue = new FakeQueue()
    const rows = [row(), row()]
    await new QueueWriter(queue).write(h.a.siteId, rows)
    const failing = new Proxy(h.database.db, {
      get: (target, key, receiver) =>
        key === 'transaction'
          ? () => Promise.reject(new Error('connection refused'))
          : Reflect.get(target, key, receiver),
    }) as Db
    const log = { info: vi.fn(), error: vi.fn() }
    const services: Services = { ...h.app.services, db: failing, log }
    const messages = queue.drain(3)
    await consumeEvents({ messages }, services)
    expect(messages.map((m) => [m.acked, m.retried])).toEqual([
      [false, { delaySeconds: retryDelaySeconds(3) }],
    ])
    expect(retryDelaySeconds(1)).toBe(2)
    expect(retryDelaySeconds(3)).toBe(8)
    expect(retryDelaySeconds(50)).toBe(300)
    expect(log.error).toHaveBeenCalledTimes(1)
    expect(await rowCount(rows.map((r) => r.id))).toBe(0)
  })

  it('acks one site while retrying another whose transaction failed', async () => {
    const queue = new FakeQueue()
    const writer = new QueueWriter(queue)
    const good = row({ siteId: h.b.siteId })
    // A row the database refuses (validation upstream would never let it through) rolls its site back.
    const bad = row({ campaignId: 'not-a-uuid' })
    const alongside = row()
    await writer.write(h.a.siteId, [bad, alongside])
    await writer.write(h.b.siteId, [good])
    const messages = queue.drain()
    await consumeEvents({ messages }, { ...h.app.services, log: { info() {}, error() {} } })
    expect(messages.map((m) => m.acked)).toEqual([false, true])
    expect(messages[0]!.retried).toEqual({ delaySeconds: 2 })
    expect(await rowCount([good.id])).toBe(1)
    expect(await rowCount([bad.id, alongside.id])).toBe(0)
  })

  it('stores the messages of a failed transaction one by one, retrying only the one the database refuses', async () => {
    const queue = new FakeQueue()
    const writer = new QueueWriter(queue)
    const before = [row(), row()]
    const bad = row({ campaignId: 'not-a-uuid' })
    const alongside = row()
    const after = [row(), row()]
    await writer.write(h.a.siteId, before)
    await writer.write(h.a.siteId, [bad, alongside])
    await writer.write(h.a.siteId, after)
    const messages = queue.drain()
    const logged: Record<string, unknown>[] = []
    const log = {
      info() {},
      error: (_: string, fields?: Record<string, unknown>) => void logged.push(fields!),
    }
    await consumeEvents({ messages }, { ...h.app.services, log })
    expect(messages.map((m) => m.acked)).toEqual([true, false, true])
    expect(messages[1]!.retried).toEqual({ delaySeconds: 2 })
    expect(await rowCount([...before, ...after].map((r) => r.id))).toBe(4)
    expect(await rowCount([bad.id, alongside.id])).toBe(0)
    // The group's failure, then the refused message's own; by class and SQLSTATE, never by the query's values.
    expect(logged.map((fields) => [fields.error, fields.code])).toEqual([
      ['DrizzleQueryError', '22P02'],
      ['DrizzleQueryError', '22P02'],
    ])
    expect(JSON.stringify(logged)).not.toMatch(/not-a-uuid|params/)
  })

  it('retries a message that is not an events message, and stores the others', async () => {
    const queue = new FakeQueue()
    const one = row()
    await new QueueWriter(queue).write(h.a.siteId, [one])
    const messages = delivered([{ v: 2, siteId: h.a.siteId, rows: [] }, 'garbage', ...queue.bodies])
    await consumeEvents({ messages }, { ...h.app.services, log: { info() {}, error() {} } })
    expect(messages.map((m) => m.acked)).toEqual([false, false, true])
    expect(messages.slice(0, 2).every((m) => m.retried?.delaySeconds === 2)).toBe(true)
    expect(await rowCount([one.id])).toBe(1)
  })

  it('writes a site in transactions of whole messages up to maxRows', async () => {
    const queue = new FakeQueue()
    const writer = new QueueWriter(queue)
    const rows = Array.from({ length: 9 }, () => row())
    for (let i = 0; i < 9; i += 3) await writer.write(h.a.siteId, rows.slice(i, i + 3))
    let transactions = 0
    const counting = new Proxy(h.database.db, {
      get(target, key, receiver) {
        if (key !== 'transaction') return Reflect.get(target, key, receiver)
        return (...args: Parameters<Db['transaction']>) => {
          transactions++
          return target.transaction(...args)
        }
      },
    }) as Db
    const messages = queue.drain()
    await consumeEvents({ messages }, { ...h.app.services, db: counting }, { maxRows: 7 })
    expect(transactions).toBe(2)
    expect(messages.every((m) => m.acked)).toBe(true)
    expect(await rowCount(rows.map((r) => r.id))).toBe(9)
  })
})

describe('ingest through the queue, over HTTP', () => {
  it('stores a batch sent three times, reshuffled and redelivered, exactly once, and counts each viewable impression once', async () => {
    const admin = client(h.app, { secretKey: h.a.secretKey })
    // Awareness counts its cap on viewable impressions by default.
    const campaign = (await (await admin.post('/api/v1/campaigns', awarenessCampaign())).json()) as any
    expect((await admin.post(`/api/v1/campaigns/${campaign.id}/activate`)).status).toBe(200)
    const queue = new FakeQueue()
    const producer = createApp({
      database: h.database,
      kv: h.app.services.kv,
      signingSecret,
      now: () => h.now.value,
      writer: new QueueWriter(queue),
    })
    const batch = Array.from({ length: 40 }, (_, i) => ({
      id: crypto.randomUUID(),
      name: i % 4 === 0 ? 'viewable' : 'page',
      timestamp: new Date(h.now.value - i * 1_000).toISOString(),
      anonymousId: `http-visitor-${i % 5}`,
      ...(i % 4 === 0 ? { campaignId: campaign.id, variantId: campaign.variants[0].id } : {}),
    }))
    const shuffled = [...batch].reverse()
    const post = async (items: unknown[]) => {
      const res = await client(producer).post('/api/v1/events', { site: h.a.publishableKey, batch: items })
      expect(res.status).toBe(200)
      return res.json()
    }
    const viewed = vi.spyOn(h.app.services.kv, 'viewed')
    try {
      // Each answer says the queue has all 40; which are new is known only when they are stored.
      for (const items of [batch, batch, shuffled]) {
        expect(await post(items)).toEqual({ accepted: 40, duplicates: 0, rejected: [] })
      }
      expect(viewed).not.toHaveBeenCalled()
      const first = queue.drain()
      expect(first).toHaveLength(3)
      await consumeEvents({ messages: first }, h.app.services)
      // The same messages delivered again (an ack lost on the way), one at a time.
      for (const message of delivered(
        first.map((m) => m.body),
        2,
      )) {
        await consumeEvents({ messages: [message] }, h.app.services)
        expect(message.acked).toBe(true)
      }
      expect(first.every((m) => m.acked)).toBe(true)
      expect(await rowCount(batch.map((e) => e.id))).toBe(40)
      const counted = viewed.mock.calls.flatMap(([, , campaigns]) => campaigns)
      expect(counted).toHaveLength(10)
    } finally {
      viewed.mockRestore()
    }
  })
})
