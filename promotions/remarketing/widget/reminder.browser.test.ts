/**
 * A cart reminder as a site gets it, in Chromium against the real server (PostgreSQL when DATABASE_URL is set):
 * a visitor who never carted sees nothing; another adds a product to the cart on the shop and leaves, and that
 * batch makes them a member of the campaign's audience (the audience engine's ingest projection); on their next page the reminder
 * shows that very product from the catalog, whose card leads through its signed click URL to the product page;
 * they buy there, the purchase's batch ends their stay, and the next page shows the reminder no more. The campaign is left uncapped so that only the
 * purchase can be what hides it. The shop is a small site on 127.0.0.1 added to the site's allowed origins.
 * Needs `npm run build`.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventCounter, keys, launchChromium, startServer, until } from '../../../examples/browser-harness'
import { campaignAudienceKey } from '../../../schema/audiences'
import { audienceMemberships, events, promoCodeReveals } from '../../../schema/db'

let promo: Awaited<ReturnType<typeof startServer>>
let browser: Awaited<ReturnType<typeof launchChromium>>
let host: Server
let shop = ''
let count: ReturnType<typeof eventCounter>
/** The first test's reminder, paused by the second. */
let firstCampaign = ''

const pageHtml = (
  title: string,
  script: string,
) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>${title}</title>
<script>window.Promo=window.Promo||function(){(Promo.q=Promo.q||[]).push(arguments)};${script}</script>
<script async src="${promo.origin}/sdk/promo.js" data-site="${keys.publishable}"></script></head>
<body style="margin:0;font:16px sans-serif"><h1>${title}</h1>
<div data-promo-slot="reminder" style="max-width:640px"></div></body></html>`

const mug =
  "Promo('track','AddToCart',{contents:[{id:'SKU-MUG',quantity:1,item_price:12}],value:12,currency:'EUR'})"
const bought =
  "Promo('track','Purchase',{contents:[{id:'SKU-MUG',quantity:1,item_price:12}],value:12,currency:'EUR'})"
const shopPages: Record<string, string> = {
  '/mug': mug,
  '/home': '',
  '/p/mug': '',
  '/thanks': bought,
}
const svg =
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'

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
  count = eventCounter(promo.database.db)
  host = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path === '/img/mug.svg') res.writeHead(200, { 'Content-Type': 'image/svg+xml' }).end(svg)
    else if (path in shopPages)
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(pageHtml(path, shopPages[path]!))
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve))
  shop = `http://127.0.0.1:${(host.address() as AddressInfo).port}`
  const [site] = (await admin('GET', '/sites')).data
  await admin('PATCH', `/sites/${site.id}`, { allowedOrigins: [...site.allowedOrigins, shop] })
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.cleanup()
  host?.closeAllConnections()
  await new Promise((resolve) => host?.close(resolve))
  await promo?.close()
})

