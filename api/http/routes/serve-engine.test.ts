import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import * as api from '../../../schema/api'
import { MemoryKv } from '../../adapters/kv/memory'
import { createApp } from '../../app'
import type { Kv } from '../../ports/kv'
import {
  awarenessCampaign,
  client,
  createHarness,
  type Harness,
  login,
  readError,
  readJson,
} from '../../testing/harness'

let h: Harness
const admin = () => client(h.app, { secretKey: h.a.secretKey })
let slot = 0
/** Each test gets its own slot, so campaigns of earlier tests never compete. */
const freshSlot = () => `engine-${++slot}`

async function activeCampaign(overrides: Record<string, unknown>, app = h.app) {
  const res = await client(app, { secretKey: h.a.secretKey }).post(
    '/api/v1/campaigns',
    awarenessCampaign(overrides),
  )
  expect(res.status).toBe(201)
  const created = await readJson(res, api.campaign)
  expect(
    (await client(app, { secretKey: h.a.secretKey }).post(`/api/v1/campaigns/${created.id}/activate`)).status,
  ).toBe(200)
  return created
}

const serveWith = (
  app: Harness['app'],
  body: Record<string, unknown>,
  query = '',
  auth?: { secretKey: string },
) =>
  client(app, auth).post(`/api/v1/serve${query}`, {
    site: h.a.publishableKey,
    anonymousId: 'visitor-1',
    context: { url: 'https://a.example/' },
    ...body,
  })
const serve = (body: Record<string, unknown>, query = '', auth?: { secretKey: string }) =>
  serveWith(h.app, body, query, auth)

async function shown(body: Record<string, unknown>, app = h.app): Promise<string[]> {
  const res = await serveWith(app, body)
  expect(res.status).toBe(200)
  return (await readJson(res, api.serveAnswer)).decisions.map((d) => d.campaignId)
}

beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())
beforeEach(() => {
  h.now.value = Date.parse('2026-11-30T09:00:00Z') + slot * 7 * 86_400_000
})

describe('frequency caps through /serve', () => {
  it('gives new campaigns their type’s default caps: awareness 3 a day, remarketing 5 and 24 h apart', async () => {
    const awareness = await readJson(
      await admin().post('/api/v1/campaigns', awarenessCampaign()),
      api.campaign,
    )
    expect(awareness.frequency).toEqual({ perDay: 3, countOn: 'viewable' })
    const remarketing = await readJson(
      await admin().post(
        '/api/v1/campaigns',
        awarenessCampaign({
          type: 'remarketing',
          config: { audience: { kind: 'cart_abandoners' } },
          placements: [],
        }),
      ),
      api.campaign,
    )
    expect(remarketing.frequency).toEqual({ lifetime: 5, minHoursBetween: 24, countOn: 'viewable' })
    const explicit = await readJson(
      await admin().post('/api/v1/campaigns', awarenessCampaign({ frequency: { perHour: 1 } })),
      api.campaign,
    )
    expect(explicit.frequency).toEqual({ perHour: 1, countOn: 'viewable' })
  })

  it('caps a visitor per day on serves, falls through to the next campaign, and counts visitors apart', async () => {
    const where = freshSlot()
    const capped = await activeCampaign({
      placements: [where],
      priority: 9,
      frequency: { perDay: 2, countOn: 'serve' },
    })
    const filler = await activeCampaign({ placements: [where], frequency: {} })
    const seen = []
    for (let i = 0; i < 4; i++) seen.push((await shown({ slots: [where] }))[0])
    expect(seen).toEqual([capped.id, capped.id, filler.id, filler.id])
    expect(await shown({ slots: [where], anonymousId: 'visitor-2' })).toEqual([capped.id])
    h.now.value += 86_400_000
    expect(await shown({ slots: [where] })).toEqual([capped.id])
  })

  it('holds a viewable-counted cap with a lease until the impression is viewable or the lease runs out', async () => {
    const where = freshSlot()
    const capped = await activeCampaign({ placements: [where], frequency: { perDay: 1 } })
    expect(await shown({ slots: [where] })).toEqual([capped.id])
    // Served but not yet viewable: the lease counts, so a second tab does not get it too.
    expect(await shown({ slots: [where] })).toEqual([])
    // Never viewed: the lease lapses after 30 minutes and the campaign may be shown again the same day.
    h.now.value += 31 * 60_000
    expect(await shown({ slots: [where] })).toEqual([capped.id])
  })

  it.each(['serve', 'viewable'] as const)(
    'never exceeds a cap across 200 concurrent serves for one visitor (counting on %s)',
    async (countOn) => {
      for (const cap of [1, 3, 7]) {
        const where = freshSlot()
        const capped = await activeCampaign({ placements: [where], frequency: { perDay: cap, countOn } })
        const visitor = `concurrent-${countOn}-${cap}`
        const answers = await Promise.all(
          Array.from({ length: 200 }, () => shown({ slots: [where], anonymousId: visitor })),
        )
        expect(answers.filter((ids) => ids.includes(capped.id))).toHaveLength(cap)
      }
    },
  )

  it('shows one interruptive unit per session unless exempt', async () => {
    const first = await activeCampaign({ placements: [], config: { format: 'popup' }, priority: 900 })
    expect(await shown({ slots: [], sessionId: 's-1', anonymousId: 'fatigue' })).toContain(first.id)
    expect(await shown({ slots: [], sessionId: 's-1', anonymousId: 'fatigue' })).not.toContain(first.id)
    expect(await shown({ slots: [], sessionId: 's-2', anonymousId: 'fatigue' })).toContain(first.id)
    const res = await admin().post(`/api/v1/campaigns/${first.id}/pause`)
    expect(res.status).toBe(200)
  })
})

