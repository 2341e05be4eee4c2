import { Buffer } from 'node:buffer'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as api from '../../../schema/api'
import { events } from '../../../schema/db'
import { MemoryKv } from '../../adapters/kv/memory'
import { createApp } from '../../app'
import {
  awarenessCampaign,
  client,
  createHarness,
  type Harness,
  readError,
  readJson,
} from '../../testing/harness'
import { landingUrl } from './redirect'

let h: Harness
const admin = () => client(h.app, { secretKey: h.a.secretKey })

async function activeCampaign(overrides: Record<string, unknown>) {
  const created = await readJson(
    await admin().post('/api/v1/campaigns', awarenessCampaign(overrides)),
    api.campaign,
  )
  const res = await admin().post(`/api/v1/campaigns/${created.id}/activate`)
  expect(res.status).toBe(200)
  return created
}

const serve = (body: Record<string, unknown>, origin?: string) =>
  client(h.app, origin ? { origin } : undefined).post('/api/v1/serve', {
    site: h.a.publishableKey,
    anonymousId: 'visitor-1',
    context: { url: 'https://a.example/' },
    ...body,
  })

let hero: api.Campaign
let popup: api.Campaign
beforeAll(async () => {
  h = await createHarness()
  await activeCampaign({ name: 'Low', priority: 1 })
  hero = await activeCampaign({ name: 'High', priority: 5 })
  popup = await activeCampaign({ name: 'Modal', placements: [], config: { format: 'popup' } })
  await admin().post('/api/v1/campaigns', awarenessCampaign({ name: 'Draft', priority: 99 }))
})
afterAll(() => h.close())

describe('POST /api/v1/serve', () => {
  it('answers one decision per slot plus page-level units, highest priority first', async () => {
    const res = await serve({ slots: ['home-hero', 'nothing-here'] }, h.a.origin)
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe(h.a.origin)
    const body = await readJson(res, api.serveAnswer)
    expect(body.ttl).toBeGreaterThan(0)
    const bySlot = Object.fromEntries(body.decisions.map((d) => [d.slot ?? d.format, d]))
    expect(Object.keys(bySlot).sort()).toEqual(['home-hero', 'popup'])
    expect(bySlot['home-hero']).toMatchObject({
      campaignId: hero.id,
      variantId: hero.variants[0]!.id,
      type: 'awareness',
      format: 'hero',
      creative: { headline: 'Winter sale' },
    })
    expect(bySlot.popup!.campaignId).toBe(popup.id)
    expect(bySlot['home-hero']!.clickUrl).toMatch(/\/r\/[\w-]+\.[\w-]+\?a=visitor-1&l=home-hero$/)
    expect(bySlot['home-hero']!.clickUrl).toContain(bySlot['home-hero']!.token)
  })

  it('accepts text/plain, as the SDK sends it to avoid a preflight', async () => {
    const body = JSON.stringify({ site: h.a.publishableKey, anonymousId: 'v', slots: ['home-hero'] })
    const res = await client(h.app).post('/api/v1/serve', body, 'text/plain;charset=UTF-8')
    expect(res.status).toBe(200)
  })

  it('stops serving a paused campaign at once', async () => {
    const extra = await activeCampaign({ name: 'Top', priority: 50, placements: ['sidebar'] })
    const before = await readJson(await serve({ slots: ['sidebar'] }), api.serveAnswer)
    expect(before.decisions.map((d) => d.campaignId)).toContain(extra.id)
    await admin().post(`/api/v1/campaigns/${extra.id}/pause`)
    const after = await readJson(await serve({ slots: ['sidebar'] }), api.serveAnswer)
    expect(after.decisions.map((d) => d.campaignId)).not.toContain(extra.id)
  })

  it("serves nothing of another site, and refuses origins the site didn't allow", async () => {
    const other = await client(h.app).post('/api/v1/serve', {
      site: h.b.publishableKey,
      anonymousId: 'v',
      slots: ['home-hero'],
    })
    expect((await readJson(other, api.serveAnswer)).decisions).toEqual([])
    expect((await serve({ slots: ['home-hero'] }, 'https://evil.example')).status).toBe(403)
  })

  it("answers the blueprint's per-type GET serve", async () => {
    const res = await client(h.app).get(
      `/api/v1/campaigns/awareness/serve?site=${h.a.publishableKey}&placement=home-hero`,
    )
    expect(res.status).toBe(200)
    const body = await readJson(res, api.serveAnswer)
    expect(body.decisions.map((d) => d.campaignId)).toContain(hero.id)
  })
})