describe('a cart reminder on a real site, in Chromium', () => {
  it('shows the visitor the product they left, leads to it through its click URL, and stops once they buy', async () => {
    const [site] = (await admin('GET', '/sites')).data
    await admin('PUT', '/products', {
      products: [
        {
          id: 'SKU-MUG',
          title: 'Blue "mug" & co',
          url: `${shop}/p/mug`,
          imageUrl: `${shop}/img/mug.svg`,
          price: 12,
          currency: 'EUR',
        },
        { id: 'SKU-LAMP', title: 'Lamp', url: `${shop}/p/lamp`, price: 80, currency: 'EUR' },
      ],
    })
    const campaign = await admin('POST', '/campaigns', {
      name: 'Your cart is waiting',
      type: 'remarketing',
      placements: ['reminder'],
      frequency: { countOn: 'viewable' },
      // Nobody held back, so this visitor is sure to be shown it (a new remarketing campaign holds back 10%).
      experiment: { holdoutPercent: 0 },
      config: {
        audience: { kind: 'cart_abandoners', lookbackDays: 7 },
        format: 'inline',
        dynamicContent: true,
        incentive: { type: 'percentage', value: 10, promoCode: 'COMEBACK10' },
      },
      variants: [
        {
          name: 'A',
          creative: { headline: 'Your cart is waiting', ctaText: 'Back to my cart', ctaUrl: `${shop}/home` },
        },
      ],
    })
    await admin('POST', `/campaigns/${campaign.id}/activate`)
    firstCampaign = campaign.id

    // A visitor who never carted anything is not in the audience: the page's slot stays empty.
    const stranger = await browser.newPage()
    const strangerServed = stranger.waitForResponse((res) => res.url().endsWith('/api/v1/serve'))
    await stranger.goto(`${shop}/home`)
    const strangerAnswer = (await (await strangerServed).json()) as { decisions: { campaignId: string }[] }
    expect(strangerAnswer.decisions.map((decision) => decision.campaignId)).not.toContain(campaign.id)
    await stranger.close()

    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(String(error)))
    await page.goto(`${shop}/mug`)
    // The AddToCart's batch makes them a member (the audience engine's ingest projection), nothing else.
    const carted = await until(
      () =>
        promo.database.db
          .select({ visitor: events.anonymousId })
          .from(events)
          .where(and(eq(events.siteId, site.id), eq(events.name, 'AddToCart'))),
      (rows) => rows.length === 1,
      'the AddToCart event',
    )
    await until(
      () =>
        promo.database.db
          .select({ exitedAt: audienceMemberships.exitedAt })
          .from(audienceMemberships)
          .where(
            and(
              eq(audienceMemberships.siteId, site.id),
              eq(audienceMemberships.anonymousId, carted[0]!.visitor),
            ),
          ),
      (rows) => rows.length === 1 && rows[0]!.exitedAt === null,
      'the visitor entering the audience',
    )

    await page.goto(`${shop}/home`)
    const unit = page.locator('[data-promo-slot="reminder"] promo-unit')
    const card = unit.locator('.card a')
    await card.waitFor()
    expect(await unit.locator('.card').count()).toBe(1)
    expect(await card.locator('.name').textContent()).toBe('Blue "mug" & co')
    expect(await card.locator('img').getAttribute('src')).toBe(`${shop}/img/mug.svg`)
    expect(await card.getAttribute('href')).toMatch(new RegExp(`^${promo.origin}/r/`))
    expect(await unit.locator('.deal').textContent()).toBe('10% off')
    await unit.locator('.code button').click()
    expect(await unit.locator('.code .value').textContent()).toBe('COMEBACK10')

    await card.click()
    await page.waitForURL((url) => url.href.startsWith(`${shop}/p/mug`))
    await until(
      () => count(campaign.id, 'click'),
      (n) => n === 1,
      'the product click',
    )

    // Shown again on the next page while they have not bought (no cap stands in the way)…
    await page.goto(`${shop}/home`)
    await card.waitFor()
    // …and no more once their purchase is stored.
    await page.goto(`${shop}/thanks`)
    await until(
      () =>
        promo.database.db
          .select({ id: events.id })
          .from(events)
          .where(and(eq(events.siteId, site.id), eq(events.name, 'Purchase'))),
      (rows) => rows.length === 1,
      'the Purchase event',
    )
    // The purchase's own batch ended the stay: no nightly run is waited for.
    const stays = await promo.database.db
      .select({ exitedAt: audienceMemberships.exitedAt })
      .from(audienceMemberships)
      .where(eq(audienceMemberships.siteId, site.id))
    expect(stays).toHaveLength(1)
    expect(stays[0]!.exitedAt).not.toBeNull()
    const served = page.waitForResponse((res) => res.url().endsWith('/api/v1/serve'))
    await page.goto(`${shop}/home`)
    const answer = (await (await served).json()) as { decisions: { campaignId: string }[] }
    expect(answer.decisions.map((decision) => decision.campaignId)).not.toContain(campaign.id)
    expect(await unit.count()).toBe(0)
    expect(errors).toEqual([])
  })

  it('gives a member who carts again a code of their own from the pool, the same one on a later page', async () => {
    const [site] = (await admin('GET', '/sites')).data
    await admin('POST', `/campaigns/${firstCampaign}/pause`)
    const campaign = await admin('POST', '/campaigns', {
      name: 'A code of your own',
      type: 'remarketing',
      placements: ['reminder'],
      frequency: { countOn: 'viewable' },
      experiment: { holdoutPercent: 0 },
      config: {
        audience: { kind: 'cart_abandoners', lookbackDays: 7 },
        format: 'inline',
        incentive: { type: 'fixed_amount', value: 5, currency: 'EUR', uniqueCodes: true },
      },
      variants: [{ name: 'A', creative: { headline: 'Here is 5 € off', ctaUrl: `${shop}/home` } }],
    })
    await admin('POST', `/campaigns/${campaign.id}/activate`)
    const pool = await admin('POST', `/campaigns/${campaign.id}/promo-codes`, { pool: 3, prefix: 'MINE-' })
    const codes = pool.data.map((code: { code: string }) => code.code)

    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(String(error)))
    // The same visitor as before (one browser profile): bought once, now carts again.
    await page.goto(`${shop}/mug`)
    await until(
      () =>
        promo.database.db
          .select({ exitedAt: audienceMemberships.exitedAt })
          .from(audienceMemberships)
          .where(
            and(
              eq(audienceMemberships.siteId, site.id),
              eq(audienceMemberships.audienceKey, campaignAudienceKey(campaign.id)),
            ),
          ),
      (rows) => rows.length === 1 && rows[0]!.exitedAt === null,
      'the visitor entering the new audience',
    )
    await page.goto(`${shop}/home`)
    const unit = page.locator('[data-promo-slot="reminder"] promo-unit')
    await unit.locator('.code button').waitFor()
    expect(await unit.locator('.headline').textContent()).toBe('Here is 5 € off')
    expect(await unit.locator('.deal').textContent()).toMatch(/5/)
    await unit.locator('.code button').click()
    const mine = await unit.locator('.code .value').textContent()
    expect(codes).toContain(mine)

    await page.goto(`${shop}/home`)
    await unit.locator('.code button').click()
    expect(await unit.locator('.code .value').textContent()).toBe(mine)
    const reveals = await promo.database.db
      .select({ visitor: promoCodeReveals.anonymousId })
      .from(promoCodeReveals)
      .where(eq(promoCodeReveals.campaignId, campaign.id))
    expect(reveals).toHaveLength(1)
    expect(errors).toEqual([])
  })
})
