import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sum } from '../../../api/core/kpis'
import { testDatabase } from '../../../api/testing/database'
import { client } from '../../../api/testing/harness'
import { salesHarness, startSales } from '../testing/server'
import { salesKpis } from './kpis'

const noCodes = { codesRevealed: 0, codesRedeemed: 0, promoRevenue: 0, discountGiven: 0 }
const metrics = (sums: Record<string, [number, number?]>) =>
  new Map<string, Sum>(Object.entries(sums).map(([name, [n, value = 0]]) => [name, { n, value }]))

describe('salesKpis, worked by hand', () => {
  it('reads the funnel, revenue and cost of one scope', () => {
    // 40 viewable, 10 add to cart, 4 checkouts, 2.5 credited purchases (a shared credit) worth 300.
    const kpis = salesKpis(
      metrics({
        viewable: [40],
        ViewContent: [25],
        AddToCart: [10],
        InitiateCheckout: [4],
        'credit:last_touch': [2.5, 300],
      }),
      50,
      { codesRevealed: 6, codesRedeemed: 2, promoRevenue: 220, discountGiven: 22 },
      128,
    )
    expect(kpis).toEqual({
      productViews: 25,
      addToCarts: 10,
      checkouts: 4,
      purchases: 2.5,
      revenue: 300,
      addToCartRate: 0.25, // 10 / 40
      checkoutRate: 0.4, // 4 / 10
      purchaseConversionRate: 0.05, // 2.5 / 50
      cartAbandonmentRate: 0.75, // (10 − 2.5) / 10
      aov: 120, // 300 / 2.5
      rpv: 6, // 300 / 50
      campaignCost: 150, // 128 configured + 22 discount
      roas: 2, // 300 / 150
      cpa: 60, // 150 / 2.5
      codesRevealed: 6,
      codesRedeemed: 2,
      promoRevenue: 220,
      discountGiven: 22,
    })
  })

  it("adds the page's events credited by touch to the campaign's own, never as purchases", () => {
    // 3 adds to cart carried the campaign's id, 5 more were the page's own credited to its last touch.
    const kpis = salesKpis(
      metrics({
        viewable: [20],
        AddToCart: [3],
        'funnel:AddToCart': [5],
        'funnel:InitiateCheckout': [2],
        'funnel:ViewContent': [7],
        'credit:last_touch': [1, 40],
      }),
      10,
      noCodes,
      undefined,
    )
    expect(kpis).toMatchObject({
      productViews: 7,
      addToCarts: 8,
      checkouts: 2,
      purchases: 1,
      addToCartRate: 0.4, // 8 / 20
      checkoutRate: 0.25, // 2 / 8
      cartAbandonmentRate: 0.875, // (8 − 1) / 8
    })
  })

  it('answers 0 for empty rates, null where visitors or cost are unknown', () => {
    expect(salesKpis(undefined, undefined, noCodes, undefined)).toMatchObject({
      addToCartRate: 0,
      checkoutRate: 0,
      purchaseConversionRate: null,
      cartAbandonmentRate: 0,
      aov: 0,
      rpv: null,
      campaignCost: 0,
      roas: null,
      cpa: null,
    })
    // More purchases than carts (bought without the unit's add-to-cart): abandonment never goes below 0.
    expect(
      salesKpis(metrics({ AddToCart: [1], 'credit:first_touch': [3, 30] }), 2, noCodes, 0),
    ).toMatchObject({
      cartAbandonmentRate: 0,
      purchaseConversionRate: 1,
      roas: null,
      cpa: 0,
    })
  })
})