describe('experiments through /serve', () => {
  it('shows a holdout nothing from the campaign, the same visitors every time', async () => {
    const where = freshSlot()
    const held = await activeCampaign({
      placements: [where],
      frequency: {},
      experiment: { holdoutPercent: 50 },
    })
    const first = await Promise.all(
      Array.from({ length: 60 }, (_, i) => shown({ slots: [where], anonymousId: `h-${i}` })),
    )
    const again = await Promise.all(
      Array.from({ length: 60 }, (_, i) => shown({ slots: [where], anonymousId: `h-${i}` })),
    )
    expect(again).toEqual(first)
    const out = first.filter((ids) => ids.length === 0).length
    expect(out).toBeGreaterThan(10)
    expect(out).toBeLessThan(50)
    expect(first.flat().every((id) => id === held.id)).toBe(true)
  })

  it('rejects a holdout over 50% and an impression goal without a flight, with field paths', async () => {
    const bad = await admin().post(
      '/api/v1/campaigns',
      awarenessCampaign({ experiment: { holdoutPercent: 80 }, pacing: { impressionGoal: 10 } }),
    )
    expect(bad.status).toBe(400)
    const paths = (await readError(bad)).paths.sort()
    expect(paths).toEqual(['experiment.holdoutPercent', 'pacing'])
  })

  it('reads the visitor’s segments from the store in the same claim', async () => {
    const where = freshSlot()
    const customers = await activeCampaign({
      placements: [where],
      frequency: {},
      targeting: { include: { field: 'segment', op: 'in', values: ['customer'] } },
    })
    expect(await shown({ slots: [where], anonymousId: 'buyer' })).toEqual([])
    await h.app.services.kv.setProfiles([
      { site: h.a.siteId, visitor: 'buyer', segments: ['customer'], traits: {}, returning: true },
    ])
    expect(await shown({ slots: [where], anonymousId: 'buyer' })).toEqual([customers.id])
  })
})

describe('decision trace: POST /api/v1/serve?debug=1', () => {
  it('needs a secret key or sign-in for the site, and explains every candidate', async () => {
    const where = freshSlot()
    const winner = await activeCampaign({ name: 'Winner', placements: [where], frequency: {} })
    const usOnly = await activeCampaign({
      name: 'US only',
      placements: [where],
      priority: 5,
      targeting: { include: { field: 'country', op: 'in', values: ['US'] } },
    })
    const capped = await activeCampaign({
      name: 'Capped',
      placements: [where],
      priority: 7,
      frequency: { lifetime: 1, countOn: 'serve' },
    })
    expect(await shown({ slots: [where] })).toEqual([capped.id])

    expect((await serve({ slots: [where] }, '?debug=1')).status).toBe(401)
    expect((await serve({ slots: [where] }, '?debug=1', { secretKey: h.b.secretKey })).status).toBe(403)
    const res = await serve({ slots: [where] }, '?debug=1', { secretKey: h.a.secretKey })
    expect(res.status).toBe(200)
    const body = await readJson(res, api.decisionTrace)
    expect(body.decisions.map((d) => d.campaignId)).toEqual([winner.id])
    const mine = body.trace.filter((t) => t.slot === where)
    const byName = Object.fromEntries(mine.map((t) => [t.name, [t.outcome, t.reason, t.detail]]))
    expect(byName).toEqual({
      Capped: ['skipped', 'cap_lifetime', undefined],
      'US only': ['skipped', 'targeting', 'include: country in [US] is false'],
      Winner: ['chosen', undefined, undefined],
    })
    expect(body.store).toBe('ok')
    // The admin app asks from its own origin with its session; the site's allowed origins do not apply.
    const session = await login(h.app, h.a)
    const fromAdmin = await client(h.app, { ...session, origin: 'http://admin.example' }).post(
      '/api/v1/serve?debug=1',
      { site: h.a.publishableKey, anonymousId: 'admin-preview-1', slots: [where] },
    )
    expect(fromAdmin.status).toBe(200)
    expect(fromAdmin.headers.get('access-control-allow-origin')).toBeNull()
    const noCsrf = await client(h.app, { cookie: session.cookie, origin: 'http://admin.example' }).post(
      '/api/v1/serve?debug=1',
      { site: h.a.publishableKey, anonymousId: 'admin-preview-1', slots: [where] },
    )
    expect(noCsrf.status).toBe(403)
    // Without debug=1 there is no trace, whoever asks.
    const plain = await readJson(
      await serve({ slots: [where] }, '', { secretKey: h.a.secretKey }),
      api.serveAnswer,
    )
    expect(plain.trace).toBeUndefined()
    expect(usOnly.id).toBeTruthy()
  })
})

