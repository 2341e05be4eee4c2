import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MemoryKv } from '../adapters/kv/memory'
import { createApp } from '../app'
import { ClickSigner } from '../core/clicks'
import type { Kv } from '../ports/kv'
import type { Logger } from '../ports/log'
import { serverTypes } from '../promotions'
import { nodeEnv } from '../runtime/node-env'
import { PreCounts } from '../services/limits/counter'
import { defaultLimits, type LimitName, type LimitOverrides, limitsFromEnv } from '../services/limits/rules'
import { createHarness, type Harness, testKv } from '../testing/harness'
import { limitedRoutes } from './limits'

const secret = 'test-signing-secret-0123456789abcdef'
/** The registry's types (sales' public reveal route among the limited ones). */
const types = serverTypes
const browser =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

/** An app behind a proxy that names the visitor in x-forwarded-for, with the given limits. */
const limited = (rateLimits: LimitOverrides, kv: Kv = new MemoryKv(), log?: Logger) =>
  createApp(
    {
      database: h.database,
      kv,
      signingSecret: secret,
      now: () => h.now.value,
      clientIpHeader: 'x-forwarded-for',
      rateLimits,
      ...(log ? { log } : {}),
    },
    types,
  )

const serve = (app: ReturnType<typeof limited>, ip: string, site = h.a.publishableKey) =>
  app.request('/api/v1/serve', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, 'user-agent': browser },
    body: JSON.stringify({ site, anonymousId: `v-${ip}`, slots: ['home-hero'] }),
  })

const off = { address: null, site: null }

describe('per address', () => {
  it('refuses one flooding address with 429 and Retry-After, and not another address of the same site', async () => {
    const app = limited({
      serve: { address: { limit: 3, windowMs: 60_000 }, site: { limit: 50, windowMs: 10_000 } },
    })
    for (let i = 0; i < 3; i++) expect((await serve(app, '198.51.100.1')).status).toBe(200)
    const refused = await serve(app, '198.51.100.1')
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('60')
    expect(await refused.json()).toEqual({
      error: { code: 'rate_limited', message: 'Too many requests: try again shortly' },
    })
    // Refused requests do not count against the site: a hundred more from the flooder leave the site's 50 alone.
    for (let i = 0; i < 100; i++) expect((await serve(app, '198.51.100.1')).status).toBe(429)
    for (let i = 0; i < 3; i++) expect((await serve(app, '198.51.100.2')).status).toBe(200)
    h.now.value += 30_000
    expect((await serve(app, '198.51.100.1')).headers.get('retry-after')).toBe('30')
    h.now.value += 30_000
    expect((await serve(app, '198.51.100.1')).status).toBe(200)
  })

  it('counts the same address on another site apart', async () => {
    const app = limited({ serve: { address: { limit: 1, windowMs: 60_000 } } })
    expect((await serve(app, '198.51.100.3')).status).toBe(200)
    expect((await serve(app, '198.51.100.3')).status).toBe(429)
    expect((await serve(app, '198.51.100.3', h.b.publishableKey)).status).toBe(200)
  })
})

describe('per site', () => {
  it("refuses a flooded site for every address, and not another site's visitors", async () => {
    const app = limited({ serve: { address: null, site: { limit: 5, windowMs: 10_000 } } })
    for (let i = 0; i < 5; i++) expect((await serve(app, `203.0.113.${i}`)).status).toBe(200)
    const refused = await serve(app, '203.0.113.50')
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('10')
    expect((await serve(app, '203.0.113.50', h.b.publishableKey)).status).toBe(200)
    h.now.value += 10_000
    expect((await serve(app, '203.0.113.50')).status).toBe(200)
  })

  it('keeps requests naming no known site apart from every real site', async () => {
    const app = limited({ serve: { address: null, site: { limit: 2, windowMs: 10_000 } } })
    for (let i = 0; i < 3; i++) await serve(app, '203.0.113.60', 'pk_test_nosuchsite0000000000')
    expect((await serve(app, '203.0.113.60', 'pk_test_nosuchsite0000000000')).status).toBe(429)
    expect((await serve(app, '203.0.113.60')).status).toBe(200)
  })
})

