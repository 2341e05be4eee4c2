/**
 * Sales nudges as a site gets them, in Chromium: the built SDK (the IIFE loader, its runtime chunk and the lazy
 * sales chunk) on a shop's pages under a strict CSP, against a small fake API whose serve answers sales decisions
 * built here, as the server's filler will fill them (promotions/sales/decision.ts). The free-shipping bar moves
 * with the page's own `Promo.track` cart events; a returning visitor sees the cart they left; an exit-intent popup
 * reveals a code of a real campaign's pool with the keyboard alone (the fake API hands the reveal to the real app,
 * sales mounted, over PGlite or PostgreSQL) and copies it; the "checkout" redeems it through the API and the
 * campaign's redemptions list it. Needs `npm run build:sdk` first.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabase } from '../../../api/testing/database'
import { client, readJson } from '../../../api/testing/harness'
import { launchChromium, until } from '../../../examples/browser-harness'
import { readBody, type SiteFiles, sendJson, startFakeSite } from '../../../examples/fake-site'
import { pageOf } from '../../../schema/api'
import * as answers from '../answers'
import { salesConfig } from '../config'
import type { SalesDecision } from '../decision'
import { salesHarness, startSales } from '../testing/server'

const shippingId = '0190a0a0-0000-7000-8000-000000000051'
const reminderId = '0190a0a0-0000-7000-8000-000000000052'
let origin = ''
const reveals: Record<string, unknown>[] = []
/** The real app with sales mounted, its tenant's running campaign, and that campaign's pool of codes. */
let h: Awaited<ReturnType<typeof salesHarness>>
let exitId = ''
let variantId = ''
let pool: string[] = []

function decisionsFor(path: string): SalesDecision[] {
  const base = { variantId, type: 'sales' as const, creative: { headline: 'Almost there' } }
  if (path === '/product')
    return [
      {
        ...base,
        slot: 'cart-bar',
        format: 'inline',
        campaignId: shippingId,
        config: salesConfig.parse({ nudge: 'free_shipping', freeShippingThreshold: 50, currency: 'EUR' }),
        sales: {
          products: [],
          cart: {
            items: [{ id: 'sku-1', quantity: 1, price: 38 }],
            value: 38,
            currency: 'EUR',
            updatedAt: new Date().toISOString(),
            abandoned: false,
          },
        },
      },
    ]
  if (path === '/back')
    return [
      {
        ...base,
        slot: 'home',
        format: 'inline',
        campaignId: reminderId,
        creative: { headline: 'Still thinking?', ctaText: 'Back to your cart', ctaUrl: `${origin}/cart` },
        clickUrl: `${origin}/cart`,
        config: salesConfig.parse({ nudge: 'cart_reminder', currency: 'EUR' }),
        sales: {
          products: [],
          cart: {
            items: [
              {
                id: 'sku-1',
                quantity: 1,
                price: 38,
                title: 'Merino <b>sweater</b>',
                url: `${origin}/product`,
                imageUrl: `${origin}/img/1.svg`,
              },
              { id: 'sku-2', quantity: 1, price: 9.5, title: 'Wool socks', url: `${origin}/product` },
            ],
            value: 47.5,
            currency: 'EUR',
            updatedAt: new Date(Date.now() - 86_400_000).toISOString(),
            abandoned: true,
          },
        },
      },
    ]
  if (path === '/leaving')
    return [
      {
        ...base,
        format: 'popup',
        campaignId: exitId,
        creative: { headline: 'Wait: 10% off your first order' },
        config: salesConfig.parse({
          format: 'popup',
          trigger: { on: 'exit' },
          discount: { type: 'percentage', value: 10 },
          currency: 'EUR',
        }),
        sales: {
          products: [
            {
              id: 'sku-1',
              title: 'Merino sweater',
              url: `${origin}/product`,
              clickUrl: `${origin}/product`,
              price: 38,
              compareAtPrice: 45,
            },
          ],
          codes: true,
        },
      },
    ]
  return []
}

const page = (title: string, body: string) => `<!doctype html><html><head><title>${title}</title>
<link rel="stylesheet" href="/page.css"><script src="/stub.js"></script>
<script async src="/sdk/promo.js" data-site="${h.a.publishableKey}"></script></head><body><h1>${title}</h1>${body}</body></html>`

