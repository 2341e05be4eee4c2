/**
 * Sales as a shop gets it, in Chromium against the real server (PostgreSQL when DATABASE_URL is set), nothing
 * built by the test but the shop: a small site on 127.0.0.1 (added to the site's allowed origins) pastes the
 * script tag on two product pages (with their schema.org JSON-LD), a home page and a cart page. The catalog and
 * the campaigns are made through the admin HTTP API with the secret key. A visitor adds both products from their
 * pages with `Promo.track('AddToCart', …)` while the free-shipping bar moves after each, leaves, comes back past
 * the SDK's session timeout (the browser's clock moved on) and is reminded of the cart by the products' titles.
 * A second visitor reveals a campaign's code; the test, as the shop's checkout, redeems it; the campaign's
 * redemptions list it, and its analytics count the discount as cost and ROAS as the attributed revenue over it.
 * No page error, no layout shift. Needs `npm run build`.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sql } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rowsOf } from '../../../api/ports/database'
import { keys, launchChromium, startServer, until } from '../../../examples/browser-harness'

let promo: Awaited<ReturnType<typeof startServer>>
let host: Server
let shop = ''

const catalog = [
  { id: 'SKU-MERINO', title: 'Merino sweater', path: '/products/merino', price: 38 },
  { id: 'SKU-SOCKS', title: 'Wool socks', path: '/products/socks', price: 9.5 },
]

/**
 * A shop page: its slot keeps room for the unit (as a site reserves it), and every layout shift is recorded.
 * `extra` goes in the head (a product's JSON-LD).
 */
const shopPage = (title: string, slot: string, extra = '') => `<!doctype html><html lang="en"><head>
<meta charset="utf-8"><title>${title}</title>${extra}
<script>window.shifts = []
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) shifts.push(entry.value)
}).observe({ type: 'layout-shift', buffered: true })</script>
<script async src="${promo.origin}/sdk/promo.js" data-site="${keys.publishable}"></script></head>
<body style="margin:0;font:16px sans-serif"><h1>${title}</h1>
<div data-promo-slot="${slot}" style="min-height:420px;max-width:640px"></div><p style="height:1500px">Delivery and returns.</p></body></html>`

const productJsonLd = (product: (typeof catalog)[number]) =>
  `<script type="application/ld+json">${JSON.stringify({
    '@context': 'https://schema.org',
    '@type': 'Product',
    sku: product.id,
    // As shops title their pages: the catalog's own title (the admin's) wins over it.
    name: `${product.title} | Woolly things`,
    url: `${shop}${product.path}`,
    offers: {
      '@type': 'Offer',
      price: product.price,
      priceCurrency: 'EUR',
      availability: 'https://schema.org/InStock',
    },
  })}</script>`

/** The admin HTTP API with the secret key; any answer but a 2xx fails the test. */
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

/** A running sales campaign in one slot. */
async function campaign(name: string, slot: string, config: Record<string, unknown>, creative = {}) {
  const made = await admin('POST', '/campaigns', {
    name,
    type: 'sales',
    placements: [slot],
    config: { currency: 'EUR', ...config },
    variants: [{ name: 'A', creative: { headline: name, ...creative } }],
  })
  await admin('POST', `/campaigns/${made.id}/activate`)
  return made as { id: string; variants: { id: string }[] }
}

/** Stored events of one name, whoever sent them. */
async function stored(name: string) {
  const rows = rowsOf<{ n: number | string }>(
    await promo.database.db.execute(sql`select count(*) as n from events where name = ${name}`),
  )
  return Number(rows[0]?.n ?? 0)
}

beforeAll(async () => {
  promo = await startServer()
  host = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const product = catalog.find((p) => p.path === path)
    const html = product
      ? shopPage(product.title, 'cart-bar', productJsonLd(product))
      : path === '/'
        ? shopPage('Woolly things', 'home')
        : path === '/cart'
          ? shopPage('Your cart', 'offer')
          : undefined
    if (html) res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html)
    else if (path === '/favicon.ico') res.writeHead(204).end()
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve))
  shop = `http://127.0.0.1:${(host.address() as AddressInfo).port}`
  const [site] = (await admin('GET', '/sites')).data
  await admin('PATCH', `/sites/${site.id}`, { allowedOrigins: [...site.allowedOrigins, shop] })
  // The demo's seeded campaigns would be served on the shop's pages too: the shop runs only its own.
  for (const seeded of (await admin('GET', '/campaigns?status=active&limit=100')).data)
    await admin('POST', `/campaigns/${seeded.id}/pause`)
  await admin('PUT', '/products', {
    products: catalog.map((p) => ({
      id: p.id,
      title: p.title,
      url: `${shop}${p.path}`,
      price: p.price,
      currency: 'EUR',
      availability: 'in_stock',
    })),
  })
})

