import { createServer } from 'node:net'
import { count, eq, like, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { events, visitorProfiles } from '../../../schema/db'
import { openPostgres } from '../../adapters/db/postgres'
import { createApp } from '../../app'
import { ApiError } from '../../core/errors'
import type { Db } from '../../ports/database'
import type { StoredEvent } from '../../ports/events'
import { awarenessCampaign, client, createHarness, type Harness } from '../../testing/harness'
import { rollupMismatches } from '../../testing/rollups'
import { BatchingWriter } from './writer'

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

const row = (overrides: Partial<StoredEvent> = {}): StoredEvent => ({
  id: crypto.randomUUID(),
  siteId: h.a.siteId,
  name: 'page',
  timestamp: new Date('2026-11-29T11:00:00Z'),
  anonymousId: 'writer-visitor',
  ...overrides,
})
const rowCount = async (ids: string[]) => {
  let n = 0
  for (const id of ids)
    n += (await h.database.db.select({ n: count() }).from(events).where(eq(events.id, id)))[0]!.n
  return n
}

/** Counts the transactions a writer opens, to see requests grouped into one. */
function countingDb(db: Db) {
  const counter = { transactions: 0 }
  const wrapped = new Proxy(db, {
    get(target, key, receiver) {
      if (key === 'transaction') {
        return (...args: Parameters<Db['transaction']>) => {
          counter.transactions++
          return target.transaction(...args)
        }
      }
      return Reflect.get(target, key, receiver)
    },
  })
  return { db: wrapped, counter }
}

describe('BatchingWriter', () => {
  it('groups concurrent requests into one transaction and answers each with its own new rows', async () => {
    const { db, counter } = countingDb(h.database.db)
    const writer = new BatchingWriter(db, () => h.now.value, { lingerMs: 20 })
    const shared = row()
    const requests = Array.from({ length: 10 }, (_, i) => [row({ anonymousId: `v${i}` }), row(), shared])
    const answers = await Promise.all(requests.map((rows) => writer.write(h.a.siteId, rows)))
    expect(counter.transactions).toBe(1)
    // The id sent by every request is stored once, for the first request that sent it.
    expect(answers.map((a) => a.stored.length)).toEqual([3, 2, 2, 2, 2, 2, 2, 2, 2, 2])
    expect(await rowCount(requests.flat().map((r) => r.id))).toBe(30)
    await writer.close()
  })

  it('splits a group at maxRows, whole requests at a time', async () => {
    const { db, counter } = countingDb(h.database.db)
    const writer = new BatchingWriter(db, () => h.now.value, { lingerMs: 20, maxRows: 5 })
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => writer.write(h.a.siteId, [row(), row(), row()])),
    )
    expect(answers.every((a) => a.stored.length === 3)).toBe(true)
    expect(counter.transactions).toBe(4)
    await writer.close()
  })

  it('keeps two transactions in flight without losing, doubling or deadlocking on shared ids and visitors', async () => {
    const { db, counter } = countingDb(h.database.db)
    const writer = new BatchingWriter(db, () => h.now.value, { lingerMs: 1, maxRows: 40, maxInFlight: 2 })
    // 300 events, each sent by three of 30 requests, over 25 visitors shared by every request.
    const pool = Array.from({ length: 300 }, (_, i) =>
      row({ anonymousId: `shared-${i % 25}`, sessionId: `s-${i % 7}` }),
    )
    const requests = Array.from({ length: 30 }, (_, r) =>
      Array.from({ length: 30 }, (_, k) => ({ ...pool[(r * 10 + k) % 300]! })),
    )
    const answers = await Promise.all(requests.map((rows) => writer.write(h.a.siteId, rows)))
    expect(answers.reduce((sum, a) => sum + a.stored.length, 0)).toBe(300)
    expect(await rowCount(pool.map((r) => r.id))).toBe(300)
    expect(counter.transactions).toBeGreaterThan(10)
    const [profiles] = await h.database.db
      .select({ views: sql<number>`sum(${visitorProfiles.pageViews})`.mapWith(Number) })
      .from(visitorProfiles)
      .where(like(visitorProfiles.anonymousId, 'shared-%'))
    expect(profiles!.views).toBe(300)
    await writer.close()
  })

  it('turns requests away with 429 and Retry-After when its buffer is full, never growing past it', async () => {
    const writer = new BatchingWriter(h.database.db, () => h.now.value, { lingerMs: 50, maxPending: 10 })
    const first = writer.write(
      h.a.siteId,
      Array.from({ length: 8 }, () => row()),
    )
    const refused = await writer.write(h.a.siteId, [row(), row(), row()]).catch((error) => error)
    expect(refused).toBeInstanceOf(ApiError)
    expect(refused.status).toBe(429)
    expect(refused.headers).toEqual({ 'Retry-After': '1' })
    expect(writer.backlog).toBe(8)
    expect((await first).stored).toHaveLength(8)
    expect(writer.backlog).toBe(0)
    await writer.close()
  })

  it('writes a failed group’s requests again one by one: only the request with the refused row fails', async () => {
    const errors: unknown[] = []
    const { db, counter } = countingDb(h.database.db)
    const writer = new BatchingWriter(db, () => h.now.value, {
      lingerMs: 20,
      onError: (error) => errors.push(error),
    })
    const good = Array.from({ length: 5 }, () => [row(), row()])
    // A row the database refuses (validation upstream should never let one through) rolls the group back.
    const bad = row({ campaignId: 'not-a-uuid' })
    const badsNeighbour = row()
    const results = await Promise.allSettled([
      ...good.slice(0, 2).map((rows) => writer.write(h.a.siteId, rows)),
      writer.write(h.a.siteId, [badsNeighbour, bad]),
      ...good.slice(2).map((rows) => writer.write(h.a.siteId, rows)),
    ])
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ])
    expect((results[2] as PromiseRejectedResult).reason.status).toBe(503)
    expect(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.stored.length] : []))).toEqual([
      2, 2, 2, 2, 2,
    ])
    // The group, then each of its six requests alone.
    expect(counter.transactions).toBe(7)
    expect(errors).toHaveLength(2)
    expect(await rowCount(good.flat().map((r) => r.id))).toBe(10)
    expect(await rowCount([bad.id, badsNeighbour.id])).toBe(0)
    expect(writer.backlog).toBe(0)
    const again = await writer.write(h.a.siteId, [badsNeighbour])
    expect(again.stored).toHaveLength(1)
    await writer.close()
  })

  it('answers a whole group 503 at once when the database is away, rather than trying each request again', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address()
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 1))
      })
    })
    const away = openPostgres(`postgres://postgres@127.0.0.1:${port}/promo`, { max: 1 })
    const errors: unknown[] = []
    const { db, counter } = countingDb(away.db)
    const writer = new BatchingWriter(db, () => h.now.value, {
      lingerMs: 20,
      onError: (error) => errors.push(error),
    })
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () => writer.write(h.a.siteId, [row(), row()])),
    )
    expect(results.map((r) => r.status === 'rejected' && r.reason.status)).toEqual([503, 503, 503, 503])
    expect(counter.transactions).toBe(1)
    expect(errors).toHaveLength(1)
    expect(writer.backlog).toBe(0)
    await writer.close()
    await away.close()
  })
})

