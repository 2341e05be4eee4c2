import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ClickSigner } from '../../../api/core/clicks'
import { rowsOf } from '../../../api/ports/database'
import { testDatabase } from '../../../api/testing/database'
import { client, readError, testSigningSecret } from '../../../api/testing/harness'
import type { RemarketingDecision } from '../decision'
import { browser, putCatalog, remarketingHarness, startRemarketing } from '../testing/server'

/**
 * Remarketing's incentive with a code of each member's own: the pool is made on the promo-code routes (the
 * Promo codes screen), each member reveals theirs with the visitor token serve handed them, and the checkout
 * redeems it under the incentive's terms.
 */
let h: Awaited<ReturnType<typeof remarketingHarness>>
beforeAll(async () => {
  h = await remarketingHarness(await testDatabase())
  await putCatalog(h.app, h.a)
}, 60_000)
afterAll(() => h.close())

const asA = () => client(h.app, { secretKey: h.a.secretKey })
const asB = () => client(h.app, { secretKey: h.b.secretKey })
const signer = new ClickSigner(testSigningSecret)

let slots = 0
async function start(incentive: Record<string, unknown>) {
  const slot = `codes-${++slots}`
  const started = await startRemarketing(
    h.app,
    h.a,
    { format: 'inline', dynamicContent: false, incentive },
    { placements: [slot], frequency: { countOn: 'viewable' }, experiment: { holdoutPercent: 0 } },
  )
  return { ...started, slot }
}

const unique = { type: 'percentage', value: 10, currency: 'EUR', uniqueCodes: true }

let clock = 0
async function addToCart(anonymousId: string) {
  const res = await h.app.request('/api/v1/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': browser },
    body: JSON.stringify({
      site: h.a.publishableKey,
      batch: [
        {
          id: crypto.randomUUID(),
          name: 'AddToCart',
          timestamp: new Date(h.now.value - 60_000 + ++clock).toISOString(),
          anonymousId,
          sessionId: 's-1',
          url: 'https://a.example/shop',
          props: { contents: [{ id: 'SKU-1', quantity: 1 }] },
        },
      ],
    }),
  })
  expect(res.status).toBe(200)
}
async function served(anonymousId: string, slot: string) {
  const res = await h.app.request('/api/v1/serve', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': browser },
    body: JSON.stringify({
      site: h.a.publishableKey,
      slots: [slot],
      anonymousId,
      context: { url: 'https://a.example/' },
    }),
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as { decisions: RemarketingDecision[] }).decisions[0]
}
const reveal = (body: Record<string, unknown>) =>
  h.app.request('/api/v1/promo-codes/reveal', {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': browser },
    body: JSON.stringify(body),
  })
const reveals = async (campaignId: string) =>
  Number(
    rowsOf<{ n: number | string }>(
      await h.app.services.db.execute(
        sql`select count(*) as n from promo_code_reveals where campaign_id = ${campaignId}`,
      ),
    )[0]!.n,
  )

