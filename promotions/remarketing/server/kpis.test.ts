import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabase } from '../../../api/testing/database'
import { client } from '../../../api/testing/harness'
import { joinAudienceForTest } from '../testing/audience'
import { browser, remarketingHarness, startRemarketing } from '../testing/server'
import { remarketingKpis } from './kpis'

describe('remarketingKpis, worked by hand', () => {
  it('reads the share of the audience reached and the recovery rate', () => {
    expect(remarketingKpis({ audienceReached: 3, abandonersReached: 4, recovered: 1 }, 12)).toEqual({
      audienceSize: 12,
      reachInAudience: 0.25, // 3 / 12
      audienceReached: 3,
      abandonersReached: 4,
      recovered: 1,
      recoveryRate: 0.25, // 1 / 4
    })
  })

  it('answers 0 for empty rates, and no audience size where it is not known (a variant, a bucket)', () => {
    expect(remarketingKpis({ audienceReached: 0, abandonersReached: 0, recovered: 0 }, 0)).toMatchObject({
      reachInAudience: 0,
      recoveryRate: 0,
    })
    expect(remarketingKpis({ audienceReached: 1, abandonersReached: 0, recovered: 0 })).not.toHaveProperty(
      'audienceSize',
    )
  })
})

describe("a remarketing campaign's analytics", () => {
  let h: Awaited<ReturnType<typeof remarketingHarness>>
  beforeAll(async () => {
    h = await remarketingHarness(await testDatabase())
  }, 60_000)
  afterAll(() => h.close())

  const send = async (batch: Record<string, unknown>[], site = h.a.publishableKey) => {
    const res = await h.app.request('/api/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': browser },
      body: JSON.stringify({ site, batch }),
    })
    expect(res.status, await res.clone().text()).toBe(200)
    expect(((await res.json()) as { accepted: number }).accepted).toBe(batch.length)
  }

  it('counts the audience, the members reached and the abandoners recovered, by variant and bucket', async () => {
    const { campaignId, variantId } = await startRemarketing(h.app, h.a)
    const asA = client(h.app, { secretKey: h.a.secretKey })
    expect(
      (await asA.patch(`/api/v1/campaigns/${campaignId}`, { cost: { amount: 50, currency: 'EUR' } })).status,
    ).toBe(200)
    const at = (minutes: number) => new Date(h.now.value - 5 * 60 * 60_000 + minutes * 60_000).toISOString()
    const unit = { campaignId, variantId }
    const ev = (anonymousId: string, name: string, minutes: number, extra: Record<string, unknown> = {}) => ({
      id: crypto.randomUUID(),
      anonymousId,
      name,
      timestamp: at(minutes),
      ...extra,
    })
    const cart = { props: { contents: [{ id: 'SKU-1', quantity: 1 }] }, value: 20, currency: 'EUR' }
    // Ada left a cart, saw the reminder, clicked and bought for 20; Bob left a cart and saw it but did not buy;
    // Cy saw it without a cart; Dee and Eve are members it has not reached.
    await send([
      ev('ada', 'AddToCart', 0, cart),
      ev('ada', 'impression', 60, unit),
      ev('ada', 'click', 61, unit),
      ev('ada', 'Purchase', 62, { ...cart, eventId: 'order-ada' }),
      ev('bob', 'AddToCart', 0, cart),
      ev('bob', 'impression', 70, unit),
      ev('cy', 'impression', 80, unit),
    ])
    await joinAudienceForTest(h.app, h.a.siteId, campaignId, ['bob', 'cy', 'dee', 'eve'])
    // Another site's visitor carrying the key is not this campaign's audience.
    await joinAudienceForTest(h.app, h.b.siteId, campaignId, ['mallory'])

    const res = await asA.get(
      `/api/v1/campaigns/${campaignId}/analytics?from=2026-11-29T00:00:00Z&to=2026-11-30T00:00:00Z&model=last_touch`,
    )
    expect(res.status, await res.clone().text()).toBe(200)
    const analytics = (await res.json()) as {
      totals: Record<string, unknown>
      series: ({ t: string } & Record<string, unknown>)[]
      byVariant: ({ variantId: string } & Record<string, unknown>)[]
    }
    const reached = { audienceReached: 2, abandonersReached: 2, recovered: 1, recoveryRate: 0.5 }
    expect(analytics.totals).toMatchObject({
      ...reached,
      audienceSize: 4,
      reachInAudience: 0.5, // bob and cy of 4 members
      conversions: 1,
      revenue: 20,
      roas: 0.4, // 20 / 50
      cpa: 50,
    })
    expect(analytics.byVariant.find((v) => v.variantId === variantId)).toMatchObject(reached)
    expect(analytics.series.find((b) => b.t === '2026-11-29T00:00:00Z')).toMatchObject(reached)

    // Another organization cannot read it.
    const asB = client(h.app, { secretKey: h.b.secretKey })
    expect((await asB.get(`/api/v1/campaigns/${campaignId}/analytics`)).status).toBe(404)
  })
})
