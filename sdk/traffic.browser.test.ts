/**
 * Recommendation rails as a site gets them, in Chromium: the built SDK (IIFE loader, the runtime chunk and the
 * lazy traffic chunk) on an article page under a strict CSP, against a small fake API that also plays the click
 * redirect. A grid rail and a carousel render; each card shown counts its impression once; the carousel steps by
 * its buttons and keys; a card clicked goes through its signed URL to the page it promotes, where the landing,
 * its scroll depth, its visible time and its bounce are measured for the campaign. Needs `npm run build:sdk`
 * first.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, until } from '../examples/browser-harness'
import { readBody, type SiteFiles, sendJson, startFakeSite } from '../examples/fake-site'
import { trafficConfig } from '../promotions/traffic/config'
import type { EventItem } from '../schema/events'
import type { Decision } from '../schema/serve'

const site = 'pk_test_traffic'
const gridId = '0190a0a0-0000-7000-8000-000000000041'
const carouselId = '0190a0a0-0000-7000-8000-000000000042'
const variantId = '0190a0a0-0000-7000-8000-000000000043'
const utm = 'utm_source=promo&utm_medium=onsite&utm_campaign=winter-reads'

/** What each click token redirects to, as the signed token would name it. */
const redirects: Record<string, string> = {}
const clicks: { token: string; item: string | null }[] = []
const events: EventItem[] = []
let origin = ''

/** A rail's items as serve sends them: signed click URLs through `/r/`, with the visitor, the slot and `&i=1`. */
function items(campaign: string, slot: string, names: string[]) {
  return names.map((name) => {
    const token = `${campaign.slice(-2)}-${name}`
    redirects[token] = `/guides/${name}?${utm}`
    return {
      url: `${origin}/guides/${name}`,
      title: `<b>${name}</b> guide`,
      summary: `All about ${name}.`,
      imageUrl: `${origin}/img/${name}.svg`,
      clickUrl: `${origin}/r/${token}?a=visitor&l=${slot}&i=1`,
    }
  })
}

function decisionsFor(path: string): Decision[] {
  if (path !== '/guides/layering') return []
  const base = { variantId, type: 'traffic' as const, format: 'inline', creative: { headline: 'Reads' } }
  return [
    {
      ...base,
      slot: 'rail-grid',
      campaignId: gridId,
      config: trafficConfig.parse({ layout: 'grid', heading: 'Keep reading', maxCards: 3 }),
      items: items(gridId, 'rail-grid', ['boots', 'scarves', 'gloves']),
    },
    {
      ...base,
      slot: 'rail-carousel',
      campaignId: carouselId,
      config: trafficConfig.parse({
        layout: 'carousel',
        heading: 'More guides',
        maxCards: 8,
        openInNewTab: true,
      }),
      items: items(carouselId, 'rail-carousel', [
        'hats',
        'socks',
        'coats',
        'rain',
        'snow',
        'wool',
        'down',
        'care',
      ]),
    },
  ]
}

const article = (title: string, slots: string) => `<!doctype html><html><head><title>${title}</title>
<meta property="og:title" content="${title}"><meta property="og:description" content="A winter guide.">
<meta property="og:image" content="/img/cover.svg"><meta property="article:tag" content="Winter">
<meta property="article:tag" content="Layering"><meta property="article:section" content="Guides">
<link rel="canonical" href="/guides/${title.toLowerCase()}">
<link rel="stylesheet" href="/page.css"><script src="/stub.js"></script>
<script async src="/sdk/promo.js" data-site="${site}"></script></head>
<body><h1>${title}</h1>${slots}<p class="long">The article goes on.</p></body></html>`

const files: SiteFiles = {
  '/guides/layering': [
    'text/html',
    article(
      'Layering',
      '<div data-promo-slot="rail-grid" class="slot"></div><div data-promo-slot="rail-carousel" class="slot"></div>',
    ),
  ],
  '/page.css': [
    'text/css',
    'body{margin:0 auto;max-width:900px;font:16px sans-serif}.slot{margin:16px 0}.long{height:2400px}',
  ],
  '/stub.js': [
    'text/javascript',
    `window.violations = []
document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective + ' ' + e.blockedURI))
window.Promo=window.Promo||function(){(Promo.q=Promo.q||[]).push(arguments)}`,
  ],
}
for (const name of ['boots', 'scarves', 'gloves', 'hats'])
  files[`/guides/${name}`] = ['text/html', article(name, '')]