describe('GET /r/:token', () => {
  it('counts the click and redirects to the signed URL only, naming the click for the landing page', async () => {
    const body = await readJson(await serve({ slots: ['home-hero'] }), api.serveAnswer)
    const decision = body.decisions.find((d) => d.slot === 'home-hero')!
    const url = new URL(decision.clickUrl!)
    const res = await h.app.request(url.pathname + url.search)
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(
      `https://shop.example/sale?utm_id=${hero.id}&promo_variant=${hero.variants[0]!.id}`,
    )
    const clicks = await h.database.db
      .select()
      .from(events)
      .where(and(eq(events.campaignId, hero.id), eq(events.name, 'click')))
    expect(clicks).toHaveLength(1)
    expect(clicks[0]).toMatchObject({
      anonymousId: 'visitor-1',
      variantId: hero.variants[0]!.id,
      slot: 'home-hero',
    })

    const analytics = await readJson(
      await admin().get(`/api/v1/campaigns/${hero.id}/analytics`),
      api.campaignAnalytics,
    )
    expect(analytics.totals.clicks).toBe(1)
  })

  const clicksBy = async (visitor: string) =>
    (
      await h.database.db
        .select()
        .from(events)
        .where(and(eq(events.name, 'click'), eq(events.anonymousId, visitor)))
    ).length

  it('counts 300 replays of one link by one visitor within 30 s as one click, redirecting every time', async () => {
    const body = await readJson(
      await serve({ slots: ['home-hero'], anonymousId: 'replayer' }),
      api.serveAnswer,
    )
    const decision = body.decisions.find((d) => d.slot === 'home-hero')!
    const url = new URL(decision.clickUrl!)
    for (let i = 0; i < 300; i++) {
      const res = await h.app.request(url.pathname + url.search)
      expect(res.status).toBe(302)
      expect(res.headers.get('location')).toMatch(/^https:\/\/shop\.example\/sale\?utm_id=/)
    }
    expect(await clicksBy('replayer')).toBe(1)
    // The same unit in another slot, and another visitor, are clicks of their own.
    expect((await h.app.request(`/r/${decision.token}?a=replayer&l=sidebar`)).status).toBe(302)
    expect((await h.app.request(`/r/${decision.token}?a=second-visitor&l=home-hero`)).status).toBe(302)
    expect(await clicksBy('replayer')).toBe(2)
    expect(await clicksBy('second-visitor')).toBe(1)
  })

  it('counts a repeat again after 30 s, and tells visitors apart by address when the link names none', async () => {
    // A memory store of its own, so the test's clock moves the window (Redis keeps it by its own clock).
    const app = createApp({
      database: h.database,
      kv: new MemoryKv(),
      signingSecret: 'test-signing-secret-0123456789abcdef',
      now: () => h.now.value,
      clientIpHeader: 'x-forwarded-for',
    })
    const body = await readJson(await serve({ slots: ['home-hero'] }), api.serveAnswer)
    const token: string = body.decisions.find((d) => d.slot === 'home-hero')!.token!
    await app.request(`/r/${token}?a=patient&l=home-hero`)
    h.now.value += 29_000
    await app.request(`/r/${token}?a=patient&l=home-hero`)
    expect(await clicksBy('patient')).toBe(1)
    h.now.value += 1_000
    await app.request(`/r/${token}?a=patient&l=home-hero`)
    expect(await clicksBy('patient')).toBe(2)

    const unknown = await clicksBy('unknown')
    const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } })
    for (let i = 0; i < 3; i++) await app.request(`/r/${token}?l=home-hero`, from('198.51.100.30'))
    await app.request(`/r/${token}?l=home-hero`, from('198.51.100.31'))
    expect(await clicksBy('unknown')).toBe(unknown + 2)
  })

  it('still counts a click whose visitor hint cannot be stored (a NUL), without it', async () => {
    const body = await readJson(await serve({ slots: ['home-hero'] }), api.serveAnswer)
    const token: string = body.decisions.find((d) => d.slot === 'home-hero')!.token!
    const before = await h.database.db.select().from(events).where(eq(events.name, 'click'))
    const res = await h.app.request(`/r/${token}?a=%00bad&l=home-hero`)
    expect(res.status).toBe(302)
    const after = await h.database.db.select().from(events).where(eq(events.name, 'click'))
    expect(after.length).toBe(before.length + 1)
    expect(after.find((e) => !before.some((b) => b.id === e.id))).toMatchObject({ anonymousId: 'unknown' })
  })

  it('sends a crawler following the link on its way without counting a click', async () => {
    const body = await readJson(await serve({ slots: ['home-hero'] }), api.serveAnswer)
    const token: string = body.decisions.find((d) => d.slot === 'home-hero')!.token!
    const before = await h.database.db.select().from(events).where(eq(events.name, 'click'))
    const res = await h.app.request(`/r/${token}?a=crawler`, {
      headers: { 'user-agent': 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)' },
    })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toMatch(/^https:\/\/shop\.example\/sale\?utm_id=/)
    const after = await h.database.db.select().from(events).where(eq(events.name, 'click'))
    expect(after.length).toBe(before.length)
  })

  it("keeps the link's own query and fragment as signed, the click's ids after the query", async () => {
    const campaign = await activeCampaign({
      name: 'Guide',
      priority: 60,
      placements: ['guide-slot'],
      variants: [
        {
          name: 'A',
          creative: {
            headline: 'Guide',
            ctaUrl: 'https://shop.example/guide?a=b%20c&utm_content=hero#part-2',
          },
        },
      ],
    })
    const body = await readJson(await serve({ slots: ['guide-slot'] }), api.serveAnswer)
    const res = await h.app.request(`/r/${body.decisions[0]!.token!}`)
    expect(res.headers.get('location')).toBe(
      `https://shop.example/guide?a=b%20c&utm_content=hero&utm_id=${campaign.id}&promo_variant=${campaign.variants[0]!.id}#part-2`,
    )
    await admin().post(`/api/v1/campaigns/${campaign.id}/pause`)
  })

  it('appends no ids to a link that names its own campaign id or variant', () => {
    const click = { s: h.a.siteId, c: hero.id, v: hero.variants[0]!.id }
    for (const u of [
      'https://shop.example/sale?utm_id=newsletter-7',
      'https://shop.example/sale?promo_variant=x',
    ])
      expect(landingUrl({ ...click, u })).toBe(u)
    expect(landingUrl({ ...click, u: 'https://shop.example/sale?' })).toBe(
      `https://shop.example/sale?utm_id=${click.c}&promo_variant=${click.v}`,
    )
  })

  it('refuses a tampered token without redirecting', async () => {
    const body = await readJson(await serve({ slots: ['home-hero'] }), api.serveAnswer)
    const token: string = body.decisions[0]!.token!
    const [payload, mac] = token.split('.')
    // The same token with its destination rewritten (the URL is the body's tail), under the old signature.
    const bytes = Buffer.from(payload!, 'base64url')
    const evil = Buffer.concat([bytes.subarray(0, 49), Buffer.from('https://evil.example/')]).toString(
      'base64url',
    )
    const res = await h.app.request(`/r/${evil}.${mac}`)
    expect(res.status).toBe(404)
    expect(res.headers.get('location')).toBeNull()
    expect((await h.app.request('/r/garbage')).status).toBe(404)
  })
})

