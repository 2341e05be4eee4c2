/**
 * The built SDK in Chromium, as a site gets it: the IIFE loader from another origin, a page under a strict CSP
 * (`script-src`/`style-src` without 'unsafe-inline'), hostile page CSS, the stub queue, lazy format chunks,
 * and the events coming back as text/plain batches without a CORS preflight. Needs `npm run build:sdk` first.
 */
import { execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventItem } from '../schema/events'
import type { Decision } from '../schema/serve'

const campaignId = '0190a0a0-0000-7000-8000-000000000001'
const popupId = '0190a0a0-0000-7000-8000-000000000003'
const variantId = '0190a0a0-0000-7000-8000-000000000002'

interface Received {
  method: string
  path: string
  type?: string
  body: string
}

function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler)
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  )
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => resolve(body))
  })

function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH
  return execFileSync('sh', [
    '-c',
    'command -v chromium || command -v chromium-browser || command -v google-chrome',
  ])
    .toString()
    .trim()
}

let browser: Browser
let site: Server
let cdn: Server
const received: Received[] = []

beforeAll(async () => {
  let apiOrigin = ''
  // The SDK and the API on one origin, as `npm start` serves them.
  const api = await listen(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const body = await readBody(req)
    received.push({ method: req.method ?? '', path, type: req.headers['content-type'], body })
    res.setHeader('Access-Control-Allow-Origin', '*')
    if (path === '/api/v1/serve') {
      const base = {
        variantId,
        type: 'awareness' as const,
        config: {},
        token: 't',
        clickUrl: `${apiOrigin}/r/t`,
      }
      const creative = {
        headline: '<img src=x onerror=alert(1)>',
        body: 'Up to 40% off',
        ctaText: 'Shop now',
        ctaUrl: 'https://shop.example/',
      }
      const decisions: Decision[] = [
        {
          ...base,
          slot: 'home-hero',
          campaignId,
          format: 'hero',
          creative: { ...creative, backgroundColor: '#102030' },
        },
        { ...base, campaignId: popupId, format: 'popup', creative: { ...creative, headline: 'Join us' } },
      ]
      res.setHeader('Content-Type', 'application/json')
      return res.end(JSON.stringify({ decisions, ttl: 60 }))
    }
    if (path === '/api/v1/events') {
      res.setHeader('Content-Type', 'application/json')
      return res.end(JSON.stringify({ accepted: 1, duplicates: 0, rejected: [] }))
    }
    const file = normalize(join('dist', path))
    if (path.startsWith('/sdk/') && file.startsWith('dist/sdk/')) {
      try {
        const content = await readFile(file)
        res.setHeader('Content-Type', extname(file) === '.js' ? 'text/javascript' : 'application/json')
        return res.end(content)
      } catch {}
    }
    res.statusCode = 404
    res.end()
  })
  cdn = api.server
  apiOrigin = api.origin

  const csp = [
    "default-src 'none'",
    `script-src 'self' ${apiOrigin}`,
    "style-src 'self'",
    `connect-src ${apiOrigin}`,
    "img-src 'self'",
  ].join('; ')
  const files: Record<string, [string, string]> = {
    '/': [
      'text/html',
      `<!doctype html><html><head><link rel="stylesheet" href="/page.css"><script src="/stub.js"></script>
<script async src="${apiOrigin}/sdk/promo.js" data-site="pk_test"></script></head>
<body><button id="opener">before</button><div data-promo-slot="home-hero"></div><p>content</p></body></html>`,
    ],
    '/stub.js': [
      'text/javascript',
      `window.violations = []
document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective + ' ' + e.blockedURI))
window.Promo=window.Promo||function(){(Promo.q=Promo.q||[]).push(arguments)}
Promo('track','early',{from:'stub'})
Promo('on','render',function(unit){(window.rendered=window.rendered||[]).push(unit.campaignId)})`,
    ],
    '/page.css': [
      'text/css',
      'a, strong, p, div { color: rgb(255, 0, 0) !important; font-size: 40px !important }',
    ],
  }
  site = (
    await listen((req, res) => {
      const file = files[new URL(req.url ?? '/', 'http://x').pathname]
      if (!file) {
        // Chromium asks for /favicon.ico on its own; no console noise for that.
        res.statusCode = req.url === '/favicon.ico' ? 204 : 404
        return res.end()
      }
      res.setHeader('Content-Type', file[0])
      res.setHeader('Content-Security-Policy', csp)
      res.end(file[1])
    })
  ).server
  browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] })
})

