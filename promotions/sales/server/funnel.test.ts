import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rowsOf } from '../../../api/ports/database'
import { rebuildRollups } from '../../../api/services/analytics/rebuild'
import { testDatabase } from '../../../api/testing/database'
import { awarenessCampaign, client, type Tenant } from '../../../api/testing/harness'
import { rollupMismatches } from '../../../api/testing/rollups'
import { salesHarness, startSales } from '../testing/server'

type Analytics = {
  totals: Record<string, unknown>
  series: ({ t: string } & Record<string, unknown>)[]
  byVariant: ({ variantId: string } & Record<string, unknown>)[]
}

const browser =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36'

describe("the page's own funnel events, credited to the visitor's last sales touch", () => {
  let h: Awaited<ReturnType<typeof salesHarness>>
  let database: Awaited<ReturnType<typeof testDatabase>>
  beforeAll(async () => {
    database = await testDatabase()
    h = await salesHarness(database)
  }, 60_000)
  afterAll(() => h.close())

  const send = async (tenant: Tenant, batch: Record<string, unknown>[]) => {
    const res = await h.app.request('/api/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': browser },
      body: JSON.stringify({ site: tenant.publishableKey, batch }),
    })
    expect(res.status, await res.clone().text()).toBe(200)
    const answer = (await res.json()) as { accepted: number; duplicates: number; rejected: unknown[] }
    expect(answer.rejected).toEqual([])
    return answer
  }
  const at = (minutes: number) => new Date(h.now.value - 60 * 60_000 + minutes * 60_000).toISOString()
  const ev = (anonymousId: string, name: string, minutes: number, extra: Record<string, unknown> = {}) => ({
    id: crypto.randomUUID(),
    anonymousId,
    name,
    timestamp: at(minutes),
    ...extra,
  })
  const cart = {
    props: { contents: [{ id: 'SKU1', quantity: 1, item_price: 10 }] },
    value: 10,
    currency: 'EUR',
  }
  const analytics = async (tenant: Tenant, campaignId: string, interval = 'day') => {
    const res = await client(h.app, { secretKey: tenant.secretKey }).get(
      `/api/v1/campaigns/${campaignId}/analytics?from=2026-11-29T00:00:00Z&to=2026-11-30T00:00:00Z&interval=${interval}`,
    )
    expect(res.status, await res.clone().text()).toBe(200)
    return (await res.json()) as Analytics
  }

  it('counts AddToCart and InitiateCheckout once, for the campaign last touched, by variant and bucket', async () => {
    const a = await startSales(h.app, h.a)
    const b = await startSales(h.app, h.a, { nudge: 'free_shipping', freeShippingThreshold: 50 })
    // A campaign of another type, which the site's funnel events are never credited to.
    const asA = client(h.app, { secretKey: h.a.secretKey })
    const banner = (await (await asA.post('/api/v1/campaigns', awarenessCampaign())).json()) as { id: string }
    expect((await asA.post(`/api/v1/campaigns/${banner.id}/activate`, {})).status).toBe(200)
    const unitA = { campaignId: a.campaignId, variantId: a.variantId }
    const unitB = { campaignId: b.campaignId, variantId: b.variantId }
    // Ann is shown A and clicks it, then the shop's page tracks two adds to cart and a checkout (no campaign id),
    // and a product view the page tagged with A's id itself (A's own event: it must not count twice).
    const ann = [
      ev('ann', 'impression', 0, unitA),
      ev('ann', 'viewable', 0, unitA),
      ev('ann', 'click', 1, unitA),
      ev('ann', 'ViewContent', 2, { ...unitA, ...cart }),
      ev('ann', 'AddToCart', 3, cart),
      ev('ann', 'AddToCart', 4, cart),
      ev('ann', 'InitiateCheckout', 5, cart),
    ]
    // Ben saw A, then B, then a banner of another type: his add to cart is B's (the latest sales view). Cy clicked B, then only saw A: a click wins
    // over a later view, as in attribution, so his add to cart is B's too. Dan was never shown a campaign.
    const others = [
      ev('ben', 'viewable', 10, unitA),
      ev('ben', 'viewable', 11, unitB),
      ev('ben', 'viewable', 11.5, { campaignId: banner.id }),
      ev('ben', 'AddToCart', 12, cart),
      ev('cy', 'click', 13, unitB),
      ev('cy', 'viewable', 14, unitA),
      ev('cy', 'AddToCart', 15, cart),
      ev('dan', 'AddToCart', 16, cart),
      ev('dan', 'InitiateCheckout', 17, cart),
    ]
    await send(h.a, ann)
    await send(h.a, others)
    // The page resends both batches (a retry): the same event ids add nothing.
    expect(await send(h.a, ann)).toMatchObject({ accepted: 0, duplicates: ann.length })
    expect(await send(h.a, others)).toMatchObject({ accepted: 0, duplicates: others.length })
    // Another site's visitor with the same anonymous id is not site A's Ann: nothing counts for A.
    await send(h.b, [ev('ann', 'AddToCart', 20, cart), ev('ann', 'InitiateCheckout', 21, cart)])

    const forA = await analytics(h.a, a.campaignId)
    const funnelA = { productViews: 1, addToCarts: 2, checkouts: 1, purchases: 0, checkoutRate: 0.5 }
    expect(forA.totals).toMatchObject({ ...funnelA, conversions: 0, cartAbandonmentRate: 1 })
    // 2 adds to cart over A's 3 viewable impressions (Ann's, Ben's, Cy's).
    expect(forA.totals.addToCartRate).toBe(0.6667)
    expect(forA.byVariant.find((v) => v.variantId === a.variantId)).toMatchObject(funnelA)
    expect(forA.series.find((s) => s.t === '2026-11-29T00:00:00Z')).toMatchObject(funnelA)
    const hourA = await analytics(h.a, a.campaignId, 'hour')
    expect(hourA.series.find((s) => s.t === '2026-11-29T11:00:00Z')).toMatchObject(funnelA)
    expect(hourA.series.filter((s) => s.t !== '2026-11-29T11:00:00Z').every((s) => s.addToCarts === 0)).toBe(
      true,
    )

    const forB = await analytics(h.a, b.campaignId)
    expect(forB.totals).toMatchObject({ productViews: 0, addToCarts: 2, checkouts: 0, conversions: 0 })
    expect(forB.byVariant.find((v) => v.variantId === b.variantId)).toMatchObject({ addToCarts: 2 })

    // Credited events are no conversions: no attribution row, and the whole site holds exactly the credit above
    // (A: 2 + 1, B: 2; Dan's and the other site's events are no campaign's).
    const credited = rowsOf<{ campaign_id: string; metric: string; n: number | string }>(
      await database.db.execute(sql`
        select campaign_id, metric, sum(n) as n from rollups_daily
        where site_id = ${h.a.siteId} and metric like 'funnel:%' group by 1, 2 order by 1, 2`),
    )
    expect(
      credited.map((row) => [row.campaign_id, row.metric, Number(row.n)]).sort((x, y) => (x < y ? -1 : 1)),
    ).toEqual(
      [
        [a.campaignId, 'funnel:AddToCart', 2],
        [a.campaignId, 'funnel:InitiateCheckout', 1],
        [b.campaignId, 'funnel:AddToCart', 2],
      ].sort((x, y) => (x < y ? -1 : 1)),
    )
    const attributed = rowsOf<{ n: number | string }>(
      await database.db.execute(sql`select count(*) as n from attributions where site_id = ${h.a.siteId}`),
    )
    expect(Number(attributed[0]!.n)).toBe(0)

    // Rollups rebuilt from the raw events (an upgrade, a repair) hold the same funnel credit: it is kept with the
    // events it was given for, not worked out again (the touches may have aged out of their windows since).
    expect(await rollupMismatches(database.db, h.a.siteId)).toEqual([])
    await rebuildRollups(database.db, h.a.siteId)
    expect(await rollupMismatches(database.db, h.a.siteId)).toEqual([])
    expect((await analytics(h.a, a.campaignId)).totals).toEqual(forA.totals)
    expect((await analytics(h.a, a.campaignId, 'hour')).series).toEqual(hourA.series)
    expect((await analytics(h.a, b.campaignId)).totals).toEqual(forB.totals)
  })

  it("credits the shop server's AddToCart for a visitor its pages identified, once per event id", async () => {
    const d = await startSales(h.app, h.a)
    await send(h.a, [
      ev('gus', 'identify', 40, { userId: 'customer-gus' }),
      ev('gus', 'click', 41, { campaignId: d.campaignId, variantId: d.variantId }),
    ])
    const added = {
      event_name: 'AddToCart',
      event_time: Math.floor(h.now.value / 1000) - 60,
      event_id: 'cart-gus-1',
      action_source: 'website',
      user_data: { external_id: ['customer-gus'] },
      custom_data: { value: 30, currency: 'EUR', contents: [{ id: 'SKU9', quantity: 3, item_price: 10 }] },
    }
    const asA = client(h.app, { secretKey: h.a.secretKey })
    for (let i = 0; i < 2; i++) {
      const res = await asA.post('/api/v1/conversions', { data: [added] })
      expect(res.status, await res.clone().text()).toBe(200)
      expect(await res.json()).toMatchObject({ rejected: [] })
    }
    // The server's add to cart is in Gus's cart too, as the page's would be.
    const carts = rowsOf<{ lines: unknown }>(
      await database.db.execute(
        sql`select lines from carts where site_id = ${h.a.siteId} and anonymous_id = 'gus'`,
      ),
    )
    expect(carts.map((row) => row.lines)).toEqual([[{ id: 'SKU9', quantity: 3, price: 10 }]])
    const forD = await analytics(h.a, d.campaignId)
    expect(forD.totals).toMatchObject({ addToCarts: 1, conversions: 0 })
    expect(forD.byVariant.find((v) => v.variantId === d.variantId)).toMatchObject({ addToCarts: 1 })
  })

  it("never credits another site's campaign, nor one seen outside the site's view window", async () => {
    const c = await startSales(h.app, h.b)
    // Site B's campaign is seen by its visitor; site A's page then tracks an add to cart for the same id.
    await send(h.b, [ev('eve', 'viewable', 30, { campaignId: c.campaignId, variantId: c.variantId })])
    await send(h.a, [ev('eve', 'AddToCart', 31, cart)])
    // Fay saw it on site B more than a day (the default view window) before her add to cart there.
    await send(h.b, [
      ev('fay', 'viewable', -25 * 60, { campaignId: c.campaignId, variantId: c.variantId }),
      ev('fay', 'AddToCart', 32, cart),
    ])
    // Eve's add to cart on site B itself is C's.
    await send(h.b, [ev('eve', 'AddToCart', 33, cart)])
    const forC = await analytics(h.b, c.campaignId)
    expect(forC.totals).toMatchObject({ addToCarts: 1, checkouts: 0 })
  })
})
