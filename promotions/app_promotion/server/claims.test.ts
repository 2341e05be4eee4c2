import { and, count, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { client, createHarness, type Harness, type Tenant } from '../../../api/testing/harness'
import { appClaims, attributions, events } from '../../../schema/db'
import { agents, serveAs, startApp } from '../testing/server'

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

const claim = (body: Record<string, unknown>) =>
  h.app.request('/api/v1/app/claims', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'okhttp/4.12.0' },
    body: JSON.stringify(body),
  })

const claimsOf = async (siteId: string) =>
  (await h.database.db.select({ n: count() }).from(appClaims).where(eq(appClaims.siteId, siteId)))[0]!.n
const installsOf = async (campaignId: string) =>
  (
    await h.database.db
      .select({ n: count() })
      .from(events)
      .where(and(eq(events.campaignId, campaignId), eq(events.name, 'app_install')))
  )[0]!.n

/** Serves the tenant's app banner to an Android phone and follows its store link: the recorded click's id. */
async function clickThrough(tenant: Tenant, anonymousId: string): Promise<string> {
  const [decision] = ((await (await serveAs(h.app, tenant, agents.android, anonymousId)).json()) as any)
    .decisions
  const url = new URL(decision.storeUrl)
  const res = await h.app.request(url.pathname + url.search, { headers: { 'user-agent': agents.android } })
  const referrer = new URLSearchParams(new URL(res.headers.get('location')!).searchParams.get('referrer')!)
  return referrer.get('promo_click')!
}

describe('POST /api/v1/app/claims', () => {
  let a: { campaignId: string; variantId: string }
  beforeAll(async () => {
    a = await startApp(h.app, h.a)
    await startApp(h.app, h.b)
  })

  it('answers the deep link for the click id and records the install once, a replay answering the same', async () => {
    const clickId = await clickThrough(h.a, 'visitor-claim-1')
    const first = await claim({ site: h.a.publishableKey, clickId, platform: 'android', event: 'install' })
    expect(first.status).toBe(201)
    const answer = (await first.json()) as any
    expect(answer).toEqual({
      clickId,
      campaignId: a.campaignId,
      variantId: a.variantId,
      event: 'install',
      deepLink: 'shop://product/42?ref=banner',
      path: '/product/42?ref=banner',
      recorded: true,
    })
    const replay = await claim({ site: h.a.publishableKey, clickId, platform: 'android', event: 'install' })
    expect(replay.status).toBe(200)
    expect(await replay.json()).toEqual({ ...answer, recorded: false })
    expect(await installsOf(a.campaignId)).toBe(1)
    // The first open is its own event, once too.
    expect(
      (await claim({ site: h.a.publishableKey, clickId, platform: 'android', event: 'first_open' })).status,
    ).toBe(201)
    expect(
      (await claim({ site: h.a.publishableKey, clickId, platform: 'android', event: 'first_open' })).status,
    ).toBe(200)
    expect(await claimsOf(h.a.siteId)).toBe(2)
  })

  it('matches the signed-in user through identities to their latest click', async () => {
    const clickId = await clickThrough(h.a, 'visitor-claim-2')
    await h.database.db.execute(
      sql`insert into identities (site_id, anonymous_id, user_id) values (${h.a.siteId}, 'visitor-claim-2', 'user-42')`,
    )
    const res = await claim({ site: h.a.publishableKey, userId: 'user-42', platform: 'ios' })
    expect(res.status).toBe(201)
    expect(((await res.json()) as any).clickId).toBe(clickId)
  })

  it('refuses unknown click ids, unknown users, bad input and another site’s click, writing nothing', async () => {
    const before = await claimsOf(h.a.siteId)
    const cases: [Record<string, unknown>, number, string][] = [
      [{ site: h.a.publishableKey, clickId: crypto.randomUUID(), platform: 'android' }, 404, 'clickId'],
      [{ site: h.a.publishableKey, userId: 'nobody', platform: 'android' }, 404, 'userId'],
      [{ site: h.a.publishableKey, clickId: 'not-a-uuid', platform: 'android' }, 400, 'clickId'],
      [{ site: h.a.publishableKey, platform: 'android' }, 400, 'clickId'],
      [{ site: h.a.publishableKey, userId: '<b>x</b>', platform: 'android' }, 400, 'userId'],
      [{ site: h.a.publishableKey, userId: 'u'.repeat(65), platform: 'android' }, 400, 'userId'],
      [{ site: h.a.publishableKey, clickId: crypto.randomUUID(), platform: 'windows' }, 400, 'platform'],
      [
        { site: h.a.publishableKey, clickId: crypto.randomUUID(), platform: 'ios', event: 'purchase' },
        400,
        'event',
      ],
    ]
    for (const [body, status, path] of cases) {
      const res = await claim(body)
      expect(res.status, JSON.stringify(body)).toBe(status)
      const error = (await res.json()) as any
      expect(error.error.details.map((issue: { path: string }) => issue.path)).toContain(path)
    }
    // Tenant isolation: site B's key with site A's click.
    const clickId = await clickThrough(h.a, 'visitor-claim-3')
    const other = await claim({ site: h.b.publishableKey, clickId, platform: 'android' })
    expect(other.status).toBe(404)
    expect(await claimsOf(h.a.siteId)).toBe(before)
    expect(await claimsOf(h.b.siteId)).toBe(0)
  })
})

