import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { events, visitorProfiles } from '../../../schema/db'
import { limits } from '../../../schema/limits'
import { MemoryKv } from '../../adapters/kv/memory'
import { createApp } from '../../app'
import type { StoredEvent } from '../../ports/events'
import type { ProfileRule } from '../../ports/kv'
import { client, createHarness, type Harness } from '../../testing/harness'
import { applyEvents, maxTraits, mergeTraits } from './profiles'

const at = (iso: string) => new Date(iso)
const stored = (name: string, timestamp: string, fields: Partial<StoredEvent> = {}): StoredEvent => ({
  id: crypto.randomUUID(),
  siteId: 'site',
  name,
  timestamp: at(timestamp),
  anonymousId: 'anon',
  ...fields,
})

describe('applyEvents', () => {
  it('counts page views, clicks, engagements, purchases and their revenue', () => {
    const profile = applyEvents('site', 'anon', undefined, [
      stored('page', '2026-11-29T10:00:00Z', { sessionId: 's1' }),
      stored('page', '2026-11-29T10:01:00Z', { sessionId: 's1' }),
      stored('click', '2026-11-29T10:02:00Z', { sessionId: 's1' }),
      stored('share', '2026-11-29T10:03:00Z', { sessionId: 's1' }),
      stored('Lead', '2026-11-29T10:04:00Z', { sessionId: 's1' }),
      stored('Purchase', '2026-11-29T10:05:00Z', { sessionId: 's1', value: 120.5 }),
      stored('Purchase', '2026-11-29T10:06:00Z', { sessionId: 's1' }),
      stored('impression', '2026-11-29T10:07:00Z', { sessionId: 's1' }),
      stored('ViewContent', '2026-11-29T10:08:00Z', { sessionId: 's1' }),
    ])
    expect(profile).toMatchObject({
      sessions: 1,
      pageViews: 2,
      clicks: 1,
      engagements: 2,
      purchases: 2,
      revenue: 120.5,
      firstSeenAt: at('2026-11-29T10:00:00Z'),
      lastSeenAt: at('2026-11-29T10:08:00Z'),
      previousVisitAt: null,
      lastSessionId: 's1',
    })
  })

  it('counts a session once, and a new one moves the previous visit to where the last one ended', () => {
    const first = applyEvents('site', 'anon', undefined, [
      stored('page', '2026-11-01T10:00:00Z', { sessionId: 's1' }),
      stored('page', '2026-11-01T10:20:00Z', { sessionId: 's1' }),
    ])
    const sameSession = applyEvents('site', 'anon', first, [
      stored('page', '2026-11-01T10:30:00Z', { sessionId: 's1' }),
    ])
    expect(sameSession).toMatchObject({ sessions: 1, previousVisitAt: null, pageViews: 3 })
    const twoMore = applyEvents('site', 'anon', sameSession, [
      stored('page', '2026-11-29T09:00:00Z', { sessionId: 's3' }),
      stored('page', '2026-11-20T09:00:00Z', { sessionId: 's2' }),
      stored('page', '2026-11-20T09:10:00Z', { sessionId: 's2' }),
    ])
    expect(twoMore).toMatchObject({
      sessions: 3,
      lastSessionId: 's3',
      previousVisitAt: at('2026-11-20T09:10:00Z'),
      lastSeenAt: at('2026-11-29T09:00:00Z'),
      firstSeenAt: at('2026-11-01T10:00:00Z'),
    })
  })

  it('does not count a straggler from an old session, arriving late, as a new visit', () => {
    const before = applyEvents('site', 'anon', undefined, [
      stored('page', '2026-11-20T09:00:00Z', { sessionId: 's2' }),
    ])
    const late = applyEvents('site', 'anon', before, [
      stored('page', '2026-11-10T09:00:00Z', { sessionId: 's1' }),
    ])
    expect(late).toMatchObject({
      sessions: 1,
      lastSessionId: 's2',
      pageViews: 2,
      firstSeenAt: at('2026-11-10T09:00:00Z'),
      lastSeenAt: at('2026-11-20T09:00:00Z'),
    })
  })

  it('keeps the latest user id and merges identify traits in time order', () => {
    const profile = applyEvents('site', 'anon', undefined, [
      stored('identify', '2026-11-29T10:05:00Z', { userId: 'u2', props: { plan: 'team' } }),
      stored('identify', '2026-11-29T10:00:00Z', { userId: 'u1', props: { plan: 'pro', age: 21 } }),
      stored('page', '2026-11-29T10:01:00Z'),
    ])
    expect(profile.userId).toBe('u2')
    expect(profile.traits).toEqual({ plan: 'team', age: 21 })
  })
})

