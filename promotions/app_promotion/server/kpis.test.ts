import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { client, createHarness, type Harness } from '../../../api/testing/harness'
import { events } from '../../../schema/db'
import { agents, installThrough, serveAs, startApp } from '../testing/server'

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

type Agent = keyof typeof agents

/** Serves the tenant's app promotion to a visitor on a platform: the decision. */
async function served(agent: Agent, anonymousId: string) {
  const answer = (await (await serveAs(h.app, h.a, agents[agent], anonymousId)).json()) as any
  return answer.decisions.find((d: any) => d.type === 'app_promotion')
}

/** The SDK's unit events for a decision, sent from the visitor's browser. */
async function unitEvents(agent: Agent, anonymousId: string, decision: any, names: string[]) {
  const batch = names.map((name) => ({
    id: crypto.randomUUID(),
    name,
    timestamp: new Date(h.now.value).toISOString(),
    anonymousId,
    campaignId: decision.campaignId,
    variantId: decision.variantId,
  }))
  const sent = await h.app.request('/api/v1/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': agents[agent] },
    body: JSON.stringify({ site: h.a.publishableKey, batch }),
  })
  expect(sent.status).toBe(200)
  expect(((await sent.json()) as any).accepted).toBe(names.length)
}

const follow = async (url: string, agent: Agent) => {
  const link = new URL(url)
  const res = await h.app.request(link.pathname + link.search, { headers: { 'user-agent': agents[agent] } })
  expect(res.status).toBe(302)
}

describe('app promotion KPIs by the platform serve decided', () => {
  it('splits impressions, viewables, store clicks and QR scans into iOS, Android and desktop', async () => {
    const { campaignId } = await startApp(h.app, h.a)
    const admin = client(h.app, { secretKey: h.a.secretKey })
    expect(
      (await admin.patch(`/api/v1/campaigns/${campaignId}`, { cost: { amount: 60, currency: 'EUR' } }))
        .status,
    ).toBe(200)

    // iPhone: seen, in view, taps Get (the App Store link).
    const ios = await served('iphone', 'kpi-ios')
    expect(ios.platform).toBe('ios')
    await unitEvents('iphone', 'kpi-ios', ios, ['impression', 'viewable'])
    await follow(ios.storeUrl, 'iphone')
    // Android: one seen and scrolled past, one in view who installs and then buys in the app.
    const android = await served('android', 'kpi-android-1')
    await unitEvents('android', 'kpi-android-1', android, ['impression'])
    await unitEvents('android', 'kpi-android-2', android, ['impression', 'viewable'])
    const clickId = await installThrough(h.app, h.a, 'kpi-android-2')
    const bought = await admin.post('/api/v1/conversions', {
      data: [
        {
          action_source: 'app',
          event_time: Math.ceil(h.now.value / 1000) + 2,
          event_name: 'Purchase',
          event_id: 'kpi-iap',
          custom_data: { value: 4.99, currency: 'EUR', promo_click_id: clickId },
        },
      ],
    })
    expect(bought.status).toBe(200)
    // Desktop: seen and in view; an iPhone scans its QR code, which is still the desktop unit's scan.
    const desktop = await served('desktop', 'kpi-desktop')
    expect(desktop.platform).toBe('desktop')
    await unitEvents('desktop', 'kpi-desktop', desktop, ['impression', 'viewable'])
    await follow(desktop.qr.url, 'iphone')

    const res = await admin.get(`/api/v1/campaigns/${campaignId}/analytics`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as any
    const rates = { costPerInstall: null, firstOpens: 0, deepLinkOpens: 0 }
    // By hand: impressions 1 + 2 + 1 = 4, in view 1 + 1 + 1 = 3 (0.75); clicks: the two store clicks and one
    // scan; store clicks per impression 2 / 4; one install of one Android click, its installer bought (1 of 1);
    // the campaign's 60 EUR over 1 install.
    expect(body.totals.app).toMatchObject({
      bannerImpressions: 4,
      viewableRate: 0.75,
      storeClicks: 2,
      clickToStoreRate: 0.5,
      qrScans: 1,
      installs: 1,
      costPerInstall: 60,
      installToPurchaseRate: 1,
    })
    expect(body.totals.app.byPlatform).toEqual([
      {
        platform: 'android',
        ...rates,
        bannerImpressions: 2,
        viewableRate: 0.5,
        storeClicks: 1,
        clickToStoreRate: 0.5,
        qrScans: 0,
        installs: 1,
      },
      {
        platform: 'desktop',
        ...rates,
        bannerImpressions: 1,
        viewableRate: 1,
        storeClicks: 0,
        clickToStoreRate: 0,
        qrScans: 1,
        installs: 0,
      },
      {
        platform: 'ios',
        ...rates,
        bannerImpressions: 1,
        viewableRate: 1,
        storeClicks: 1,
        clickToStoreRate: 1,
        qrScans: 0,
        installs: 0,
      },
    ])
    // The one variant has it all, split the same way; its cost per install is not split from the campaign's.
    const variant = body.byVariant[0].app
    expect(variant).toMatchObject({ bannerImpressions: 4, qrScans: 1, installToPurchaseRate: 1 })
    expect(variant.costPerInstall).toBeNull()
    expect(variant.byPlatform).toEqual(body.totals.app.byPlatform)
    // Today's bucket has the scans and the install → purchase rate; the other days of the range have nothing.
    const today = body.series.find((b: any) => b.t === '2026-11-29T00:00:00Z')
    expect(today.app).toMatchObject({ qrScans: 1, storeClicks: 2, installs: 1, installToPurchaseRate: 1 })
    const others = body.series.filter((b: any) => b.t !== '2026-11-29T00:00:00Z')
    expect(others.length).toBeGreaterThan(0)
    for (const bucket of others) expect(bucket.app).toMatchObject({ qrScans: 0, installToPurchaseRate: 0 })
    // By the hour: all of it in the hour of the serve (12:00), none in the hour before.
    const hourly = (await (
      await admin.get(
        `/api/v1/campaigns/${campaignId}/analytics?interval=hour&from=2026-11-29T11:00:00Z&to=2026-11-29T13:00:00Z`,
      )
    ).json()) as any
    expect(
      hourly.series.map((b: any) => [b.t, b.app.qrScans, b.app.storeClicks, b.app.installToPurchaseRate]),
    ).toEqual([
      ['2026-11-29T11:00:00Z', 0, 0, 0],
      ['2026-11-29T12:00:00Z', 1, 2, 1],
    ])
  })

  it('counts a phone row stored before events kept the system as mobile, another site seeing none of it', async () => {
    const { campaignId, variantId } = await startApp(h.app, h.b)
    const row = {
      siteId: h.b.siteId,
      timestamp: new Date(h.now.value),
      anonymousId: 'kpi-old-phone',
      campaignId,
      variantId,
      device: 'mobile' as const,
    }
    await h.database.db.insert(events).values([
      { ...row, id: crypto.randomUUID(), name: 'impression' },
      { ...row, id: crypto.randomUUID(), name: 'impression', device: 'desktop' as const, os: 'windows' },
    ])
    const answer = async (secretKey: string) =>
      client(h.app, { secretKey }).get(`/api/v1/campaigns/${campaignId}/analytics`)
    const body = (await (await answer(h.b.secretKey)).json()) as any
    expect(body.totals.app.byPlatform.map((p: any) => [p.platform, p.bannerImpressions])).toEqual([
      ['desktop', 1],
      ['mobile', 1],
    ])
    expect((await answer(h.a.secretKey)).status).toBe(404)
  })
})