/** A store that is down: every call fails, as a closed Redis connection does. */
class DownKv implements Kv {
  private fail(): Promise<never> {
    return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'))
  }
  claim = () => this.fail()
  viewed = () => this.fail()
  setProfiles = () => this.fail()
  version = () => this.fail()
  bump = () => this.fail()
  hit = () => this.fail()
  close = async () => {}
}

describe('when the store is down', () => {
  it.each([
    ['open', true],
    ['closed', false],
  ] as const)('serves by the %s policy and never answers 500', async (policy, showsCapped) => {
    const app = createApp({
      database: h.database,
      signingSecret: 'test-signing-secret-0123456789abcdef',
      now: () => h.now.value,
      kv: new DownKv(),
      kvFailure: policy,
    })
    const where = freshSlot()
    const capped = await activeCampaign({ placements: [where], priority: 9, frequency: { perDay: 1 } }, app)
    const plain = await activeCampaign({ placements: [where], frequency: {} }, app)
    for (let i = 0; i < 3; i++) {
      expect(await shown({ slots: [where] }, app)).toEqual([showsCapped ? capped.id : plain.id])
    }
    const traced = await serveWith(app, { slots: [where] }, '?debug=1', { secretKey: h.a.secretKey })
    expect((await readJson(traced, api.decisionTrace)).store).toBe('unavailable')
  })
})

describe('the active-campaign cache', () => {
  it('drops a stale set on every instance within a second of a write, through the store’s version', async () => {
    const kv: Kv = new MemoryKv()
    const instance = () =>
      createApp({
        database: h.database,
        signingSecret: 'test-signing-secret-0123456789abcdef',
        now: () => h.now.value,
        kv,
      })
    const one = instance()
    const two = instance()
    const where = freshSlot()
    const campaign = await activeCampaign({ placements: [where], frequency: {} }, two)
    expect(await shown({ slots: [where] }, one)).toEqual([campaign.id])
    // Paused through the other instance: this one learns of it from the store's version.
    expect(
      (await client(two, { secretKey: h.a.secretKey }).post(`/api/v1/campaigns/${campaign.id}/pause`)).status,
    ).toBe(200)
    h.now.value += 1_100
    await shown({ slots: [where] }, one) // notices the newer version in the background
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(await shown({ slots: [where] }, one)).toEqual([])
    const health = await readJson(await client(one).get('/healthz'), api.health)
    expect(health.cache.activeCampaigns.hitRate).toBeGreaterThan(0)
    expect(health.cache.activeCampaigns.hitRate).toBeLessThan(1)
  })
})

describe('experiment readout', () => {
  it('flags a sample ratio mismatch when visitors per variant stray from the weights', async () => {
    const campaign = await activeCampaign({
      placements: [freshSlot()],
      variants: ['A', 'B'].map((name) => ({ name, weight: 1, creative: { headline: name } })),
    })
    const impressions = (variant: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        id: crypto.randomUUID(),
        name: 'impression',
        timestamp: new Date(h.now.value - 60_000).toISOString(),
        anonymousId: `srm-${variant}-${i}`,
        campaignId: campaign.id,
        variantId: campaign.variants[variant]!.id,
      }))
    const batch = [...impressions(0, 100), ...impressions(1, 160)]
    for (let i = 0; i < batch.length; i += 100) {
      const res = await client(h.app).post('/api/v1/events', {
        site: h.a.publishableKey,
        batch: batch.slice(i, i + 100),
      })
      expect(res.status).toBe(200)
    }
    const res = await readJson(
      await admin().get(`/api/v1/campaigns/${campaign.id}/analytics`),
      api.campaignAnalytics,
    )
    expect(res.byVariant.map((v) => v.reach)).toEqual([100, 160])
    expect(res.experiment.srm?.mismatch).toBe(true)
    expect(res.experiment.srm?.pValue).toBeLessThan(0.001)
  })
})