const iphone =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'
const windowsChrome =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

describe('targeting', () => {
  const served = async (
    slot: string,
    headers: Record<string, string>,
    context: Record<string, unknown> = {},
    app = h.app,
  ) => {
    const res = await app.request('/api/v1/serve', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ site: h.a.publishableKey, anonymousId: 'visitor-t', slots: [slot], context }),
    })
    expect(res.status).toBe(200)
    const { decisions } = await readJson(res, api.serveAnswer)
    return decisions.filter((d) => d.slot === slot).map((d) => d.campaignId)
  }

  it('serves a campaign targeted to mobile devices to an iPhone and not to a desktop', async () => {
    const mobile = await activeCampaign({
      placements: ['mobile-slot'],
      targeting: { include: { field: 'device', op: 'in', values: ['mobile'] } },
    })
    expect(await served('mobile-slot', { 'user-agent': iphone })).toEqual([mobile.id])
    expect(await served('mobile-slot', { 'user-agent': windowsChrome })).toEqual([])
  })

  it('serves a campaign with a URL glob on matching pages only', async () => {
    const blog = await activeCampaign({
      placements: ['blog-slot'],
      targeting: { include: { all: [{ field: 'url', op: 'glob', value: 'https://a.example/blog/*' }] } },
    })
    expect(await served('blog-slot', {}, { url: 'https://a.example/blog/winter-sale' })).toEqual([blog.id])
    expect(await served('blog-slot', {}, { url: 'https://a.example/shop/boots' })).toEqual([])
    expect(await served('blog-slot', {})).toEqual([])
  })

  it('excludes by country from the header the Node server was configured with', async () => {
    const notFrance = await activeCampaign({
      placements: ['geo-slot'],
      targeting: { exclude: { field: 'country', op: 'in', values: ['FR'] } },
    })
    const app = createApp({
      database: h.database,
      signingSecret: 'test-signing-secret-0123456789abcdef',
      now: () => h.now.value,
      geoHeaders: { country: 'x-visitor-country' },
    })
    expect(await served('geo-slot', { 'x-visitor-country': 'FR' }, {}, app)).toEqual([])
    expect(await served('geo-slot', { 'x-visitor-country': 'DE' }, {}, app)).toEqual([notFrance.id])
    // Without the configured header name, the header is not trusted: the country is unknown.
    expect(await served('geo-slot', { 'x-visitor-country': 'FR' })).toEqual([notFrance.id])
  })

  it('refuses invalid targeting with the path of the mistake', async () => {
    const res = await admin().post(
      '/api/v1/campaigns',
      awarenessCampaign({ targeting: { include: { all: [{ field: 'url', op: 'regex', value: '.*' }] } } }),
    )
    expect(res.status).toBe(400)
    expect((await readError(res)).paths).toEqual(['targeting.include.all.0.op'])
  })
})