afterAll(async () => {
  host?.closeAllConnections()
  await new Promise((resolve) => host?.close(resolve))
  await promo?.close()
})

const unit = (page: Page, slot: string) => page.locator(`[data-promo-slot="${slot}"] promo-unit`)

/** A tab that collects page errors and console errors. */
async function open(browser: Awaited<ReturnType<typeof launchChromium>>, path: string) {
  const page = await browser.newPage()
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${message.text()} ${message.location().url}`)
  })
  await page.goto(`${shop}${path}`)
  return { page, problems }
}

const addToCart = (page: Page, product: (typeof catalog)[number]) =>
  page.evaluate(
    ({ id, price }) =>
      (window as unknown as { Promo: { track(name: string, props: unknown): void } }).Promo.track(
        'AddToCart',
        {
          contents: [{ id, quantity: 1, item_price: price }],
          value: price,
          currency: 'EUR',
        },
      ),
    { id: product.id, price: product.price },
  )

const shifts = (page: Page) => page.evaluate(() => (window as unknown as { shifts: number[] }).shifts)

/** The bar's fill as a share of its track. */
const fill = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector('[data-promo-slot="cart-bar"] promo-unit')!.shadowRoot!
    return (
      root.querySelector('.fill')!.getBoundingClientRect().width /
      root.querySelector('.track')!.getBoundingClientRect().width
    )
  })

describe('sales on a real shop, in Chromium against the real server', () => {
  it('the free-shipping bar moves as the visitor adds two products; back in a new session, the cart reminder names them', async () => {
    await campaign('Free shipping from €50', 'cart-bar', {
      nudge: 'free_shipping',
      freeShippingThreshold: 50,
    })
    await campaign(
      'Still thinking?',
      'home',
      { nudge: 'cart_reminder' },
      { ctaText: 'Back to your cart', ctaUrl: `${shop}/cart` },
    )
    const browser = await launchChromium()
    try {
      const [merino, socks] = catalog as [(typeof catalog)[number], (typeof catalog)[number]]
      const bar = (page: Page) => unit(page, 'cart-bar').locator('.ship')

      // First product page, empty cart: the whole threshold to go; the bar moves after the AddToCart.
      const first = await open(browser, merino.path)
      await bar(first.page).waitFor()
      expect(await bar(first.page).textContent()).toBe('€50.00 away from free shipping')
      expect(await fill(first.page)).toBeCloseTo(0, 2)
      await addToCart(first.page, merino)
      await until(
        () => bar(first.page).textContent(),
        (text) => text === '€12.00 away from free shipping',
        'the bar at €12 after the sweater',
      )
      await until(
        () => fill(first.page),
        (ratio) => Math.abs(ratio - 38 / 50) < 0.01,
        'the bar at 76%',
      )
      await until(
        () => stored('AddToCart'),
        (n) => n === 1,
        'the AddToCart stored',
      )
      expect(await shifts(first.page)).toEqual([])
      expect(first.problems).toEqual([])
      await first.page.close()

      // Second product page: the server's cart (the sweater) fills the bar; the socks move it again.
      const second = await open(browser, socks.path)
      await bar(second.page).waitFor()
      expect(await bar(second.page).textContent()).toBe('€12.00 away from free shipping')
      await addToCart(second.page, socks)
      await until(
        () => bar(second.page).textContent(),
        (text) => text === '€2.50 away from free shipping',
        'the bar at €2.50 after the socks',
      )
      await until(
        () => fill(second.page),
        (ratio) => Math.abs(ratio - 47.5 / 50) < 0.01,
        'the bar at 95%',
      )
      await until(
        () => stored('AddToCart'),
        (n) => n === 2,
        'both AddToCarts stored',
      )
      // Each product page's JSON-LD was reported; the catalog kept the admin's titles (which the reminder shows).
      await until(
        () => stored('product'),
        (n) => n === 2,
        'both product pages reported',
      )
      await second.page.waitForTimeout(300)
      expect(await shifts(second.page)).toEqual([])
      expect(second.problems).toEqual([])

      // Still the same visit: the home page has no reminder for a cart that is not left behind.
      const sameVisit = await browser.newPage()
      const served = sameVisit.waitForResponse((res) => res.url().endsWith('/api/v1/serve'))
      await sameVisit.goto(`${shop}/`)
      const before = await served
      expect((await before.json()).decisions).toEqual([])
      const visit = before.request().postDataJSON() as { anonymousId: string; sessionId: string }
      await sameVisit.waitForTimeout(300)
      expect(await unit(sameVisit, 'home').count()).toBe(0)
      await second.page.close()
      await sameVisit.close()

      // The visitor comes back 31 minutes later: the SDK rolls the session, and the cart was left behind.
      await browser.clock.install({ time: Date.now() + 31 * 60_000 })
      const returning = browser.waitForEvent('request', (req) => req.url().endsWith('/api/v1/serve'))
      const back = await open(browser, '/')
      const again = (await returning).postDataJSON() as { anonymousId: string; sessionId: string }
      expect(again.anonymousId).toBe(visit.anonymousId)
      expect(again.sessionId).not.toBe(visit.sessionId)
      const reminder = unit(back.page, 'home')
      await reminder.locator('.left').waitFor()
      expect(await reminder.locator('.left').textContent()).toBe('You left 2 items in your cart')
      expect(await reminder.locator('.lines .name').allTextContents()).toEqual(
        expect.arrayContaining([merino.title, socks.title]),
      )
      expect(await reminder.locator('.lines .name').count()).toBe(2)
      expect(
        (
          await reminder.locator('.lines a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))
        ).sort(),
      ).toEqual([`${shop}${merino.path}`, `${shop}${socks.path}`].sort())
      expect(await reminder.locator('a.cta').textContent()).toBe('Back to your cart')
      await back.page.waitForTimeout(300)
      expect(await shifts(back.page)).toEqual([])
      expect(back.problems).toEqual([])
      await back.page.close()
    } finally {
      await browser.cleanup()
    }
  })

  it('a revealed code redeemed by the checkout shows in the redemptions, and ROAS counts its discount as cost', async () => {
    const offer = await campaign(
      'Your 10% code',
      'offer',
      {
        nudge: 'product_promo',
        productIds: catalog.map((p) => p.id),
        discount: { type: 'percentage', value: 10 },
      },
      { body: 'Reveal it at checkout.' },
    )
    const made = await admin('POST', `/campaigns/${offer.id}/promo-codes`, { pool: 3, prefix: 'WOOL-' })
    const pool: string[] = made.data.map((code: { code: string }) => code.code)
    expect(pool).toHaveLength(3)

    const browser = await launchChromium()
    try {
      const { page, problems } = await open(browser, '/cart')
      const reveal = unit(page, 'offer').locator('button', { hasText: 'Reveal code' })
      await reveal.waitFor()
      // Seen (viewable: in view for a second) before it is pressed, so the purchase can be credited to it.
      await until(
        () => admin('GET', `/campaigns/${offer.id}/analytics`),
        (body) => body.totals.viewableImpressions >= 1,
        'the unit viewable',
      )
      await reveal.click()
      const code = await until(
        () =>
          unit(page, 'offer')
            .locator('.value')
            .textContent({ timeout: 1000 })
            .catch(() => null),
        (text) => !!text && pool.includes(text),
        'a code of the pool shown',
      )

      // The checkout: the order with the code, then the page's Purchase for the attributed revenue.
      const orderValue = 47.5
      const redeemed = await admin('POST', '/promo-codes/redeem', {
        code: code!.toLowerCase(),
        orderId: 'order-9001',
        orderValue,
        currency: 'EUR',
      })
      const discount = Math.round(orderValue * 0.1 * 100) / 100
      expect(redeemed).toMatchObject({ campaignId: offer.id, variantId: offer.variants[0]!.id, discount })
      await page.evaluate(
        ({ value, ids }) =>
          (window as unknown as { Promo: { track(name: string, props: unknown): void } }).Promo.track(
            'Purchase',
            {
              contents: ids.map((id) => ({ id, quantity: 1 })),
              value,
              currency: 'EUR',
            },
          ),
        { value: orderValue - discount, ids: catalog.map((p) => p.id) },
      )
      const paid = orderValue - discount

      const listed = await admin('GET', `/campaigns/${offer.id}/promo-codes/redemptions`)
      expect(
        listed.data.map((row: Record<string, unknown>) => [
          row.orderId,
          row.code,
          row.orderValue,
          row.discount,
          row.status,
        ]),
      ).toEqual([['order-9001', code, orderValue, discount, 'redeemed']])

      const analytics = await until(
        () => admin('GET', `/campaigns/${offer.id}/analytics`),
        (body) => body.totals.purchases === 1,
        'the purchase credited to the campaign',
      )
      expect(analytics.totals).toMatchObject({
        revenue: paid,
        codesRevealed: 1,
        codesRedeemed: 1,
        discountGiven: discount,
        campaignCost: discount,
        roas: Math.round((paid / discount) * 10_000) / 10_000,
      })
      // The variant's cost is the discount its code gave, so its ROAS is the same figure.
      expect(analytics.byVariant).toEqual([
        expect.objectContaining({
          variantId: offer.variants[0]!.id,
          revenue: paid,
          discountGiven: discount,
          campaignCost: discount,
          roas: Math.round((paid / discount) * 10_000) / 10_000,
        }),
      ])
      expect(await shifts(page)).toEqual([])
      expect(problems).toEqual([])
      await page.close()
    } finally {
      await browser.cleanup()
    }
  })
})