const pages = (): SiteFiles => ({
  '/product': [
    'text/html',
    page('Merino sweater', '<div data-promo-slot="cart-bar"></div><p class="long">Details.</p>'),
  ],
  '/back': ['text/html', page('Home', '<div data-promo-slot="home"></div>')],
  '/leaving': [
    'text/html',
    page('Checkout', '<button id="before">Before</button><p class="long">Your order.</p>'),
  ],
  '/page.css': ['text/css', 'body{margin:0 auto;max-width:900px;font:16px sans-serif}.long{height:1400px}'],
  '/stub.js': [
    'text/javascript',
    `window.violations = []
document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective + ' ' + e.blockedURI))
window.Promo=window.Promo||function(){(Promo.q=Promo.q||[]).push(arguments)}`,
  ],
})

const image =
  '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4" fill="#8ab"/></svg>'

async function answer(req: IncomingMessage, res: ServerResponse, url: URL) {
  const path = url.pathname
  if (req.method === 'POST' && path === '/api/v1/serve') {
    const body = JSON.parse(await readBody(req))
    sendJson(res, 200, { decisions: decisionsFor(new URL(body.context.url).pathname), ttl: 60 })
  } else if (req.method === 'POST' && path === '/api/v1/events') {
    const body = JSON.parse(await readBody(req))
    sendJson(res, 200, { accepted: body.batch.length, duplicates: 0, rejected: [] })
  } else if (req.method === 'POST' && path === '/api/v1/promo-codes/reveal') {
    // Handed to the real endpoint as the browser sent it: its body, content type, origin and user agent.
    const body = await readBody(req)
    reveals.push({ ...JSON.parse(body), contentType: req.headers['content-type'] })
    const headers: Record<string, string> = {}
    for (const name of ['content-type', 'origin', 'user-agent']) {
      const value = req.headers[name]
      if (typeof value === 'string') headers[name] = value
    }
    const real = await h.app.request(path, { method: 'POST', headers, body })
    res.writeHead(real.status, { 'Content-Type': 'application/json' }).end(await real.text())
  } else if (path.startsWith('/img/')) res.writeHead(200, { 'Content-Type': 'image/svg+xml' }).end(image)
  else return false
  return true
}

let fakeSite: Awaited<ReturnType<typeof startFakeSite>>
let browser: Awaited<ReturnType<typeof launchChromium>>

beforeAll(async () => {
  h = await salesHarness(await testDatabase())
  ;({ campaignId: exitId, variantId } = await startSales(h.app, h.a))
  const made = await client(h.app, { secretKey: h.a.secretKey }).post(
    `/api/v1/campaigns/${exitId}/promo-codes`,
    {
      pool: 5,
      prefix: 'VIP-',
    },
  )
  expect(made.status).toBe(201)
  pool = (await readJson(made, answers.createdCodes)).data.map((code) => code.code)
  fakeSite = await startFakeSite(pages(), answer)
  origin = fakeSite.origin
  // The shop's pages are the site's own origin: the public endpoint takes the reveal from it.
  const allowed = await client(h.app, { secretKey: h.a.secretKey }).patch(`/api/v1/sites/${h.a.siteId}`, {
    allowedOrigins: [origin],
  })
  expect(allowed.status, await allowed.clone().text()).toBe(200)
  browser = await launchChromium()
  await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin })
})

afterAll(async () => {
  await browser?.cleanup()
  await fakeSite?.close()
  await h?.close()
})

/** A tab that collects page errors, console errors and CSP violations. */
async function open(path: string) {
  const tab = await browser.newPage()
  const problems: string[] = []
  tab.on('pageerror', (error) => problems.push(error.message))
  tab.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text())
  })
  await tab.goto(`${origin}${path}`)
  return { tab, problems }
}
const inUnit = (tab: Page, selector: string) =>
  tab.evaluate(
    (selector) =>
      document.querySelector('promo-unit')?.shadowRoot?.querySelector(selector)?.textContent ?? null,
    selector,
  )