const variant = (name: string) => ({ ...awarenessCampaign().variants[0]!, name })

describe('ingest with group commit, over HTTP', () => {
  it('stores 1,000 events sent three times, out of order, in concurrent batches, exactly once', async () => {
    const app = createApp({
      database: h.database,
      signingSecret: 'test-signing-secret-0123456789abcdef',
      now: () => h.now.value,
      ingest: 'batched',
    })
    const created = await client(app, { secretKey: h.a.secretKey }).post(
      '/api/v1/campaigns',
      awarenessCampaign({ name: 'Exactly once', variants: [variant('A'), variant('B')] }),
    )
    const campaign = (await created.json()) as { id: string; variants: { id: string }[] }
    // Impressions, viewable impressions and clicks of two variants, page views, and purchases with a value,
    // over two days: what the rollups must count once each.
    const kinds = ['impression', 'impression', 'viewable', 'click', 'page', 'Purchase'] as const
    const ids = Array.from({ length: 1_000 }, () => crypto.randomUUID())
    const originals = ids.map((id, i) => {
      const name = kinds[i % kinds.length]!
      const unit =
        name === 'page' || name === 'Purchase'
          ? {}
          : {
              campaignId: campaign.id,
              variantId: campaign.variants[i % 2]!.id,
            }
      return {
        id,
        name,
        timestamp: new Date(h.now.value - (i % 600) * 300_000).toISOString(),
        anonymousId: `visitor-${i % 37}`,
        ...unit,
        ...(name === 'Purchase' ? { value: 10 + (i % 7), currency: 'EUR' } : {}),
      }
    })
    const items = [...originals, ...originals, ...originals]
    // A fixed shuffle, so a failure can be replayed.
    let seed = 7
    for (let i = items.length - 1; i > 0; i--) {
      seed = (seed * 16_807) % 2_147_483_647
      const j = seed % (i + 1)
      ;[items[i], items[j]] = [items[j]!, items[i]!]
    }
    const batches = Array.from({ length: 30 }, (_, b) => items.slice(b * 100, b * 100 + 100))
    const answers: { accepted: number; duplicates: number }[] = []
    for (let wave = 0; wave < 3; wave++) {
      const sent = batches.slice(wave * 10, wave * 10 + 10).map(async (batch) => {
        const res = await client(app).post('/api/v1/events', { site: h.a.publishableKey, batch })
        expect(res.status).toBe(200)
        return (await res.json()) as { accepted: number; duplicates: number }
      })
      answers.push(...(await Promise.all(sent)))
    }
    expect(answers.reduce((sum, a) => sum + a.accepted, 0)).toBe(1_000)
    expect(answers.reduce((sum, a) => sum + a.duplicates, 0)).toBe(2_000)
    expect(await rowCount(ids)).toBe(1_000)
    expect(await rollupMismatches(h.database.db, h.a.siteId)).toEqual([])
    const analytics = (await (
      await client(app, { secretKey: h.a.secretKey }).get(
        `/api/v1/campaigns/${campaign.id}/analytics?interval=hour&from=${new Date(h.now.value - 3 * 86_400_000).toISOString()}`,
      )
    ).json()) as { totals: { impressions: number; clicks: number; reach: number } }
    const sent = (name: string) => originals.filter((o) => o.name === name && 'campaignId' in o).length
    expect(analytics.totals).toMatchObject({
      impressions: sent('impression'),
      clicks: sent('click'),
      reach: 37,
    })
    await app.services.writer.close()
  })
})