describe('analytics', () => {
  it('counts impressions, viewable impressions, reach, clicks and CTR from events', async () => {
    const send = (name: string, anonymousId: string) => ({
      id: crypto.randomUUID(),
      name,
      timestamp: new Date(h.now.value - 3_600_000).toISOString(),
      anonymousId,
      campaignId: popup.id,
      variantId: popup.variants[0]!.id,
    })
    await client(h.app).post('/api/v1/events', {
      site: h.a.publishableKey,
      batch: [
        send('impression', 'p1'),
        send('impression', 'p1'),
        send('impression', 'p2'),
        send('viewable', 'p1'),
        send('click', 'p2'),
      ],
    })
    const res = await readJson(
      await admin().get(`/api/v1/campaigns/${popup.id}/analytics`),
      api.campaignAnalytics,
    )
    expect(res.totals).toMatchObject({
      impressions: 3,
      viewableImpressions: 1,
      reach: 2,
      clicks: 1,
      ctr: 0.3333,
    })
    // The last 30 days by default, every day present: only today has events.
    expect(res.series).toHaveLength(30)
    expect(res.series.at(-1)).toMatchObject({ t: '2026-11-29T00:00:00Z', impressions: 3, reach: 2 })
    expect(res.series.slice(0, -1).every((day) => day.impressions === 0 && day.reach === 0)).toBe(true)
    expect(res.byVariant[0]).toMatchObject({ name: 'A', impressions: 3, clicks: 1 })
    const reach = await readJson(await admin().get(`/api/v1/campaigns/${popup.id}/reach`), api.reachAnswer)
    expect(reach).toMatchObject({ reach: 2, impressions: 3, frequency: 1.5 })
  })
})