describe('mergeTraits', () => {
  it('keeps scalars under keys a condition can name, and clips strings', () => {
    const traits = mergeTraits(
      {},
      { plan: 'pro', vip: true, ltv: 12.5, none: null, 'has space': 'x', long: 'y'.repeat(500) },
    )
    expect(traits).toEqual({ plan: 'pro', vip: true, ltv: 12.5, long: 'y'.repeat(limits.shortText) })
  })

  it('never cuts inside a surrogate pair', () => {
    const clipped = mergeTraits({}, { name: `${'a'.repeat(limits.shortText - 1)}😀` }).name as string
    expect(clipped).toBe('a'.repeat(limits.shortText - 1))
  })

  it(`holds at most ${maxTraits} keys: known ones still change, new ones are dropped`, () => {
    const full = Object.fromEntries(Array.from({ length: maxTraits }, (_, i) => [`k${i}`, i]))
    const merged = mergeTraits(full, { k0: 'changed', extra: 1 })
    expect(Object.keys(merged)).toHaveLength(maxTraits)
    expect(merged.k0).toBe('changed')
    expect(merged).not.toHaveProperty('extra')
  })

  it('keeps __proto__ as a plain trait', () => {
    const merged = mergeTraits({}, JSON.parse('{"__proto__": "x"}'))
    expect(Object.hasOwn(merged, '__proto__')).toBe(true)
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype)
  })
})

