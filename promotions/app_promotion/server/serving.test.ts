import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, type Harness } from '../../../api/testing/harness'
import { events } from '../../../schema/db'
import { platformOf } from '../platform'
import { agents, serveAs, startApp } from '../testing/server'
import { qrRows } from './serving'

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

const decisionsFor = async (userAgent: string, tenant = h.a) =>
  ((await (await serveAs(h.app, tenant, userAgent)).json()) as any).decisions as any[]

describe('platformOf', () => {
  it('tells iOS, Android and desktop apart, and leaves other phones out', () => {
    expect(platformOf({ device: 'mobile', os: 'ios' })).toBe('ios')
    expect(platformOf({ device: 'tablet', os: 'ios' })).toBe('ios')
    expect(platformOf({ device: 'mobile', os: 'android' })).toBe('android')
    // An iPad in desktop mode says it is a Mac: the server cannot tell, so it is desktop.
    expect(platformOf({ device: 'desktop', os: 'macos' })).toBe('desktop')
    expect(platformOf({ device: 'mobile', os: 'kaios' })).toBeUndefined()
  })
})

describe('qrRows', () => {
  it('encodes a square of module rows', () => {
    const rows = qrRows('https://promo.example/r/abc?a=v1&q=1')
    expect(rows.length).toBeGreaterThanOrEqual(21)
    for (const row of rows) expect(row).toMatch(new RegExp(`^[01]{${rows.length}}$`))
  })
})

describe('app promotion in /serve', () => {
  let ids: { campaignId: string; variantId: string }
  beforeAll(async () => {
    ids = await startApp(h.app, h.a, { platforms: ['ios', 'android', 'desktop'] })
    await startApp(h.app, h.b, { platforms: ['android'], appName: 'Other' })
  })

  it('gives an iPhone a top smart banner with the signed App Store link and no QR', async () => {
    const [decision] = await decisionsFor(agents.iphone)
    expect(decision).toMatchObject({
      campaignId: ids.campaignId,
      type: 'app_promotion',
      format: 'sticky_top',
      platform: 'ios',
    })
    expect(decision.qr).toBeUndefined()
    expect(decision.storeUrl).toMatch(/\/r\/[\w-]+\.[\w-]+\?a=v-app-1$/)
  })

  it('gives Android the Play link, and the redirect puts the recorded click id in the install referrer', async () => {
    const [decision] = await decisionsFor(agents.android)
    expect(decision.platform).toBe('android')
    const path = new URL(decision.storeUrl).pathname + new URL(decision.storeUrl).search
    const res = await h.app.request(path, { headers: { 'user-agent': agents.android } })
    expect(res.status).toBe(302)
    const location = new URL(res.headers.get('location')!)
    expect(location.host).toBe('play.google.com')
    const referrer = new URLSearchParams(location.searchParams.get('referrer')!)
    expect(referrer.get('utm_source')).toBe('promo')
    expect(referrer.get('utm_campaign')).toBe('Get the app')
    expect(referrer.get('promo_click')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('puts the click id in the App Store campaign token', async () => {
    const [decision] = await decisionsFor(agents.iphone)
    const url = new URL(decision.storeUrl)
    const res = await h.app.request(url.pathname + url.search, { headers: { 'user-agent': agents.iphone } })
    const location = new URL(res.headers.get('location')!)
    expect(location.host).toBe('apps.apple.com')
    expect(location.searchParams.get('ct')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('gives desktop a QR code of the tracked link, marked as a scan', async () => {
    const [decision] = await decisionsFor(agents.desktop)
    expect(decision.platform).toBe('desktop')
    expect(decision.storeUrl).toBeUndefined()
    expect(decision.qr.url).toMatch(/&q=1$/)
    expect(decision.qr.rows.length).toBeGreaterThanOrEqual(21)
    // Scanning it is a click marked as a scan, led to the fallback page.
    const url = new URL(decision.qr.url)
    const res = await h.app.request(url.pathname + url.search, { headers: { 'user-agent': agents.iphone } })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toMatch(/^https:\/\/a\.example\/app\?/)
    const clicks = await h.database.db
      .select()
      .from(events)
      .where(and(eq(events.campaignId, ids.campaignId), eq(events.name, 'click')))
    // The store clicks before it carry no mark; this one alone does.
    expect(clicks.map((click) => click.props).filter(Boolean)).toEqual([{ scanned: true }])
  })

  it('serves nothing to a platform the campaign leaves out', async () => {
    expect(await decisionsFor(agents.iphone, h.b)).toEqual([])
    expect(await decisionsFor(agents.desktop, h.b)).toEqual([])
    const [android] = await decisionsFor(agents.android, h.b)
    expect(android.config.appName).toBe('Other')
  })
})