describe('sales nudges in Chromium under a strict CSP', () => {
  it('the free-shipping bar moves as the page adds to the cart, and fills at the threshold', async () => {
    const { tab, problems } = await open('/product')
    await tab.locator('promo-unit .ship').waitFor()
    expect(await inUnit(tab, '.ship')).toBe('€12.00 away from free shipping')
    const width = () =>
      tab.evaluate(() => {
        const root = document.querySelector('promo-unit')!.shadowRoot!
        return (
          root.querySelector('.fill')!.getBoundingClientRect().width /
          root.querySelector('.track')!.getBoundingClientRect().width
        )
      })
    expect(await width()).toBeCloseTo(0.76, 2)
    await tab.evaluate(() =>
      (window as unknown as { Promo: { track(n: string, p: unknown): void } }).Promo.track('AddToCart', {
        contents: [{ id: 'sku-2', quantity: 1, item_price: 7 }],
        value: 7,
        currency: 'EUR',
      }),
    )
    await until(
      () => inUnit(tab, '.ship'),
      (text) => text === '€5.00 away from free shipping',
      'the bar at €5',
    )
    await until(width, (ratio) => Math.abs(ratio - 0.9) < 0.01, 'the bar at 90%')
    await tab.evaluate(() =>
      (window as unknown as { Promo: { track(n: string, p: unknown): void } }).Promo.track('AddToCart', {
        contents: [{ id: 'sku-3', quantity: 2, item_price: 4 }],
        currency: 'EUR',
      }),
    )
    await until(
      () => inUnit(tab, '.ship'),
      (text) => text === "You've got free shipping",
      'free shipping',
    )
    await until(width, (ratio) => ratio > 0.99, 'a full bar')
    expect(await tab.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([])
    expect(problems).toEqual([])
    await tab.close()
  })

  it('a returning visitor sees the cart they left, naming its items as text, with a link back', async () => {
    const { tab, problems } = await open('/back')
    await tab.locator('promo-unit .left').waitFor()
    const shown = await tab.evaluate(() => {
      const root = document.querySelector('promo-unit')!.shadowRoot!
      return {
        left: root.querySelector('.left')!.textContent,
        names: [...root.querySelectorAll('.lines .name')].map((name) => name.textContent),
        bold: root.querySelectorAll('b').length,
        links: [...root.querySelectorAll('.lines a')].map((link) => link.getAttribute('href')),
        cta: root.querySelector('a.cta')!.textContent,
      }
    })
    expect(shown).toEqual({
      left: 'You left 2 items in your cart',
      names: ['Merino <b>sweater</b>', 'Wool socks'],
      bold: 0,
      links: [`${origin}/product`, `${origin}/product`],
      cta: 'Back to your cart',
    })
    expect(problems).toEqual([])
    await tab.close()
  })

  it('an exit-intent popup reveals the visitor’s code with the keyboard alone and copies it; the checkout redeems it', async () => {
    const { tab, problems } = await open('/leaving')
    await tab.mouse.move(450, 300)
    await tab.waitForTimeout(500)
    expect(await tab.locator('promo-unit').count()).toBe(0)
    await tab.mouse.move(450, 100, { steps: 5 })
    await tab.mouse.move(450, -20, { steps: 5 })
    await tab.locator('promo-unit [role="dialog"]').waitFor({ timeout: 5000 })
    // Focus is trapped in the dialog: Tab reaches the Reveal button.
    let name = ''
    for (let step = 0; step < 6 && name !== 'Reveal code'; step++) {
      await tab.keyboard.press('Tab')
      name = await tab.evaluate(
        () => document.querySelector('promo-unit')?.shadowRoot?.activeElement?.textContent ?? '',
      )
    }
    expect(name).toBe('Reveal code')
    await tab.keyboard.press('Enter')
    const code = await until(
      () => inUnit(tab, '.value'),
      (text) => !!text && pool.includes(text),
      'a code of the pool',
    )
    expect(reveals).toEqual([
      {
        site: h.a.publishableKey,
        campaignId: exitId,
        variantId,
        anonymousId: expect.any(String),
        contentType: 'text/plain;charset=UTF-8',
      },
    ])
    // The copy button took the focus; Enter copies.
    expect(
      await tab.evaluate(() => document.querySelector('promo-unit')?.shadowRoot?.activeElement?.textContent),
    ).toBe('Copy')
    await tab.keyboard.press('Enter')
    await until(
      () => inUnit(tab, '[role=status]'),
      (text) => text === 'Copied',
      'Copied announced',
    )
    expect(await tab.evaluate(() => navigator.clipboard.readText())).toBe(code)
    await tab.keyboard.press('Escape')
    await until(
      () => tab.locator('promo-unit [role="dialog"]').count(),
      (count) => count === 0,
      'the popup closed',
    )
    expect(problems).toEqual([])
    await tab.close()

    // The shop's checkout redeems the pasted code with the order; the campaign's redemptions list it.
    const shop = client(h.app, { secretKey: h.a.secretKey })
    const redeemed = await shop.post('/api/v1/promo-codes/redeem', {
      code: code!.toLowerCase(),
      orderId: 'order-5001',
      orderValue: 80,
      currency: 'EUR',
    })
    expect(redeemed.status).toBe(200)
    expect(await readJson(redeemed, answers.redemption)).toMatchObject({ campaignId: exitId, discount: 8 })
    const listed = await readJson(
      await shop.get(`/api/v1/campaigns/${exitId}/promo-codes/redemptions`),
      pageOf(answers.redemption),
    )
    expect(
      listed.data.map((row) => [row.orderId, row.code, row.orderValue, row.discount, row.status]),
    ).toEqual([['order-5001', code, 80, 8, 'redeemed']])
  })
})
