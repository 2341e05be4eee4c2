import { and, count, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, type Harness, type Tenant } from '../../../api/testing/harness'
import { appClaims, events } from '../../../schema/db'
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
