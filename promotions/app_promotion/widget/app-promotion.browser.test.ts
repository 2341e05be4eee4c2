/**
 * App promotion as a site gets it, in Chromium against the real server (PostgreSQL when DATABASE_URL is set): an
 * iPhone and an Android phone get the smart banner, a desktop gets the QR code, and a campaign for phones alone
 * gives the desktop nothing (no unit, no chunk). On Android the Open button tries the deep link and, the page
 * still in front when the paused clock passes the wait, goes to the store through the signed click; the store
 * link carries the click id, a claim with it answers the deep link's path, and the install shows in the
 * campaign's analytics. The stores are stubbed by routing their hosts. Needs `npm run build`.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keys, launchChromium, startServer, until } from '../../../examples/browser-harness'
import { agents } from '../testing/server'

let promo: Awaited<ReturnType<typeof startServer>>
let browser: Awaited<ReturnType<typeof launchChromium>>
let host: Server
let shop = ''

const pageHtml = () => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script async src="${promo.origin}/sdk/promo.js" data-site="${keys.publishable}"></script></head>
<body style="margin:0;font:16px sans-serif"><h1>Shop</h1><p style="height:1500px">Things to buy.</p></body></html>`

async function admin(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${promo.origin}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${keys.secret}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return text ? JSON.parse(text) : undefined
}

beforeAll(async () => {
  promo = await startServer()
  host = createServer((_req, res) =>
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(pageHtml()),
  )
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve))
  shop = `http://127.0.0.1:${(host.address() as AddressInfo).port}`
  const [site] = (await admin('GET', '/sites')).data
  await admin('PATCH', `/sites/${site.id}`, { allowedOrigins: [...site.allowedOrigins, shop] })
  // The demo's own campaigns would compete for the page: paused.
  for (const campaign of (await admin('GET', '/campaigns')).data)
    if (campaign.status === 'active') await admin('POST', `/campaigns/${campaign.id}/pause`)
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.cleanup()
  host?.closeAllConnections()
  await new Promise((resolve) => host?.close(resolve))
  await promo?.close()
})

/** A page that says it is the given browser (the serve request's User-Agent), with the stores stubbed. */
async function pageAs(userAgent: string): Promise<{ page: Page; chunks: string[]; stores: string[] }> {
  const page = await browser.newPage()
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Emulation.setUserAgentOverride', { userAgent })
  const chunks: string[] = []
  const stores: string[] = []
  page.on('request', (request) => {
    if (request.url().includes('/sdk/') && request.url().includes('app_promotion')) chunks.push(request.url())
  })
  for (const store of ['https://play.google.com/**', 'https://apps.apple.com/**'])
    await page.route(store, (route) => {
      stores.push(route.request().url())
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Store</title>' })
    })
  return { page, chunks, stores }
}

const banner = (page: Page) => page.locator('promo-unit .app')

describe('app promotion on a real site, in Chromium', () => {
  let campaign: any
  beforeAll(async () => {
    campaign = await admin('POST', '/campaigns', {
      name: 'Get the app',
      type: 'app_promotion',
      config: {
        appName: 'Shop',
        appStoreUrl: 'https://apps.apple.com/app/id1234567890',
        playStoreUrl: 'https://play.google.com/store/apps/details?id=com.example.shop',
        deepLink: 'shop://product/42',
        deepLinkTimeoutMs: 1500,
        rating: 4.6,
        platforms: ['ios', 'android', 'desktop'],
      },
      variants: [{ name: 'A', creative: { headline: 'Shop faster in the app' } }],
    })
    await admin('POST', `/campaigns/${campaign.id}/activate`)
  })

  it('gives an iPhone and an Android phone the banner and a desktop the QR code', async () => {
    for (const [agent, expected] of [
      [agents.iphone, 'Open'],
      [agents.android, 'Open'],
    ] as const) {
      const { page } = await pageAs(agent)
      await page.goto(`${shop}/`)
      await banner(page).waitFor()
      expect(await banner(page).locator('.headline').textContent()).toBe('Shop')
      expect(await banner(page).locator('a.cta').textContent()).toBe(expected)
      expect(await banner(page).locator('svg.qr').count()).toBe(0)
      await page.close()
    }
    const { page } = await pageAs(agents.desktop)
    await page.goto(`${shop}/`)
    await banner(page).locator('svg.qr').waitFor()
    expect(await banner(page).locator('a.cta').count()).toBe(0)
    await page.close()
  })

  it('falls back from the deep link to the store after the wait, with the click id, which a claim turns into an install', async () => {
    const { page, stores } = await pageAs(agents.android)
    await page.clock.install()
    await page.goto(`${shop}/`)
    await banner(page).locator('a.cta').waitFor()
    await banner(page).locator('a.cta').click()
    await page.clock.runFor(1_000)
    expect(stores).toEqual([])
    await page.clock.runFor(600)
    const store = await until(
      () => stores[0],
      (url) => url !== undefined,
      'the store page',
    )
    const referrer = new URLSearchParams(new URL(store!).searchParams.get('referrer')!)
    const clickId = referrer.get('promo_click')!
    expect(clickId).toMatch(/^[0-9a-f-]{36}$/)
    const res = await fetch(`${promo.origin}/api/v1/app/claims`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ site: keys.publishable, clickId, platform: 'android', event: 'install' }),
    })
    expect(res.status).toBe(201)
    expect(((await res.json()) as any).path).toBe('/product/42')
    const analytics = await admin('GET', `/campaigns/${campaign.id}/analytics`)
    expect(analytics.totals.app.installs).toBe(1)
    // The Android browser's store click and the install are Android's, as serve decided.
    const android = analytics.totals.app.byPlatform.find((p: any) => p.platform === 'android')
    expect(android).toMatchObject({ storeClicks: 1, installs: 1 })
    await page.close()
  })

  it('gives a platform the campaign leaves out no unit and no chunk', async () => {
    await admin('PATCH', `/campaigns/${campaign.id}`, {
      config: { ...campaign.config, platforms: ['ios', 'android'] },
    })
    const { page, chunks } = await pageAs(agents.desktop)
    const served = page.waitForResponse((response) => response.url().includes('/api/v1/serve'))
    await page.goto(`${shop}/`)
    const answer = await (await served).json()
    expect(answer.decisions).toEqual([])
    await page.waitForTimeout(300)
    expect(await page.locator('promo-unit').count()).toBe(0)
    expect(chunks).toEqual([])
    await page.close()
  })
})