const image =
  '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="9"><rect width="16" height="9" fill="#8ab"/></svg>'

/** The fake API beside the site's pages: serve by page path, events kept, the click redirect, images. */
async function answer(req: IncomingMessage, res: ServerResponse, url: URL) {
  const path = url.pathname
  if (req.method === 'POST' && path === '/api/v1/serve') {
    const body = JSON.parse(await readBody(req))
    sendJson(res, 200, { decisions: decisionsFor(new URL(body.context.url).pathname), ttl: 60 })
  } else if (req.method === 'POST' && path === '/api/v1/events') {
    const body = JSON.parse(await readBody(req))
    if (body.site === site) events.push(...body.batch)
    sendJson(res, 200, { accepted: body.batch.length, duplicates: 0, rejected: [] })
  } else if (path.startsWith('/r/')) {
    const token = path.slice(3)
    clicks.push({ token, item: url.searchParams.get('i') })
    res.writeHead(302, { Location: redirects[token] ?? '/' }).end()
  } else if (path.startsWith('/img/')) res.writeHead(200, { 'Content-Type': 'image/svg+xml' }).end(image)
  else return false
  return true
}

let fakeSite: Awaited<ReturnType<typeof startFakeSite>>
let browser: Awaited<ReturnType<typeof launchChromium>>