describe('a member’s own code', () => {
  it('is revealed from the campaign’s pool with the token serve handed them: theirs, the same again, none past the pool', async () => {
    const { campaignId, variantId, slot } = await start(unique)
    const pool = await asA().post(`/api/v1/campaigns/${campaignId}/promo-codes`, { pool: 2, prefix: 'BACK-' })
    expect(pool.status, await pool.clone().text()).toBe(201)
    const codes = ((await pool.json()) as { data: { code: string }[] }).data.map((c) => c.code)

    await addToCart('member-ada')
    const decision = (await served('member-ada', slot))!
    expect(decision.remarketing?.incentive).toEqual({
      type: 'percentage',
      value: 10,
      currency: 'EUR',
      unique: true,
    })
    expect(decision.visitorToken).toBe(signer.visitorToken(h.a.siteId, 'member-ada'))
    const ask = (anonymousId: string, visitorToken = signer.visitorToken(h.a.siteId, anonymousId)) => ({
      site: h.a.publishableKey,
      campaignId,
      variantId,
      anonymousId,
      visitorToken,
    })

    const first = await reveal({ ...ask('member-ada'), visitorToken: decision.visitorToken })
    expect(first.status, await first.clone().text()).toBe(200)
    const ada = (await first.json()) as { code: string }
    expect(codes).toContain(ada.code)
    expect(await (await reveal(ask('member-ada'))).json()).toEqual(ada)

    await addToCart('member-bob')
    const bob = (await (await reveal(ask('member-bob'))).json()) as { code: string }
    expect(codes).toContain(bob.code)
    expect(bob.code).not.toBe(ada.code)
    await addToCart('member-cy')
    expect((await readError(await reveal(ask('member-cy')))).code).toBe('exhausted')
    expect(await reveals(campaignId)).toBe(2)
  })

  it('is refused to a visitor outside the audience, without the served token, and on another site', async () => {
    const { campaignId } = await start(unique)
    await asA().post(`/api/v1/campaigns/${campaignId}/promo-codes`, { pool: 5 })
    const ask = (anonymousId: string) => ({
      site: h.a.publishableKey,
      campaignId,
      anonymousId,
      visitorToken: signer.visitorToken(h.a.siteId, anonymousId),
    })
    // Never left a cart: not a member, whatever token they hold.
    const stranger = await reveal(ask('stranger-1'))
    expect(stranger.status).toBe(403)
    expect((await readError(stranger)).paths).toEqual(['anonymousId'])
    await addToCart('member-dee')
    const { visitorToken: _token, ...untokened } = ask('member-dee')
    const missing = await reveal(untokened)
    expect(missing.status).toBe(400)
    expect((await readError(missing)).paths).toEqual(['visitorToken'])
    const forged = await reveal({
      ...ask('member-dee'),
      visitorToken: signer.visitorToken(h.a.siteId, 'member-ada'),
    })
    expect(forged.status).toBe(400)
    // Site A's token is not site B's, and with B's own token A's campaign is unknown there.
    expect((await reveal({ ...ask('member-dee'), site: h.b.publishableKey })).status).toBe(400)
    const elsewhere = await reveal({
      ...ask('member-dee'),
      site: h.b.publishableKey,
      visitorToken: signer.visitorToken(h.b.siteId, 'member-dee'),
    })
    expect(elsewhere.status).toBe(404)
    expect(await reveals(campaignId)).toBe(0)
    // The member with their token gets one.
    expect((await reveal(ask('member-dee'))).status).toBe(200)
  })

  it('is redeemed by the checkout under the incentive’s terms: its currency and what it takes off', async () => {
    const { campaignId } = await start({
      type: 'fixed_amount',
      value: 15,
      currency: 'EUR',
      uniqueCodes: true,
    })
    await asA().post(`/api/v1/campaigns/${campaignId}/promo-codes`, { pool: 1 })
    await addToCart('member-eve')
    const shown = (await (
      await reveal({
        site: h.a.publishableKey,
        campaignId,
        anonymousId: 'member-eve',
        visitorToken: signer.visitorToken(h.a.siteId, 'member-eve'),
      })
    ).json()) as { code: string }
    const wrongCurrency = await asA().post('/api/v1/promo-codes/redeem', {
      code: shown.code,
      orderId: 'rm-1',
      orderValue: 80,
      currency: 'USD',
    })
    expect(wrongCurrency.status).toBe(422)
    expect((await readError(wrongCurrency)).paths).toEqual(['currency'])
    const redeemed = await asA().post('/api/v1/promo-codes/redeem', {
      code: shown.code,
      orderId: 'rm-1',
      orderValue: 80,
      currency: 'EUR',
    })
    expect(redeemed.status, await redeemed.clone().text()).toBe(200)
    expect(await redeemed.json()).toMatchObject({ campaignId, currency: 'EUR', discount: 15, orderValue: 80 })
    const listed = await asA().get(`/api/v1/campaigns/${campaignId}/promo-codes/redemptions`)
    expect(((await listed.json()) as { data: unknown[] }).data).toHaveLength(1)
    // The campaign's results count the incentive's codes: revealed, redeemed, the orders and the discount.
    const analytics = await asA().get(`/api/v1/campaigns/${campaignId}/analytics`)
    expect(analytics.status).toBe(200)
    const { totals, series } = (await analytics.json()) as {
      totals: Record<string, unknown>
      series: Record<string, unknown>[]
    }
    expect(totals).toMatchObject({ codesRevealed: 1, codesRedeemed: 1, promoRevenue: 80, discountGiven: 15 })
    // The discount is the campaign's cost (it has none configured): no conversion is credited, so ROAS is 0.
    expect(totals).toMatchObject({ campaignCost: 15, roas: 0, cpa: null })
    expect(series.reduce((sum, bucket) => sum + Number(bucket.codesRedeemed ?? 0), 0)).toBe(1)
  })

  it('keeps each site’s campaigns to itself, and types without codes out of the code routes', async () => {
    const { campaignId } = await start(unique)
    expect((await asB().post(`/api/v1/campaigns/${campaignId}/promo-codes`, { pool: 1 })).status).toBe(404)
    expect((await asB().get(`/api/v1/campaigns/${campaignId}/promo-codes`)).status).toBe(404)
    const awareness = await asA().post('/api/v1/campaigns', {
      name: 'Banner',
      type: 'awareness',
      placements: ['hero'],
      config: {},
      variants: [{ name: 'A', creative: { headline: 'Hello' } }],
    })
    expect(awareness.status, await awareness.clone().text()).toBe(201)
    const { id } = (await awareness.json()) as { id: string }
    expect((await asA().post(`/api/v1/campaigns/${id}/promo-codes`, { pool: 1 })).status).toBe(404)
  })
})
