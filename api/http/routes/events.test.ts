import { count, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import * as api from '../../../schema/api'
import { events } from '../../../schema/db'
import { MemoryKv } from '../../adapters/kv/memory'
import { createApp } from '../../app'
import {
  awarenessCampaign,
  client,
  createHarness,
  type Harness,
  readError,
  readJson,
} from '../../testing/harness'

let h: Harness
let campaignId: string
let variantId: string
beforeAll(async () => {
  h = await createHarness()
  const created = await readJson(
    await client(h.app, { secretKey: h.a.secretKey }).post('/api/v1/campaigns', awarenessCampaign()),
    api.campaign,
  )
  campaignId = created.id
  variantId = created.variants[0]!.id
})
afterAll(() => h.close())

const event = (overrides: Record<string, unknown> = {}) => ({
  id: crypto.randomUUID(),
  name: 'impression',
  timestamp: '2026-11-29T12:00:00.000Z',
  anonymousId: 'anon-1',
  sessionId: 'session-1',
  campaignId,
  variantId,
  slot: 'home-hero',
  url: 'https://a.example/',
  ...overrides,
})

const rows = async (where = eq(events.siteId, h.a.siteId)) =>
  (await h.database.db.select({ n: count() }).from(events).where(where))[0]!.n

describe('POST /api/v1/events', () => {
  it('stores a batch and is idempotent by event id', async () => {
    const batch = [
      event(),
      event({ name: 'viewable' }),
      event({ name: 'Purchase', value: 49.9, currency: 'EUR' }),
    ]
    const first = await readJson(
      await client(h.app).post('/api/v1/events', { site: h.a.publishableKey, batch }),
      api.batchAnswer,
    )
    expect(first).toEqual({ accepted: 3, duplicates: 0, rejected: [] })
    const again = await readJson(
      await client(h.app).post('/api/v1/events', { site: h.a.publishableKey, batch }),
      api.batchAnswer,
    )
    expect(again).toEqual({ accepted: 0, duplicates: 3, rejected: [] })
    for (const e of batch) expect(await rows(eq(events.id, e.id))).toBe(1)
  })

  it('counts a repeated id inside one batch once', async () => {
    const one = event()
    const res = await readJson(
      await client(h.app).post('/api/v1/events', { site: h.a.publishableKey, batch: [one, one] }),
      api.batchAnswer,
    )
    expect(res).toEqual({ accepted: 1, duplicates: 1, rejected: [] })
  })

  it('accepts text/plain JSON from sendBeacon', async () => {
    const body = JSON.stringify({ site: h.a.publishableKey, batch: [event()] })
    const res = await client(h.app).post('/api/v1/events', body, 'text/plain;charset=UTF-8')
    expect(res.status).toBe(200)
    expect((await readJson(res, api.batchAnswer)).accepted).toBe(1)
  })

  it('rejects bad items one by one, with index and field, and keeps the good ones', async () => {
    const good = event()
    const before = await rows()
    const res = await readJson(
      await client(h.app).post('/api/v1/events', {
        site: h.a.publishableKey,
        batch: [
          event({ id: 'not-a-uuid' }),
          good,
          event({ name: 'x'.repeat(500) }),
          event({ timestamp: 'yesterday' }),
          event({ campaignId: crypto.randomUUID() }),
          event({ props: { ok: 1, nested: { no: true } } }),
          'just a string',
        ],
      }),
      api.batchAnswer,
    )
    expect(res.accepted).toBe(1)
    expect(res.rejected.map((r) => [r.index, r.error.details?.[0]?.path])).toEqual([
      [0, 'id'],
      [2, 'name'],
      [3, 'timestamp'],
      [4, 'campaignId'],
      [5, 'props.nested'],
      [6, ''],
    ])
    expect(await rows()).toBe(before + 1)
    expect(await rows(eq(events.id, good.id))).toBe(1)
  })

  it('rejects text PostgreSQL cannot store (half an emoji, NUL) at its field, and stores the rest', async () => {
    const good = event()
    const before = await rows()
    const res = await client(h.app).post('/api/v1/events', {
      site: h.a.publishableKey,
      batch: [
        event({ props: { title: `cut emoji ${'😀'.slice(0, 1)}` } }),
        good,
        event({ url: 'https://a.example/\u0000' }),
        event({ props: { '\ud800key': 1 } }),
      ],
    })
    expect(res.status).toBe(200)
    const body = await readJson(res, api.batchAnswer)
    expect(body.accepted).toBe(1)
    expect(body.rejected.map((r) => [r.index, r.error.details?.[0]?.path])).toEqual([
      [0, 'props.title'],
      [2, 'url'],
      [3, 'props.\ud800key'],
    ])
    expect(await rows()).toBe(before + 1)
    // Elsewhere the whole body is refused with the field's path, before anything is written.
    const campaign = await client(h.app, { secretKey: h.a.secretKey }).post(
      '/api/v1/campaigns',
      awarenessCampaign({ name: 'Bad \u0000 name' }),
    )
    expect(campaign.status).toBe(400)
    expect((await readError(campaign)).details).toEqual([
      { path: 'name', message: 'must be valid Unicode text without NUL characters' },
    ])
  })

  it('answers a crawler but stores nothing it sends', async () => {
    const before = await rows()
    const res = await client(h.app).send('POST', '/api/v1/events', {
      site: h.a.publishableKey,
      batch: [event(), event()],
    })
    expect(res.status).toBe(200)
    const bot = await h.app.request('/api/v1/events', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      },
      body: JSON.stringify({ site: h.a.publishableKey, batch: [event(), event(), event()] }),
    })
    expect(await bot.json()).toEqual({ accepted: 0, duplicates: 0, rejected: [], filtered: 3 })
    expect(await rows()).toBe(before + 2)
  })

  it('refuses an unknown key, a foreign origin, an empty batch and an oversized body', async () => {
    const unknown = await client(h.app).post('/api/v1/events', {
      site: 'pk_live_nosuchkeynosuchkey00',
      batch: [event()],
    })
    expect(unknown.status).toBe(401)
    const foreign = await client(h.app, { origin: 'https://evil.example' }).post('/api/v1/events', {
      site: h.a.publishableKey,
      batch: [event()],
    })
    expect(foreign.status).toBe(403)
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull()
    const empty = await client(h.app).post('/api/v1/events', { site: h.a.publishableKey, batch: [] })
    expect(empty.status).toBe(400)
    const huge = await client(h.app).post('/api/v1/events', {
      site: h.a.publishableKey,
      batch: Array.from({ length: 90 }, () =>
        event({ url: 'x'.repeat(2000), props: { a: 'y'.repeat(1000) } }),
      ),
    })
    expect(huge.status).toBe(413)
  })

  it("answers CORS only for the site's own origin", async () => {
    const res = await client(h.app, { origin: h.a.origin }).post('/api/v1/events', {
      site: h.a.publishableKey,
      batch: [event()],
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe(h.a.origin)
    const preflight = await h.app.request(`/api/v1/events?site=${h.a.publishableKey}`, {
      method: 'OPTIONS',
      headers: { origin: h.a.origin, 'access-control-request-method': 'POST' },
    })
    expect(preflight.headers.get('access-control-allow-origin')).toBe(h.a.origin)
    const foreignPreflight = await h.app.request(`/api/v1/events?site=${h.a.publishableKey}`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(foreignPreflight.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('what PostgreSQL would refuse, with group commit (ingest: batched)', () => {
  const logged: { message: string; fields?: Record<string, unknown> }[] = []
  let batched: ReturnType<typeof createApp>
  beforeAll(() => {
    batched = createApp({
      database: h.database,
      signingSecret: 'test-signing-secret-0123456789abcdef',
      now: () => h.now.value,
      ingest: 'batched',
      log: { info() {}, error: (message, fields) => logged.push({ message, fields }) },
    })
  })
  afterAll(() => batched.services.writer.close())

  const visitors = Array.from({ length: 20 }, (_, i) => `visitor-${i}@people.example`)
  const visitorBatch = (visitor: string) => [
    event({ anonymousId: visitor, userId: visitor, name: 'identify', props: { email: visitor } }),
    event({ anonymousId: visitor }),
  ]
  const post = (batch: unknown[]) =>
    client(batched).post('/api/v1/events', { site: h.a.publishableKey, batch })

  it('refuses each unstorable item at its index and field, and stores everything else of everyone', async () => {
    const before = await rows()
    const unstorable = [
      event({ timestamp: '0000-01-01T00:00:00Z' }),
      event({ timestamp: '0999-12-31T23:59:59Z' }),
      event({ timestamp: '9999-06-01T00:00:00+00:00' }),
      event({ sessionId: 'nul\u0000' }),
      event({ props: { note: 'half \ud83d' } }),
      event({ props: { 'k\u0000': 1 } }),
      event({ value: 1e13 }),
    ]
    const mixed = [event(), ...unstorable, event()]
    const answers = await Promise.all([post(mixed), ...visitors.map((v) => post(visitorBatch(v)))])
    expect(answers.map((res) => res.status)).toEqual(answers.map(() => 200))
    const [first, ...others] = await Promise.all(answers.map((res) => readJson(res, api.batchAnswer)))
    if (!first) throw new Error('no answer')
    expect(first.accepted).toBe(2)
    expect(first.rejected.map((r) => [r.index, r.error.details?.[0]?.path])).toEqual([
      [1, 'timestamp'],
      [2, 'timestamp'],
      [3, 'timestamp'],
      [4, 'sessionId'],
      [5, 'props.note'],
      [6, 'props.k\u0000'],
      [7, 'value'],
    ])
    expect(first.rejected[0]?.error.details?.[0]?.message).toBe(
      'must be a time between the years 1000 and 9999',
    )
    expect(others.map((o) => o.accepted)).toEqual(visitors.map(() => 2))
    expect(await rows()).toBe(before + 2 + visitors.length * 2)
    expect(logged).toEqual([])
  })

  it('fails only the request the database refuses, and logs its error class and SQLSTATE, never its values', async () => {
    // A refusal no validation foresees, made by the database itself: a constraint added for this test.
    await h.database.db.execute(
      sql`alter table events add constraint test_refuses_poison check (anonymous_id <> 'poison-pill')`,
    )
    try {
      const before = await rows()
      const answers = await Promise.all([
        ...visitors.slice(0, 10).map((v) => post(visitorBatch(v.replace('visitor', 'again')))),
        post([event({ anonymousId: 'poison-pill', userId: 'poison@people.example' })]),
        ...visitors.slice(10).map((v) => post(visitorBatch(v.replace('visitor', 'again')))),
      ])
      expect(answers.map((res) => res.status)).toEqual(answers.map((_, i) => (i === 10 ? 503 : 200)))
      expect(answers[10]!.headers.get('retry-after')).toBe('1')
      expect(await rows()).toBe(before + visitors.length * 2)
      expect(logged.length).toBeGreaterThan(0)
      for (const { message, fields } of logged) {
        expect(message).toBe('event batch not stored')
        expect(fields).toMatchObject({ error: 'DrizzleQueryError', code: '23514' })
        expect(JSON.stringify(fields)).not.toMatch(/poison|people\.example|params|events \(/)
      }
    } finally {
      await h.database.db.execute(sql`alter table events drop constraint test_refuses_poison`)
    }
  })
})

describe('identity', () => {
  it('links the anonymous id to the user id from identify, keeping traits, and moves it on a later identify', async () => {
    const { identities } = await import('../../../schema/db')
    const identify = (userId: string, props: Record<string, unknown> | undefined, at: string) =>
      event({
        name: 'identify',
        anonymousId: 'anon-link',
        userId,
        props,
        timestamp: at,
        campaignId: undefined,
        variantId: undefined,
      })
    await client(h.app).post('/api/v1/events', {
      site: h.a.publishableKey,
      batch: [identify('user-1', { plan: 'pro' }, '2026-11-29T10:00:00.000Z')],
    })
    const linked = await h.database.db
      .select()
      .from(identities)
      .where(eq(identities.anonymousId, 'anon-link'))
    expect(linked).toMatchObject([{ siteId: h.a.siteId, userId: 'user-1', traits: { plan: 'pro' } }])

    // A plain event with another user id moves the link and keeps the traits it had.
    await client(h.app).post('/api/v1/events', {
      site: h.a.publishableKey,
      batch: [
        event({
          name: 'Purchase',
          anonymousId: 'anon-link',
          userId: 'user-2',
          campaignId: undefined,
          variantId: undefined,
        }),
      ],
    })
    const moved = await h.database.db.select().from(identities).where(eq(identities.anonymousId, 'anon-link'))
    expect(moved).toMatchObject([{ userId: 'user-2', traits: { plan: 'pro' } }])
  })

  it('links nothing for events another site sent, or for duplicates', async () => {
    const { identities } = await import('../../../schema/db')
    const one = event({
      name: 'identify',
      anonymousId: 'anon-dup',
      userId: 'user-9',
      campaignId: undefined,
      variantId: undefined,
    })
    await client(h.app).post('/api/v1/events', { site: h.b.publishableKey, batch: [one] })
    const rows = await h.database.db.select().from(identities).where(eq(identities.anonymousId, 'anon-dup'))
    expect(rows.map((r) => r.siteId)).toEqual([h.b.siteId])
  })
})

describe('viewable impressions', () => {
  it('tell the key-value store once per visitor, for campaigns whose cap counts viewable impressions', async () => {
    const admin = client(h.app, { secretKey: h.a.secretKey })
    const activeCampaign = async (frequency?: Record<string, unknown>) => {
      const created = await readJson(
        await admin.post('/api/v1/campaigns', awarenessCampaign(frequency ? { frequency } : {})),
        api.campaign,
      )
      expect((await admin.post(`/api/v1/campaigns/${created.id}/activate`)).status).toBe(200)
      return created as { id: string; variants: { id: string }[] }
    }
    const capped = await activeCampaign()
    const onServe = await activeCampaign({ perDay: 2, countOn: 'serve' })
    const uncapped = await activeCampaign({ countOn: 'viewable' })
    const seen = (
      campaign: { id: string; variants: { id: string }[] },
      anonymousId: string,
      name = 'viewable',
    ) => event({ name, anonymousId, campaignId: campaign.id, variantId: campaign.variants[0]!.id })
    const batch = [
      seen(capped, 'viewer-1'),
      seen(onServe, 'viewer-1'),
      seen(uncapped, 'viewer-1'),
      seen(capped, 'viewer-1', 'impression'),
      seen(capped, 'viewer-2'),
      seen(capped, 'viewer-1'),
    ]
    const viewed = vi.spyOn(h.app.services.kv, 'viewed')
    try {
      await client(h.app).post('/api/v1/events', { site: h.a.publishableKey, batch })
      expect(viewed.mock.calls).toEqual([
        [h.a.siteId, 'viewer-1', [capped.id, capped.id], h.now.value],
        [h.a.siteId, 'viewer-2', [capped.id], h.now.value],
      ])
      await client(h.app).post('/api/v1/events', { site: h.a.publishableKey, batch })
      expect(viewed).toHaveBeenCalledTimes(2)
    } finally {
      viewed.mockRestore()
    }
    // The counts are what serving's cap check reads: two viewable impressions fill a cap of two a day.
    const claim = (cap: number) =>
      h.app.services.kv.claim({
        site: h.a.siteId,
        visitor: 'viewer-1',
        session: '',
        now: h.now.value,
        leaseMs: 60_000,
        groups: [[{ campaign: capped.id, cap: { day: cap, countOn: 'viewable' } }]],
      })
    expect((await claim(2)).skipped[0]).toEqual(['cap_day'])
    expect((await claim(3)).chosen).toEqual([0])
  })

  it('still answers 200 when the key-value store fails, and logs it', async () => {
    class FailingKv extends MemoryKv {
      override async viewed(): Promise<void> {
        throw new Error('unreachable')
      }
    }
    const log = { info: vi.fn(), error: vi.fn() }
    const app = createApp({
      database: h.database,
      signingSecret: 'test-signing-secret-0123456789abcdef',
      now: () => h.now.value,
      kv: new FailingKv(),
      log,
    })
    const admin = client(app, { secretKey: h.a.secretKey })
    const campaign = await readJson(await admin.post('/api/v1/campaigns', awarenessCampaign()), api.campaign)
    await admin.post(`/api/v1/campaigns/${campaign.id}/activate`)
    const one = event({ name: 'viewable', campaignId: campaign.id, variantId: campaign.variants[0]!.id })
    const res = await client(app).post('/api/v1/events', { site: h.a.publishableKey, batch: [one] })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ accepted: 1 })
    expect(log.error).toHaveBeenCalledWith('viewable impressions not mirrored to the key-value store', {
      siteId: h.a.siteId,
      error: 'Error',
    })
  })
})