describe('the route table', () => {
  const token = new ClickSigner(secret)
  const requests: Record<LimitName, (ip: string) => [string, RequestInit]> = {
    serve: () => [`/api/v1/campaigns/awareness/serve?site=${h.a.publishableKey}&placement=home-hero`, {}],
    events: () => [
      '/api/v1/events',
      { method: 'POST', body: JSON.stringify({ site: h.a.publishableKey, batch: [{}] }) },
    ],
    leads: () => [
      '/api/v1/leads',
      { method: 'POST', body: JSON.stringify({ site: h.a.publishableKey, campaignId: crypto.randomUUID() }) },
    ],
    engagements: () => [
      '/api/v1/engagements',
      { method: 'POST', body: JSON.stringify({ site: h.a.publishableKey, campaignId: crypto.randomUUID() }) },
    ],
    reveals: () => [
      '/api/v1/promo-codes/reveal',
      { method: 'POST', body: JSON.stringify({ site: h.a.publishableKey, campaignId: crypto.randomUUID() }) },
    ],
    claims: () => [
      '/api/v1/app/claims',
      { method: 'POST', body: JSON.stringify({ site: h.a.publishableKey, clickId: crypto.randomUUID() }) },
    ],
    locator: () => [`/api/v1/locator?site=${h.a.publishableKey}&campaignId=${crypto.randomUUID()}`, {}],
    clicks: () => [
      `/r/${token.sign({ s: h.a.siteId, c: crypto.randomUUID(), v: crypto.randomUUID(), u: 'https://a.example/' })}`,
      {},
    ],
  }

  // The generic routes and every type's own.
  const allRoutes = [...limitedRoutes, ...Object.values(types).flatMap((type) => type?.limits ?? [])]

  it('limits every public route, valid requests or not', async () => {
    const one = { address: { limit: 1, windowMs: 60_000 }, site: null }
    const app = limited({
      serve: one,
      events: one,
      leads: one,
      clicks: one,
      engagements: one,
      reveals: one,
      claims: one,
      locator: one,
    })
    const seen = new Set<LimitName>()
    for (const route of allRoutes) {
      const send = async () => {
        const [path, init] = requests[route.limits]('198.51.100.9')
        const headers = { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.9' }
        return app.request(path, { ...init, headers: { ...headers, 'user-agent': browser } })
      }
      // Routes that share a name share its tally (both serves): only the name's first request goes through.
      const first = await send()
      expect(first.status === 429, route.path).toBe(seen.has(route.limits))
      seen.add(route.limits)
      expect((await send()).status, route.path).toBe(429)
    }
    expect(new Set(allRoutes.map((route) => route.limits))).toEqual(new Set(Object.keys(defaultLimits)))
  })

  it('turns a limit off with null', async () => {
    const app = limited({ serve: off })
    for (let i = 0; i < 20; i++) expect((await serve(app, '198.51.100.10')).status).toBe(200)
  })
})

describe('the shared store', () => {
  it('holds a limit across instances once each has reported its count', async () => {
    const kv = testKv()
    try {
      const site = crypto.randomUUID()
      const limit = { limit: 4, windowMs: 60_000 }
      const [a, b] = [new PreCounts(1_000), new PreCounts(1_000)]
      const log: Logger = { info() {}, error() {} }
      const t = h.now.value
      for (let i = 0; i < 3; i++) expect(a.hit(site, 'k', limit, t)).toBe(0)
      await a.sync(kv, t, log)
      expect(b.hit(site, 'k', limit, t)).toBe(0)
      expect(b.hit(site, 'k', limit, t)).toBe(0)
      await b.sync(kv, t, log)
      // The store has 5 of 4: b is blocked, and a, with only 3 of its own, learns it at its next report.
      expect(b.hit(site, 'k', limit, t)).toBeGreaterThan(0)
      expect(a.hit(site, 'k', limit, t + 1_000)).toBe(0)
      await a.sync(kv, t + 1_000, log)
      expect(a.hit(site, 'k', limit, t + 1_000)).toBeGreaterThan(0)
      // Each instance holds the limit on its own even before it has heard from the store.
      const c = new PreCounts(1_000)
      for (let i = 0; i < 4; i++) expect(c.hit(site, 'j', limit, t)).toBe(0)
      expect(c.hit(site, 'j', limit, t)).toBe(60_000)
    } finally {
      await kv.close()
    }
  })

  it('reports a key only once this instance has counted a tenth of its limit', async () => {
    const kv = testKv()
    try {
      const site = crypto.randomUUID()
      const limit = { limit: 100, windowMs: 60_000 }
      const counts = new PreCounts(1_000)
      const log: Logger = { info() {}, error() {} }
      const t = h.now.value
      for (let i = 0; i < 9; i++) counts.hit(site, 'k', limit, t)
      await counts.sync(kv, t, log)
      // Nothing was reported: the store takes 100 more of its own.
      expect(await kv.hit(site, 'k', 100, 60_000, t, 100)).toBe(0)
      counts.hit(site, 'k', limit, t + 1_000)
      await counts.sync(kv, t + 1_000, log)
      // All 10 now, the store is past its limit, and this instance has heard so.
      expect(counts.hit(site, 'k', limit, t + 1_000)).toBeGreaterThan(0)
    } finally {
      await kv.close()
    }
  })

  it('adds no round trip to the store per request over a networked store', async () => {
    const store = new MemoryKv()
    let hits = 0
    // The memory store seen from outside, as Redis is: only the pre-count knows it is not in this process.
    const networked = new Proxy(store, {
      get: (target, name) => {
        if (name === 'hit') {
          return (...args: Parameters<Kv['hit']>) => {
            hits++
            return target.hit(...args)
          }
        }
        const value = Reflect.get(target, name)
        return typeof value === 'function' ? value.bind(target) : value
      },
      getPrototypeOf: () => Object.prototype,
    })
    const app = limited({}, networked as Kv)
    for (let i = 0; i < 200; i++) expect((await serve(app, `192.0.2.${i}`)).status).toBe(200)
    // Within one second: the site's tally once, and no address, each far below a tenth of its limit.
    expect(hits).toBeLessThanOrEqual(1)
  })

  it('lets traffic through while the store is down, and logs it', async () => {
    const errors: string[] = []
    const log: Logger = { info() {}, error: (message) => errors.push(message) }
    const down = new Proxy({} as Kv, {
      // A networked store that is down: every call fails; it has none of the in-process store's methods.
      get: (_, name) =>
        name === 'siteState' || name === 'hitNow'
          ? undefined
          : () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')),
    })
    const app = limited({ serve: { address: { limit: 5, windowMs: 60_000 } } }, down, log)
    for (let i = 0; i < 3; i++) {
      expect((await serve(app, '198.51.100.11')).status).toBe(200)
      h.now.value += 1_000
    }
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(errors).toContain('rate limit store unavailable; limits held per instance only')
  })
})

describe('configuration', () => {
  it('reads PROMO_RATE_<ROUTE>_<SCOPE> as count/window or off', () => {
    const env = nodeEnv.parse({ PROMO_RATE_SERVE_ADDRESS: '10/1m', PROMO_RATE_LEADS_SITE: 'off' })
    expect(limitsFromEnv(env)).toEqual({
      serve: { address: { limit: 10, windowMs: 60_000 } },
      leads: { site: null },
    })
    const bad = nodeEnv.safeParse({ PROMO_RATE_EVENTS_SITE: 'lots' })
    expect(bad.success).toBe(false)
    expect(bad.error?.issues[0]?.path).toEqual(['PROMO_RATE_EVENTS_SITE'])
    expect(nodeEnv.safeParse({ PROMO_RATE_EVENTS_SITE: '10/0s' }).success).toBe(false)
  })
})