describe('app events through /api/v1/conversions', () => {
  it('credits an install sent with the click id, and a purchase by the same visitor, to the clicked unit', async () => {
    const clickId = await clickThrough(h.a, 'visitor-app-events')
    const [click] = await h.database.db.select().from(events).where(eq(events.id, clickId))
    const at = Math.ceil(h.now.value / 1000) + 1
    const secret = client(h.app, { secretKey: h.a.secretKey })
    const app = { action_source: 'app', event_time: at }
    const res = await secret.post('/api/v1/conversions', {
      data: [
        { ...app, event_name: 'AppInstall', event_id: 'install-1', custom_data: { promo_click_id: clickId } },
        {
          ...app,
          event_name: 'Purchase',
          event_id: 'iap-1',
          custom_data: { value: 4.99, currency: 'EUR', promo_click_id: clickId },
        },
      ],
    })
    expect(res.status).toBe(200)
    const credited = await h.database.db
      .select()
      .from(attributions)
      .where(
        and(
          eq(attributions.siteId, h.a.siteId),
          eq(attributions.model, 'last_touch'),
          eq(attributions.touchId, clickId),
        ),
      )
    expect(credited.map((row) => row.campaignId)).toEqual([click!.campaignId, click!.campaignId])
    // Another site's click id names nobody there: no credit.
    const other = client(h.app, { secretKey: h.b.secretKey })
    await other.post('/api/v1/conversions', {
      data: [
        { ...app, event_name: 'AppInstall', event_id: 'install-2', custom_data: { promo_click_id: clickId } },
      ],
    })
    const onB = await h.database.db.select().from(attributions).where(eq(attributions.siteId, h.b.siteId))
    expect(onB).toEqual([])
  })
})

describe('app promotion KPIs', () => {
  it('counts installs and first opens by platform and variant, and installers who then bought', async () => {
    const [first] = await h.database.db
      .select()
      .from(appClaims)
      .where(and(eq(appClaims.siteId, h.a.siteId), eq(appClaims.anonymousId, 'visitor-claim-1')))
    const secret = client(h.app, { secretKey: h.a.secretKey })
    const purchase = await secret.post('/api/v1/conversions', {
      data: [
        {
          action_source: 'app',
          event_time: Math.ceil(h.now.value / 1000) + 2,
          event_name: 'Purchase',
          event_id: 'iap-after-install',
          custom_data: { value: 2.99, currency: 'EUR', promo_click_id: first!.clickId },
        },
      ],
    })
    expect(purchase.status).toBe(200)
    const res = await secret.get(`/api/v1/campaigns/${first!.campaignId}/analytics`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as any
    const app = body.totals.app
    expect(app).toMatchObject({ installs: 2, firstOpens: 1, installToPurchaseRate: 0.5, qrScans: 0 })
    expect(app.storeClicks).toBeGreaterThanOrEqual(3)
    const installsBy = Object.fromEntries(app.byPlatform.map((p: any) => [p.platform, p.installs]))
    expect(installsBy).toMatchObject({ android: 1, ios: 1 })
    expect(body.byVariant[0].app).toMatchObject({ installs: 2, firstOpens: 1 })
  })
})