afterAll(async () => {
  await browser?.close()
  site?.close()
  cdn?.close()
})

const siteUrl = () => `http://127.0.0.1:${(site.address() as AddressInfo).port}/`
const sentEvents = () =>
  received.filter((r) => r.path === '/api/v1/events').flatMap((r) => JSON.parse(r.body).batch as EventItem[])

async function until(check: () => boolean | Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('the built SDK in Chromium under a strict CSP', () => {
  let page: Page
  const consoleErrors: string[] = []

  it('renders both units from lazily loaded chunks with zero CSP violations', async () => {
    page = await browser.newPage()
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') consoleErrors.push(message.text())
    })
    page.on('pageerror', (error) => consoleErrors.push(error.message))
    await page.goto(siteUrl())
    await until(() =>
      page.evaluate(() => ((window as unknown as { rendered?: string[] }).rendered ?? []).length === 2),
    )

    const hero = await page.evaluate(() => {
      const root = document.querySelector('[data-promo-slot] > promo-unit')!.shadowRoot!
      const cta = root.querySelector('.cta')!
      return {
        headline: root.querySelector('.headline')!.textContent,
        images: root.querySelectorAll('img').length,
        ctaFontSize: getComputedStyle(cta).fontSize,
        ctaRadius: getComputedStyle(cta).borderTopLeftRadius,
        background: getComputedStyle(root.querySelector('.unit')!).backgroundColor,
      }
    })
    expect(hero.headline).toBe('<img src=x onerror=alert(1)>')
    expect(hero.images).toBe(0)
    // The page's `!important` rules do not reach into the shadow root; the adopted sheet does.
    expect(hero.ctaFontSize).not.toBe('40px')
    expect(hero.ctaRadius).toBe('8px')
    expect(hero.background).toBe('rgb(16, 32, 48)')
    const popupHost = await page.evaluate(
      () => getComputedStyle(document.querySelector('body > promo-unit')!).display,
    )
    expect(popupHost).toBe('contents')

    const chunks = received.filter((r) => r.path.startsWith('/sdk/chunks/')).map((r) => r.path)
    expect(chunks.some((path) => /\/awareness-[\w-]+\.js$/.test(path))).toBe(true)
    expect(chunks.some((path) => /\/preact-[\w-]+\.js$/.test(path))).toBe(true)
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([])
    expect(consoleErrors).toEqual([])
  })

  it('traps Tab inside the popup and closes it with Escape', async () => {
    const inDialog = () =>
      page.evaluate(() => {
        const host = document.querySelector('body > promo-unit')
        const active = host?.shadowRoot?.activeElement
        return !!active && !!host?.shadowRoot?.querySelector('[role="dialog"]')?.contains(active)
      })
    expect(await inDialog()).toBe(true)
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab')
      expect(await inDialog()).toBe(true)
    }
    await page.keyboard.press('Shift+Tab')
    expect(await inDialog()).toBe(true)
    await page.keyboard.press('Escape')
    await until(() => page.evaluate(() => !document.querySelector('body > promo-unit')))
  })

  it('sends the stub call, impressions, viewable and close as text/plain batches without a preflight', async () => {
    await until(() => {
      const names = sentEvents().map((event) => event.name)
      return names.includes('close') && names.filter((name) => name === 'viewable').length >= 1
    })
    const events = sentEvents()
    expect(events.find((event) => event.name === 'early')?.props).toEqual({ from: 'stub' })
    expect(
      events
        .filter((event) => event.name === 'impression')
        .map((event) => event.campaignId)
        .sort(),
    ).toEqual([campaignId, popupId].sort())
    expect(events.find((event) => event.name === 'viewable' && event.campaignId === campaignId)?.slot).toBe(
      'home-hero',
    )
    expect(events.find((event) => event.name === 'close')?.campaignId).toBe(popupId)
    expect(received.some((r) => r.method === 'OPTIONS')).toBe(false)
    for (const r of received.filter((r) => r.method === 'POST'))
      expect(r.type).toBe('text/plain;charset=UTF-8')
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([])
    expect(consoleErrors).toEqual([])
    await page.close()
  })
})