describe('ingest keeps profiles', () => {
  let h: Harness
  beforeAll(async () => {
    h = await createHarness()
  })
  afterAll(() => h.close())

  const event = (anonymousId: string, name: string, fields: Record<string, unknown> = {}) => ({
    id: crypto.randomUUID(),
    name,
    timestamp: new Date(h.now.value).toISOString(),
    anonymousId,
    sessionId: `${anonymousId}-s1`,
    ...fields,
  })
  const post = (batch: unknown[], app = h.app) =>
    client(app).post('/api/v1/events', { site: h.a.publishableKey, batch })
  const profileOf = async (anonymousId: string) =>
    (
      await h.database.db
        .select()
        .from(visitorProfiles)
        .where(and(eq(visitorProfiles.siteId, h.a.siteId), eq(visitorProfiles.anonymousId, anonymousId)))
    )[0]
  /** Whether the key-value store's copy of the profile passes a rule, asked the way serving asks. */
  const kvSays = async (visitor: string, when: ProfileRule) => {
    const result = await h.app.services.kv.claim({
      site: h.a.siteId,
      visitor,
      session: '',
      now: h.now.value,
      leaseMs: 60_000,
      groups: [[{ campaign: 'probe', when }]],
    })
    return result.chosen[0] === 0
  }

  it('turns a purchase over 100 and an identify into a profile, its segments and the key-value copy; a resent batch changes nothing', async () => {
    const setProfiles = vi.spyOn(h.app.services.kv, 'setProfiles')
    const batch = [
      event('buyer', 'page'),
      event('buyer', 'identify', { userId: 'user-7', props: { plan: 'pro', age: 21, email: null } }),
      event('buyer', 'Purchase', { value: 149.9, currency: 'EUR' }),
    ]
    expect(await (await post(batch)).json()).toMatchObject({ accepted: 3 })
    const profile = await profileOf('buyer')
    expect(profile).toMatchObject({
      userId: 'user-7',
      sessions: 1,
      pageViews: 1,
      purchases: 1,
      revenue: 149.9,
      traits: { plan: 'pro', age: 21 },
      previousVisitAt: null,
    })
    expect(profile!.segments).toEqual(['gen_z', 'customer', 'high_value_customer', 'active'])
    expect(setProfiles).toHaveBeenCalledTimes(1)
    expect(await kvSays('buyer', { segment: 'customer' })).toBe(true)
    expect(await kvSays('buyer', { segment: 'prospect' })).toBe(false)
    expect(await kvSays('buyer', { trait: 'plan', op: 'equals', value: 'pro' })).toBe(true)
    expect(await kvSays('buyer', { returning: false })).toBe(true)

    expect(await (await post(batch)).json()).toMatchObject({ accepted: 0, duplicates: 3 })
    expect(await profileOf('buyer')).toEqual(profile)
    expect(setProfiles).toHaveBeenCalledTimes(1)
    setProfiles.mockRestore()
  })

  it('marks a visitor back after 40 days returning and inactive, and active again on the next visit', async () => {
    const start = h.now.value
    await post([event('lapsed', 'page', { timestamp: new Date(start - 40 * 86_400_000).toISOString() })])
    await post([event('lapsed', 'page', { sessionId: 'lapsed-s2' })])
    const back = await profileOf('lapsed')
    expect(back).toMatchObject({ sessions: 2, previousVisitAt: new Date(start - 40 * 86_400_000) })
    expect(back!.segments).toContain('inactive')
    expect(back!.segments).toContain('at_risk')
    expect(await kvSays('lapsed', { returning: true })).toBe(true)
    expect(await kvSays('lapsed', { segment: 'inactive' })).toBe(true)

    h.now.value = start + 2 * 86_400_000
    try {
      await post([event('lapsed', 'page', { sessionId: 'lapsed-s3' })])
    } finally {
      h.now.value = start
    }
    expect((await profileOf('lapsed'))!.segments).toContain('active')
    expect(await kvSays('lapsed', { segment: 'inactive' })).toBe(false)
  })

  it("evaluates the site's custom segments over traits and the events within each one's lookback", async () => {
    const admin = client(h.app, { secretKey: h.a.secretKey })
    const created = await admin.post('/api/v1/audiences', {
      key: 'cart_abandoner',
      name: 'Cart abandoners',
      lookbackDays: 7,
      rule: {
        all: [
          { field: 'event', name: 'AddToCart', op: 'gte', count: 2 },
          { not: { field: 'event', name: 'Purchase', op: 'gte', count: 1 } },
        ],
      },
    })
    expect(created.status).toBe(201)
    await admin.post('/api/v1/audiences', {
      key: 'pro_plan',
      name: 'Pro plan',
      rule: { field: 'trait', key: 'plan', op: 'equals', value: 'pro' },
    })
    const longAgo = new Date(h.now.value - 10 * 86_400_000).toISOString()
    await post([event('carts', 'AddToCart', { timestamp: longAgo }), event('carts', 'AddToCart')])
    expect((await profileOf('carts'))!.segments).not.toContain('cart_abandoner')
    await post([event('carts', 'AddToCart'), event('carts', 'identify', { props: { plan: 'pro' } })])
    const segments = (await profileOf('carts'))!.segments
    expect(segments).toContain('cart_abandoner')
    expect(segments).toContain('pro_plan')
    expect(await kvSays('carts', { segment: 'cart_abandoner' })).toBe(true)
    await post([event('carts', 'Purchase', { value: 20 })])
    expect((await profileOf('carts'))!.segments).not.toContain('cart_abandoner')
  })

  it('adds up concurrent batches for the same new visitors, in either order, without losing one', async () => {
    const batches = Array.from({ length: 8 }, (_, i) => {
      const pair = [
        event('busy-a', 'page', { sessionId: 's1' }),
        event('busy-b', 'click', { sessionId: 's1' }),
      ]
      return i % 2 ? pair : pair.reverse()
    })
    const results = await Promise.all(batches.map((batch) => post(batch)))
    expect(results.map((r) => r.status)).toEqual(batches.map(() => 200))
    expect(await profileOf('busy-a')).toMatchObject({ sessions: 1, pageViews: 8 })
    expect(await profileOf('busy-b')).toMatchObject({ sessions: 1, clicks: 8 })
  })

  it('stores the batch and its profile when the key-value store fails, and logs no ids or traits', async () => {
    class FailingKv extends MemoryKv {
      override async setProfiles(): Promise<void> {
        throw new Error('write failed for visitor secret-visitor with traits jane@example.com')
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
    const res = await post(
      [
        event('secret-visitor', 'identify', { props: { email: 'jane@example.com' } }),
        event('secret-visitor', 'page'),
      ],
      app,
    )
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ accepted: 2 })
    expect(await profileOf('secret-visitor')).toMatchObject({
      pageViews: 1,
      traits: { email: 'jane@example.com' },
    })
    const stored = await h.database.db.select().from(events).where(eq(events.anonymousId, 'secret-visitor'))
    expect(stored).toHaveLength(2)
    expect(log.error).toHaveBeenCalledTimes(1)
    const logged = JSON.stringify(log.error.mock.calls)
    expect(logged).toContain(h.a.siteId)
    expect(logged).not.toContain('secret-visitor')
    expect(logged).not.toContain('jane@example.com')
  })
})