beforeAll(async () => {
  fakeSite = await startFakeSite(files, answer)
  origin = fakeSite.origin
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.cleanup()
  await fakeSite?.close()
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const grid = '[data-promo-slot="rail-grid"] promo-unit'
const carousel = '[data-promo-slot="rail-carousel"] promo-unit'
const named = (name: string, campaignId?: string) =>
  events.filter((event) => event.name === name && (!campaignId || event.campaignId === campaignId))

describe('recommendation rails in Chromium under a strict CSP', () => {
  let tab: Page
  const problems: string[] = []

  it('draws a grid rail and a carousel from their items, text as text, image boxes reserved', async () => {
    tab = await browser.newPage()
    await tab.setViewportSize({ width: 1000, height: 900 })
    tab.on('pageerror', (error) => problems.push(error.message))
    tab.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text())
    })
    await tab.goto(`${origin}/guides/layering`)
    await tab.locator(`${grid} a.link`).first().waitFor()
    await tab.locator(`${carousel} a.link`).first().waitFor()

    const drawn = await tab.evaluate(
      ([gridHost, carouselHost]) => {
        const rail = (selector: string) => {
          const root = document.querySelector(selector)!.shadowRoot!
          const list = root.querySelector('ul')!
          const image = root.querySelector('img')!
          return {
            heading: root.querySelector('h2')!.textContent,
            titles: [...root.querySelectorAll('.title')].map((title) => title.textContent),
            bold: root.querySelectorAll('b').length,
            hrefs: [...root.querySelectorAll('a')].map((link) => link.getAttribute('href')),
            targets: [...root.querySelectorAll('a')].map((link) => `${link.target}|${link.rel}`),
            display: getComputedStyle(list).display,
            snap: getComputedStyle(list).scrollSnapType,
            overflows: list.scrollWidth > list.clientWidth,
            image: {
              loading: image.loading,
              ratio: getComputedStyle(image).aspectRatio,
              width: image.getBoundingClientRect().width,
              height: image.getBoundingClientRect().height,
            },
          }
        }
        return { grid: rail(gridHost), carousel: rail(carouselHost) }
      },
      [grid, carousel] as const,
    )
    expect(drawn.grid.heading).toBe('Keep reading')
    expect(drawn.grid.titles).toEqual(['<b>boots</b> guide', '<b>scarves</b> guide', '<b>gloves</b> guide'])
    expect(drawn.grid.bold).toBe(0)
    expect(drawn.grid.display).toBe('grid')
    expect(drawn.grid.hrefs[0]).toBe(`${origin}/r/41-boots?a=visitor&l=rail-grid&i=1`)
    expect(drawn.grid.targets[0]).toBe('|')
    expect(drawn.grid.image.loading).toBe('lazy')
    expect(drawn.grid.image.ratio).toBe('16 / 9')
    expect(Math.round((drawn.grid.image.width / drawn.grid.image.height) * 9)).toBe(16)

    expect(drawn.carousel.heading).toBe('More guides')
    expect(drawn.carousel.titles).toHaveLength(8)
    expect(drawn.carousel.snap).toBe('x mandatory')
    expect(drawn.carousel.overflows).toBe(true)
    expect(new Set(drawn.carousel.targets)).toEqual(new Set(['_blank|noopener']))
  })

  it('steps the carousel with its buttons, by pointer and by keyboard, and never moves by itself', async () => {
    const scrolled = () =>
      tab.evaluate(
        (selector) => document.querySelector(selector)!.shadowRoot!.querySelector('ul')!.scrollLeft,
        carousel,
      )
    const state = (label: string) =>
      tab.getAttribute(`${carousel} button[aria-label="${label}"]`, 'aria-disabled')
    await tab.locator(carousel).scrollIntoViewIfNeeded()
    expect(await scrolled()).toBe(0)
    expect(await state('Previous')).toBe('true')
    await sleep(1500)
    expect(await scrolled()).toBe(0)

    await tab.click(`${carousel} button[aria-label="Next"]`)
    const first = await until(scrolled, (left) => left > 0, 'the carousel to scroll')
    await until(
      () => state('Previous'),
      (value) => value === 'false',
      'previous to become available',
    )
    await tab.focus(`${carousel} button[aria-label="Next"]`)
    await tab.keyboard.press('Enter')
    await until(scrolled, (left) => left > first + 10, 'the carousel to scroll again')
    await tab.keyboard.press('Tab')
    const focused = await tab.evaluate((selector) => {
      const active = document.querySelector(selector)!.shadowRoot!.activeElement
      return active?.tagName
    }, carousel)
    expect(focused).toBe('A')
  })

  it('counts each card shown once, with its page, and the page event carries the page tags', async () => {
    await tab.evaluate(() => scrollTo(0, 0))
    // Two seconds in view, then the batch after three.
    const shown = await until(
      () => named('traffic_promotion_impression', gridId),
      (found) => found.length >= 3,
      'the grid cards to count',
    )
    await sleep(1500)
    expect(named('traffic_promotion_impression', gridId)).toHaveLength(3)
    expect(shown.map((event) => event.props?.item_url).sort()).toEqual(
      ['boots', 'gloves', 'scarves'].map((name) => `${origin}/guides/${name}`),
    )
    for (const event of shown) expect(event).toMatchObject({ variantId, slot: 'rail-grid' })
    // Carousel cards scrolled into view counted too, each once.
    const carouselShown = named('traffic_promotion_impression', carouselId).map(
      (event) => event.props?.item_url,
    )
    expect(carouselShown.length).toBeGreaterThan(0)
    expect(new Set(carouselShown).size).toBe(carouselShown.length)

    const page = named('page').find((event) => event.url === `${origin}/guides/layering`)
    expect(page?.props).toEqual({
      og_title: 'Layering',
      og_description: 'A winter guide.',
      og_image: `${origin}/img/cover.svg`,
      article_tag: 'Winter,Layering',
      article_section: 'Guides',
      canonical: `${origin}/guides/layering`,
    })
  })

  it('takes a clicked card through its signed URL to its page, where the landing is measured and bounces', async () => {
    await tab.click(`${grid} a.link >> nth=0`)
    await tab.waitForURL(`${origin}/guides/boots?${utm}`)
    expect(clicks).toEqual([{ token: '41-boots', item: '1' }])
    await tab.evaluate(() => scrollTo(0, document.documentElement.scrollHeight))
    await sleep(1200)
    // Leaving the page (without interacting with it) hands the landing's last events to sendBeacon.
    await tab.goto('about:blank')
    const landing = await until(
      () => events.filter((event) => event.campaignId === gridId && event.url?.includes('/guides/boots')),
      (found) => found.some((event) => event.name === 'bounce'),
      'the landing events',
    )
    expect(landing.map((event) => event.name)).toEqual([
      'landing',
      'scroll_25',
      'scroll_50',
      'scroll_75',
      'scroll_100',
      'time_on_page',
      'bounce',
    ])
    for (const event of landing) expect(event.variantId).toBe(variantId)
    const seconds = landing.find((event) => event.name === 'time_on_page')!.value!
    expect(seconds).toBeGreaterThanOrEqual(1)
    expect(seconds).toBeLessThan(15)
    expect(named('page').some((event) => event.url === `${origin}/guides/boots?${utm}`)).toBe(true)
    expect(problems).toEqual([])
    await tab.close()
  })
})