describe("a sales campaign's analytics", () => {
  let h: Awaited<ReturnType<typeof salesHarness>>
  beforeAll(async () => {
    h = await salesHarness(await testDatabase())
  }, 60_000)
  afterAll(() => h.close())

  const browser =
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36'
  const send = async (batch: Record<string, unknown>[]) => {
    const res = await h.app.request('/api/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': browser },
      body: JSON.stringify({ site: h.a.publishableKey, batch }),
    })
    expect(res.status, await res.clone().text()).toBe(200)
    expect(((await res.json()) as { accepted: number }).accepted).toBe(batch.length)
  }

  it('counts the funnel, credited revenue, and ROAS/CPA with the discount as cost, by variant and bucket', async () => {
    const { campaignId, variantId } = await startSales(h.app, h.a)
    const asA = client(h.app, { secretKey: h.a.secretKey })
    expect(
      (await asA.patch(`/api/v1/campaigns/${campaignId}`, { cost: { amount: 100, currency: 'EUR' } })).status,
    ).toBe(200)
    const at = (minutes: number) => new Date(h.now.value - 60 * 60_000 + minutes * 60_000).toISOString()
    const unit = { campaignId, variantId }
    const ev = (anonymousId: string, name: string, minutes: number, extra: Record<string, unknown> = {}) => ({
      id: crypto.randomUUID(),
      anonymousId,
      name,
      timestamp: at(minutes),
      ...extra,
    })
    // Ada sees the unit, clicks, adds to cart, checks out and buys for 80; Bob adds to cart and leaves; Cy only sees it.
    await send([
      ev('ada', 'impression', 0, unit),
      ev('ada', 'viewable', 0, unit),
      ev('ada', 'click', 1, unit),
      ev('ada', 'AddToCart', 2, { ...unit, value: 80, currency: 'EUR' }),
      ev('ada', 'InitiateCheckout', 3, unit),
      ev('ada', 'Purchase', 4, { eventId: 'order-ada', value: 80, currency: 'EUR' }),
      ev('bob', 'impression', 5, unit),
      ev('bob', 'viewable', 5, unit),
      ev('bob', 'AddToCart', 6, { ...unit, value: 20, currency: 'EUR' }),
      ev('cy', 'impression', 7, unit),
      ev('cy', 'viewable', 7, unit),
    ])
    // The unit revealed a pool code to Ada, and her order used it: 10% of 80 off, credited to her variant.
    expect((await asA.post(`/api/v1/campaigns/${campaignId}/promo-codes`, { pool: 1 })).status).toBe(201)
    const shown = await h.app.request('/api/v1/promo-codes/reveal', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': browser },
      body: JSON.stringify({ site: h.a.publishableKey, campaignId, anonymousId: 'ada', variantId }),
    })
    expect(shown.status, await shown.clone().text()).toBe(200)
    const { code } = (await shown.json()) as { code: string }
    const redeemed = await asA.post('/api/v1/promo-codes/redeem', {
      code,
      orderId: 'order-ada',
      orderValue: 80,
    })
    expect(redeemed.status, await redeemed.clone().text()).toBe(200)

    const res = await asA.get(
      `/api/v1/campaigns/${campaignId}/analytics?from=2026-11-29T00:00:00Z&to=2026-11-30T00:00:00Z&model=last_touch`,
    )
    expect(res.status, await res.clone().text()).toBe(200)
    const analytics = (await res.json()) as {
      totals: Record<string, unknown>
      series: ({ t: string } & Record<string, unknown>)[]
      byVariant: ({ variantId: string } & Record<string, unknown>)[]
    }
    const funnel = {
      productViews: 0,
      addToCarts: 2,
      checkouts: 1,
      purchases: 1,
      revenue: 80,
      addToCartRate: 0.6667, // 2 add to cart / 3 viewable
      checkoutRate: 0.5, // 1 checkout / 2 add to cart
      purchaseConversionRate: 0.3333, // 1 purchase / 3 visitors
      cartAbandonmentRate: 0.5, // (2 − 1) / 2
      aov: 80,
      rpv: 26.6667, // 80 / 3
      codesRevealed: 1,
      codesRedeemed: 1,
      promoRevenue: 80,
      discountGiven: 8,
    }
    expect(analytics.totals).toMatchObject({
      ...funnel,
      campaignCost: 108, // 100 configured + 8 discount
      roas: 0.7407, // 80 / 108
      cpa: 108,
    })
    // The site overview's row for the campaign counts the same cost: configured spend and the discount given.
    const overview = await asA.get(
      '/api/v1/analytics/overview?from=2026-11-29T00:00:00Z&to=2026-11-30T00:00:00Z',
    )
    expect(overview.status, await overview.clone().text()).toBe(200)
    const { campaigns } = (await overview.json()) as {
      campaigns: { id: string; revenue: number; roas: number }[]
    }
    expect(campaigns.find((row) => row.id === campaignId)).toMatchObject({ revenue: 80, roas: 0.7407 })
    // The variant and the day: the discount is their cost (a configured spend is the whole campaign's).
    const perScope = { ...funnel, campaignCost: 8, roas: 10, cpa: 8 }
    expect(analytics.byVariant.find((v) => v.variantId === variantId)).toMatchObject(perScope)
    expect(analytics.series.find((b) => b.t === '2026-11-29T00:00:00Z')).toMatchObject(perScope)

    // By the hour, the buckets have no visitor count: the rates that need one are null there.
    const hourly = await asA.get(
      `/api/v1/campaigns/${campaignId}/analytics?from=2026-11-29T00:00:00Z&to=2026-11-30T00:00:00Z&interval=hour`,
    )
    const hours = ((await hourly.json()) as { series: ({ t: string } & Record<string, unknown>)[] }).series
    expect(hours.find((b) => b.t === '2026-11-29T11:00:00Z')).toMatchObject({
      addToCarts: 2,
      purchaseConversionRate: null,
      rpv: null,
    })
  })
})
