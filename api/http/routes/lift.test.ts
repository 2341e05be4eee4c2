import { and, count, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as api from '../../../schema/api'
import { campaigns, exposures } from '../../../schema/db'
import { bucketOf, inGlobalHoldout } from '../../core/bucket'
import { liftReadout } from '../../core/lift'
import {
  awarenessCampaign,
  client,
  createHarness,
  type Harness,
  readError,
  readJson,
  type Tenant,
} from '../../testing/harness'

let h: Harness
const admin = (tenant: Tenant = h.a) => client(h.app, { secretKey: tenant.secretKey })
const dayMs = 86_400_000

async function activeCampaign(overrides: Record<string, unknown>, tenant: Tenant = h.a) {
  const res = await admin(tenant).post('/api/v1/campaigns', awarenessCampaign(overrides))
  expect(res.status).toBe(201)
  const created = await readJson(res, api.campaign)
  expect((await admin(tenant).post(`/api/v1/campaigns/${created.id}/activate`)).status).toBe(200)
  return created
}

const serve = async (anonymousId: string, slot: string, tenant: Tenant = h.a) =>
  readJson(
    await client(h.app).post('/api/v1/serve', {
      site: tenant.publishableKey,
      anonymousId,
      slots: [slot],
      context: { url: 'https://a.example/' },
    }),
    api.serveAnswer,
  )

const exposureRows = (campaignId: string) =>
  h.database.db
    .select({ anonymousId: exposures.anonymousId, arm: exposures.arm, firstAt: exposures.firstAt })
    .from(exposures)
    .where(eq(exposures.campaignId, campaignId))

/** Sends events through the public ingest route, 100 a batch. */
async function ingest(tenant: Tenant, batch: Record<string, unknown>[]) {
  for (let i = 0; i < batch.length; i += 100) {
    const res = await client(h.app).post('/api/v1/events', {
      site: tenant.publishableKey,
      batch: batch.slice(i, i + 100),
    })
    const answer = await readJson(res, api.batchAnswer)
    expect(answer.rejected).toEqual([])
  }
}

const event = (anonymousId: string, name: string, at: number, more: Record<string, unknown> = {}) => ({
  id: crypto.randomUUID(),
  name,
  timestamp: new Date(at).toISOString(),
  anonymousId,
  sessionId: `s-${anonymousId}`,
  url: 'https://a.example/checkout',
  ...more,
})

beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

describe('exposures at serve', () => {
  it('never shows a campaign to its holdout, shows the next candidate, and records both arms once', async () => {
    const measured = await activeCampaign({
      name: 'Measured',
      priority: 5,
      placements: ['lift-hero'],
      experiment: { holdoutPercent: 30 },
    })
    const fallback = await activeCampaign({ name: 'Fallback', priority: 1, placements: ['lift-hero'] })
    // Never in schedule: its holdout never stands in for a showing.
    const later = await activeCampaign({
      name: 'Later',
      priority: 9,
      placements: ['lift-hero'],
      experiment: { holdoutPercent: 50 },
      schedule: { timezone: 'UTC', start: '2030-01-01T00:00:00Z' },
    })
    const visitors = Array.from({ length: 200 }, (_, i) => `lift-v${i}`)
    const heldOut = new Set(visitors.filter((v) => bucketOf(measured.id, v) < 3000))
    expect(heldOut.size).toBeGreaterThan(30)
    for (const visitor of visitors) {
      const answer = await serve(visitor, 'lift-hero')
      const shown = answer.decisions.map((d) => d.campaignId)
      expect(shown, visitor).toEqual([heldOut.has(visitor) ? fallback.id : measured.id])
    }
    await h.app.services.exposures.flush()
    const rows = await exposureRows(measured.id)
    expect(rows).toHaveLength(visitors.length)
    for (const row of rows)
      expect(row.arm, row.anonymousId).toBe(heldOut.has(row.anonymousId) ? 'holdout' : 'exposed')
    // Campaigns without a holdout, and one never in schedule, record nothing.
    expect(await exposureRows(fallback.id)).toHaveLength(0)
    expect(await exposureRows(later.id)).toHaveLength(0)

    // A second visit keeps the first exposure.
    const first = new Map(rows.map((r) => [r.anonymousId, +r.firstAt]))
    h.now.value += 3_600_000
    h.app.services.exposures.forget()
    for (const visitor of visitors.slice(0, 20)) await serve(visitor, 'lift-hero')
    await h.app.services.exposures.flush()
    for (const row of await exposureRows(measured.id)) expect(+row.firstAt).toBe(first.get(row.anonymousId))
  })

  it('reads a campaign shown to an audience over the visitors who were members when exposed, in both arms', async () => {
    const res = await admin().post('/api/v1/campaigns', {
      name: 'Cart reminder',
      type: 'remarketing',
      placements: ['lift-rm'],
      frequency: { countOn: 'serve' },
      experiment: { holdoutPercent: 50 },
      config: { audience: { kind: 'cart_abandoners', lookbackDays: 7 }, format: 'inline' },
      variants: [
        { name: 'A', creative: { headline: 'Your cart is waiting', ctaUrl: 'https://a.example/cart' } },
      ],
    })
    expect(res.status).toBe(201)
    const reminder = await readJson(res, api.campaign)
    expect((await admin().post(`/api/v1/campaigns/${reminder.id}/activate`)).status).toBe(200)
    // Twenty visitors leave something in the cart (members); twenty only look around (not members).
    const carters = Array.from({ length: 20 }, (_, i) => `rm-carter-${i}`)
    const lookers = Array.from({ length: 20 }, (_, i) => `rm-looker-${i}`)
    const at = h.now.value - 60_000
    await ingest(h.a, [
      ...carters.map((v) =>
        event(v, 'AddToCart', at, { props: { contents: [{ id: 'SKU-1', quantity: 1 }] } }),
      ),
      ...lookers.map((v) => event(v, 'page', at)),
    ])
    h.now.value += 1_000
    const held = (v: string) => bucketOf(reminder.id, v) < 5000
    for (const visitor of [...carters, ...lookers]) {
      const shown = (await serve(visitor, 'lift-rm')).decisions.map((d) => d.campaignId)
      // Only a member outside the holdout is shown it.
      expect(shown, visitor).toEqual(carters.includes(visitor) && !held(visitor) ? [reminder.id] : [])
    }
    await h.app.services.exposures.flush()
    // Serve records a held-out member as the stand-in of a showing, and a held-out looker not at all: the audience
    // is a profile rule, which the serving store judges for the held-out arm as it does for the shown one.
    const rows = await exposureRows(reminder.id)
    const heldLookers = lookers.filter(held)
    expect(heldLookers.length).toBeGreaterThan(0)
    expect(rows.filter((r) => r.anonymousId.startsWith('rm-looker-'))).toEqual([])
    expect(
      rows
        .filter((r) => r.arm === 'holdout')
        .map((r) => r.anonymousId)
        .sort(),
    ).toEqual(carters.filter(held).sort())
    // The readout counts members only as well, so both arms are members alike.
    const analytics = await readJson(
      await admin().get(`/api/v1/campaigns/${reminder.id}/analytics`),
      api.campaignAnalytics,
    )
    const lift = analytics.experiment.lift!
    expect(lift.exposed.visitors).toBe(carters.filter((v) => !held(v)).length)
    expect(lift.holdout.visitors).toBe(carters.filter(held).length)
  })

  it('records no held-out visitor where a higher campaign would have been shown anyway', async () => {
    const top = await activeCampaign({ name: 'Top', priority: 9, placements: ['lift-top'] })
    const under = await activeCampaign({
      name: 'Under',
      priority: 5,
      placements: ['lift-top'],
      experiment: { holdoutPercent: 50 },
    })
    for (let i = 0; i < 40; i++) {
      const answer = await serve(`lift-top-${i}`, 'lift-top')
      expect(answer.decisions.map((d) => d.campaignId)).toEqual([top.id])
    }
    await h.app.services.exposures.flush()
    expect(await exposureRows(under.id)).toHaveLength(0)
  })
})

describe('the global holdout', () => {
  it('shows nothing at all to its share of visitors, and refuses a share out of range', async () => {
    const res = await admin().patch(`/api/v1/sites/${h.a.siteId}`, { globalHoldoutPercent: 20 })
    expect(res.status).toBe(200)
    expect((await readJson(res, api.site)).globalHoldoutPercent).toBe(20)
    let held = 0
    for (let i = 0; i < 150; i++) {
      const visitor = `global-v${i}`
      const answer = await serve(visitor, 'lift-hero')
      if (inGlobalHoldout(h.a.siteId, 20, visitor)) {
        held++
        expect(answer.decisions, visitor).toEqual([])
      } else expect(answer.decisions, visitor).toHaveLength(1)
    }
    expect(held).toBeGreaterThan(10)

    for (const bad of [50.5, -1, '10']) {
      const refused = await admin().patch(`/api/v1/sites/${h.a.siteId}`, { globalHoldoutPercent: bad })
      expect(refused.status).toBe(400)
      expect((await readError(refused)).details).toEqual([
        expect.objectContaining({ path: 'globalHoldoutPercent' }),
      ])
    }
    const kept = await readJson(await admin().get(`/api/v1/sites/${h.a.siteId}`), api.site)
    expect(kept.globalHoldoutPercent).toBe(20)
    await admin().patch(`/api/v1/sites/${h.a.siteId}`, { globalHoldoutPercent: 0 })
  })

  it('refuses a campaign holdout out of range with its path, and writes nothing', async () => {
    const before = await h.database.db.select({ n: count() }).from(campaigns)
    const res = await admin().post(
      '/api/v1/campaigns',
      awarenessCampaign({ name: 'Too much', experiment: { holdoutPercent: 51 } }),
    )
    expect(res.status).toBe(400)
    expect((await readError(res)).details).toEqual([
      expect.objectContaining({ path: 'experiment.holdoutPercent' }),
    ])
    expect(await h.database.db.select({ n: count() }).from(campaigns)).toEqual(before)
  })

  it('starts a remarketing campaign with a 10% holdout and others with none', async () => {
    const reminder = await readJson(
      await admin().post(
        '/api/v1/campaigns',
        awarenessCampaign({
          name: 'Reminder',
          type: 'remarketing',
          placements: [],
          config: { audience: { kind: 'cart_abandoners', lookbackDays: 7 } },
        }),
      ),
      api.campaign,
    )
    expect(reminder.experiment.holdoutPercent).toBe(10)
    const plain = await readJson(
      await admin().post('/api/v1/campaigns', awarenessCampaign({ name: 'Plain' })),
      api.campaign,
    )
    expect(plain.experiment.holdoutPercent).toBe(0)
  })
})

describe('the lift readout', () => {
  /**
   * 20,000 visitors of a campaign with a 10% holdout: 18,000 exposed, 2,000 held out, first exposed two days
   * ago. 6% of the exposed (1,080) and 5% of the held out (100) buy once, for 40 each, a day later, through
   * the ingest route. Worked by hand (z = 1.959964):
   *
   * Conversion rate: 0.06 − 0.05 = 0.01.
   *   Wilson(1080/18000): centre (0.06 + z²/36000)/(1 + z²/18000) = 0.060094, half-width 0.003470
   *     → [0.056624, 0.063564]. Wilson(100/2000) → [0.041281, 0.060444].
   *   Newcombe: 0.01 − √(0.003376² + 0.010444²) = −0.000976; 0.01 + √(0.003564² + 0.008719²) = 0.019419.
   *   Incremental conversions: × 18,000 = 180, interval [−17.57, 349.54]; the interval holds 0: "unclear".
   *   Relative: 0.06/0.05 − 1 = 0.2; se(log) = √(0.94/1080 + 0.95/100) = 0.101835
   *     → exp(log 1.2 ∓ z·0.101835) − 1 = [−0.017123, 0.465087].
   * Revenue per visitor: 43,200/18,000 = 2.4 against 4,000/2,000 = 2.0, difference 0.4.
   *   s² exposed = (1080·1600 − 18000·2.4²)/17999 = 90.245014; held out (100·1600 − 2000·4)/1999 = 76.038019.
   *   se = √(90.245014/18000 + 76.038019/2000) = 0.207443; Welch df = 2556.05, t = 1.960893
   *     → 0.4 ∓ t·se = 0.4 ∓ 0.406774 = [−0.006774, 0.806774].
   *   Incremental revenue: × 18,000 = 7,200, interval [−121.92, 14,521.92].
   * Cost 900 over 180 incremental conversions: 5 each. The split is exactly 90/10: chi-square 0.
   */
  it('matches the hand computation on 20,000 simulated visitors, through ingest and analytics', async () => {
    const reminder = await activeCampaign({
      name: 'Simulated reminder',
      placements: ['sim'],
      experiment: { holdoutPercent: 10 },
      cost: { amount: 900, currency: 'EUR' },
      variants: [
        { name: 'A', weight: 1, creative: { headline: 'A', ctaUrl: 'https://a.example/' } },
        { name: 'B', weight: 1, creative: { headline: 'B', ctaUrl: 'https://a.example/' } },
      ],
    })
    const [variantA, variantB] = reminder.variants
    const exposedAt = h.now.value - 2 * dayMs
    const rows: (typeof exposures.$inferInsert)[] = []
    // Half the exposed visitors saw variant A (every buyer among them, below), half saw B.
    for (let i = 0; i < 18_000; i++)
      rows.push({
        siteId: h.a.siteId,
        campaignId: reminder.id,
        anonymousId: `sim-e${i}`,
        arm: 'exposed',
        variantId: i < 9_000 ? variantA!.id : variantB!.id,
        firstAt: new Date(exposedAt),
      })
    for (let i = 0; i < 2_000; i++)
      rows.push({
        siteId: h.a.siteId,
        campaignId: reminder.id,
        anonymousId: `sim-h${i}`,
        arm: 'holdout',
        firstAt: new Date(exposedAt),
      })
    for (let i = 0; i < rows.length; i += 2_000)
      await h.database.db.insert(exposures).values(rows.slice(i, i + 2_000))
    // Another site's rows under the same campaign id are not this campaign's visitors.
    await h.database.db.insert(exposures).values({
      siteId: h.b.siteId,
      campaignId: reminder.id,
      anonymousId: 'sim-other-site',
      arm: 'holdout',
      firstAt: new Date(exposedAt),
    })

    const boughtAt = h.now.value - dayMs
    const purchase = (visitor: string, at = boughtAt) =>
      event(visitor, 'Purchase', at, { value: 40, currency: 'EUR' })
    const batch = [
      ...Array.from({ length: 1080 }, (_, i) => purchase(`sim-e${i}`)),
      ...Array.from({ length: 100 }, (_, i) => purchase(`sim-h${i}`)),
      // Not counted: a purchase before the visitor's first exposure, and an event that is no conversion.
      purchase('sim-e17999', exposedAt - dayMs),
      event('sim-h1999', 'AddToCart', boughtAt, { value: 99, currency: 'EUR' }),
    ]
    await ingest(h.a, batch)

    const answer = await readJson(
      await admin().get(`/api/v1/campaigns/${reminder.id}/analytics`),
      api.campaignAnalytics,
    )
    const lift = answer.experiment.lift!
    expect(lift.exposed).toMatchObject({ visitors: 18_000, converters: 1080, revenue: 43_200 })
    expect(lift.holdout).toMatchObject({ visitors: 2_000, converters: 100, revenue: 4_000 })
    expect(lift.windowDays).toBe(7)
    expect(lift.conversionRate.difference).toBeCloseTo(0.01, 10)
    expect(lift.conversionRate.ci95!.low).toBeCloseTo(-0.000976, 6)
    expect(lift.conversionRate.ci95!.high).toBeCloseTo(0.019419, 6)
    expect(lift.conversionRate.relative).toBeCloseTo(0.2, 10)
    expect(lift.conversionRate.relativeCi95!.low).toBeCloseTo(-0.017123, 6)
    expect(lift.conversionRate.relativeCi95!.high).toBeCloseTo(0.465087, 6)
    expect(lift.incrementalConversions!.value).toBeCloseTo(180, 6)
    expect(lift.incrementalConversions!.ci95.low).toBeCloseTo(-17.57, 2)
    expect(lift.incrementalConversions!.ci95.high).toBeCloseTo(349.54, 2)
    expect(lift.revenuePerVisitor.difference).toBeCloseTo(0.4, 10)
    expect(lift.revenuePerVisitor.ci95!.low).toBeCloseTo(-0.006774, 5)
    expect(lift.revenuePerVisitor.ci95!.high).toBeCloseTo(0.806774, 5)
    expect(lift.incrementalRevenue!.value).toBeCloseTo(7_200, 6)
    expect(lift.incrementalRevenue!.ci95.low).toBeCloseTo(-121.92, 1)
    expect(lift.incrementalRevenue!.ci95.high).toBeCloseTo(14_521.92, 1)
    expect(lift.costPerIncrementalConversion).toBeCloseTo(5, 6)
    expect(lift.srm).toMatchObject({ chiSquare: 0, mismatch: false })
    expect(lift.verdict).toBe('unclear')

    // By variant, each against the one holdout (5%): A's 9,000 visitors converted at 1,080 / 9,000 = 12%, so it
    // added (0.12 − 0.05) × 9,000 = 630; B's 9,000 bought nothing, (0 − 0.05) × 9,000 = −450. They sum to the 180.
    const [a, b] = lift.byVariant
    expect(a).toMatchObject({ variantId: variantA!.id, name: 'A', verdict: 'added' })
    expect(a!.exposed).toMatchObject({ visitors: 9_000, converters: 1_080 })
    expect(a!.incrementalConversions!.value).toBeCloseTo(630, 6)
    expect(b).toMatchObject({ variantId: variantB!.id, name: 'B', verdict: 'reduced' })
    expect(b!.incrementalConversions!.value).toBeCloseTo(-450, 6)
    expect(a!.holdout.visitors).toBe(2_000)
    // Over time, by the day of first exposure: every visitor here was first exposed on one day.
    expect(lift.series).toHaveLength(1)
    expect(lift.series[0]).toMatchObject({
      t: `${new Date(exposedAt).toISOString().slice(0, 10)}T00:00:00Z`,
      exposedVisitors: 18_000,
      holdoutVisitors: 2_000,
    })
    expect(lift.series[0]!.incrementalConversions!.value).toBeCloseTo(180, 6)

    // Another organization cannot read it.
    expect((await admin(h.b).get(`/api/v1/campaigns/${reminder.id}/analytics`)).status).toBe(404)
  })

  it('flags a split that is not the configured holdout', async () => {
    const skewed = await activeCampaign({
      name: 'Skewed',
      placements: ['skew'],
      experiment: { holdoutPercent: 10 },
    })
    const at = new Date(h.now.value - dayMs)
    const rows = Array.from({ length: 2_000 }, (_, i) => ({
      siteId: h.a.siteId,
      campaignId: skewed.id,
      anonymousId: `skew-${i}`,
      arm: i < 500 ? ('holdout' as const) : ('exposed' as const),
      firstAt: at,
    }))
    await h.database.db.insert(exposures).values(rows)
    const answer = await readJson(
      await admin().get(`/api/v1/campaigns/${skewed.id}/analytics`),
      api.campaignAnalytics,
    )
    // 25% held out where 10% was configured: (1500 − 1800)²/1800 + (500 − 200)²/200 = 500.
    expect(answer.experiment.lift!.srm.chiSquare).toBeCloseTo(500, 6)
    expect(answer.experiment.lift!.srm.mismatch).toBe(true)
    expect(answer.experiment.lift!.verdict).toBe('not_enough')
  })

  it('reads the whole site against its global holdout, intent-to-treat, in the overview', async () => {
    const tenant = h.b
    expect(
      (await admin(tenant).patch(`/api/v1/sites/${tenant.siteId}`, { globalHoldoutPercent: 25 })).status,
    ).toBe(200)
    const seenAt = h.now.value - 3 * dayMs
    const expected = {
      exposed: { visitors: 0, converters: 0, revenue: 0, revenueSquares: 0 },
      holdout: { visitors: 0, converters: 0, revenue: 0, revenueSquares: 0 },
    }
    const batch: Record<string, unknown>[] = []
    for (let i = 0; i < 1_200; i++) {
      const visitor = `site-v${i}`
      const held = inGlobalHoldout(tenant.siteId, 25, visitor)
      const arm = held ? expected.holdout : expected.exposed
      arm.visitors++
      batch.push(event(visitor, 'page', seenAt))
      // One in eight held-out visitors buys, one in five of the rest: 30 each.
      if (i % (held ? 8 : 5) === 0) {
        batch.push(event(visitor, 'Purchase', seenAt + 3_600_000, { value: 30, currency: 'EUR' }))
        arm.converters++
        arm.revenue += 30
        arm.revenueSquares += 900
      }
    }
    // A purchase beyond the 7-day window after the first page view is not counted.
    batch.push(event('site-v1', 'Purchase', seenAt - 9 * dayMs + 3_600_000, { value: 30, currency: 'EUR' }))
    await ingest(tenant, batch)

    const overview = await readJson(
      await admin(tenant).get(`/api/v1/analytics/overview?siteId=${tenant.siteId}`),
      api.overview,
    )
    const want = liftReadout(expected.exposed, expected.holdout, 25)
    expect(overview.lift).toMatchObject({
      holdoutPercent: 25,
      exposed: { visitors: expected.exposed.visitors, converters: expected.exposed.converters },
      holdout: { visitors: expected.holdout.visitors, converters: expected.holdout.converters },
      verdict: want.verdict,
    })
    expect(overview.lift!.conversionRate.ci95).toEqual(want.conversionRate.ci95)
    expect(overview.lift!.revenuePerVisitor.ci95).toEqual(want.revenuePerVisitor.ci95)
    expect(overview.lift!.srm.mismatch).toBe(false)
    // The other organization's overview has no holdout and reads none of it.
    const other = await readJson(await admin(h.a).get('/api/v1/analytics/overview'), api.overview)
    expect(other.lift).toBeNull()
    expect(
      (await admin(h.a).get(`/api/v1/analytics/overview?siteId=${tenant.siteId}`)).status,
    ).toBeGreaterThanOrEqual(403)
    expect(
      await h.database.db
        .select({ n: count() })
        .from(exposures)
        .where(and(eq(exposures.siteId, tenant.siteId))),
    ).toEqual([{ n: 1 }])
  })
})
