/**
 * Issue 7's must-show in Chromium against the real server (PostgreSQL when DATABASE_URL is set): a visitor who
 * read two articles tagged "pricing" gets a card rail led by pricing content; clicking a card is a counted click,
 * the landing page view carries the UTM parameters, and the campaign's CTR and scroll depth update. Everything is
 * set up through the admin HTTP API with the secret key; the articles are a small blog on 127.0.0.1 (the site's
 * own origin, added to the site's allowed origins) that pastes the script tag, as a site owner would. A second
 * origin plays the site's docs subdomain, whose storage the blog cannot share.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { and, eq } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { events, visitorRecentViews } from '../schema/db'
import { eventCounter, keys, launchChromium, startServer, until } from './browser-harness'

let promo: Awaited<ReturnType<typeof startServer>>
let browser: Awaited<ReturnType<typeof launchChromium>>
const hosts: Server[] = []
/** The blog (its articles, its rail pages) and its docs, on two origins of one site. */
let blog = ''
let docs = ''
let count: ReturnType<typeof eventCounter>

interface Article {
  slug: string
  title: string
  tags: string[]
  category: string
  /** Days before now it was published: the non-pricing pieces are fresher, so recency alone would lead with them. */
  age: number
}
const articles: Article[] = [
  {
    slug: 'pricing-explained',
    title: 'Our pricing, explained',
    tags: ['pricing', 'plans'],
    category: 'pricing',
    age: 6,
  },
  {
    slug: 'pricing-for-teams',
    title: 'Pricing for teams',
    tags: ['pricing', 'teams'],
    category: 'pricing',
    age: 6,
  },
  { slug: 'pricing-faq', title: 'Pricing FAQ', tags: ['pricing', 'billing'], category: 'pricing', age: 5 },
  {
    slug: 'annual-billing',
    title: 'Annual or monthly billing?',
    tags: ['pricing', 'discounts'],
    category: 'pricing',
    age: 5,
  },
  {
    slug: 'winter-release',
    title: 'The winter release',
    tags: ['product', 'release'],
    category: 'news',
    age: 0,
  },
  { slug: 'office-move', title: 'We moved offices', tags: ['company'], category: 'news', age: 0 },
  { slug: 'trail-guide', title: 'A trail running guide', tags: ['running'], category: 'outdoors', age: 1 },
]
const pricing = new Set(articles.filter((a) => a.tags.includes('pricing')).map((a) => a.title))

const image =
  '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180"><rect width="320" height="180" fill="#7a9"/></svg>'

/** A page of the blog: the article's Open Graph and article tags, the script tag, and its slot if any. */
function pageHtml(title: string, head: string, body: string) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>${head}
<script async src="${promo.origin}/sdk/promo.js" data-site="${keys.publishable}"></script></head>
<body style="margin:0;font:16px sans-serif"><h1>${title}</h1>${body}</body></html>`
}

function articleHtml(article: Article) {
  const tags = article.tags.map((tag) => `<meta property="article:tag" content="${tag}">`).join('')
  const head = `<meta property="og:title" content="${article.title}">${tags}
<meta property="article:section" content="${article.category}"><link rel="canonical" href="/journal/${article.slug}">`
  // Long enough that the window shows a quarter of it: scroll depth grows only as the reader scrolls.
  return pageHtml(article.title, head, '<p style="height:3000px">The article goes on.</p><p>The end.</p>')
}

function handle(req: IncomingMessage, res: ServerResponse) {
  const path = new URL(req.url ?? '/', 'http://x').pathname
  const html = (body: string) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(body)
  if (path.startsWith('/img/')) return res.writeHead(200, { 'Content-Type': 'image/svg+xml' }).end(image)
  const article = articles.find((a) => path === `/journal/${a.slug}`)
  if (article) return html(articleHtml(article))
  if (path === '/journal/')
    return html(pageHtml('Journal', '', '<div data-promo-slot="journal-rail"></div><p>All our stories.</p>'))
  if (path === '/journal/picks')
    return html(pageHtml('Picks', '', '<div data-promo-slot="journal-picks"></div>'))
  if (path === '/docs/calculator')
    return html(pageHtml('Pricing calculator', '', '<p style="height:3000px">Work out your plan.</p>'))
  res.writeHead(404).end()
}

async function listen(): Promise<string> {
  const host = createServer(handle)
  hosts.push(host)
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(host.address() as AddressInfo).port}`
}

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

async function activeCampaign(body: Record<string, unknown>): Promise<any> {
  const campaign = await admin('POST', '/campaigns', body)
  await admin('POST', `/campaigns/${campaign.id}/activate`)
  return campaign
}

const analytics = (campaignId: string) => admin('GET', `/campaigns/${campaignId}/analytics`)

const cardTitles = (page: Page, slot: string) =>
  page.locator(`[data-promo-slot="${slot}"] promo-unit .title`).allTextContents()

beforeAll(async () => {
  promo = await startServer()
  count = eventCounter(promo.database.db)
  blog = await listen()
  docs = await listen()
  const [site] = (await admin('GET', '/sites')).data
  await admin('PATCH', `/sites/${site.id}`, { allowedOrigins: [...site.allowedOrigins, blog, docs] })
  const now = Date.now()
  await admin('PUT', '/content', {
    items: articles.map((article) => ({
      url: `${blog}/journal/${article.slug}`,
      title: article.title,
      imageUrl: `${blog}/img/${article.slug}.svg`,
      summary: `About ${article.title.toLowerCase()}.`,
      tags: article.tags,
      category: article.category,
      publishedAt: new Date(now - article.age * 86_400_000).toISOString(),
    })),
  })
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.cleanup()
  for (const host of hosts) {
    host.closeAllConnections()
    await new Promise((resolve) => host.close(resolve))
  }
  await promo?.close()
})

describe('traffic campaigns on a real site, in Chromium', () => {
  it('leads the rail with pricing for a pricing reader; a card click is counted, lands with UTM, and moves CTR and scroll depth', async () => {
    const rail = await activeCampaign({
      name: 'Keep reading',
      type: 'traffic',
      placements: ['journal-rail'],
      config: { maxCards: 3, appendUtm: true, heading: 'Keep reading' },
      variants: [{ name: 'A', creative: { headline: 'Keep reading' } }],
    })
    const page = await browser.newPage()

    // Two pricing articles read: their page views are the visitor's recent views.
    // The SDK sends its queue every 3 s and when a page is left; the test waits for the rows rather than a time.
    for (const slug of ['pricing-explained', 'pricing-for-teams']) await page.goto(`${blog}/journal/${slug}`)
    const viewed = await until(
      () =>
        promo.database.db
          .select({ url: visitorRecentViews.url, visitor: visitorRecentViews.anonymousId })
          .from(visitorRecentViews),
      (rows) => rows.filter((row) => row.url.includes('/journal/pricing-')).length === 2,
      'the two articles among the recent views',
    )
    expect(new Set(viewed.map((row) => row.visitor)).size).toBe(1)

    // A newcomer on the same page would get the fresher, non-pricing stories first.
    const newcomer = await fetch(`${promo.origin}/api/v1/serve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: blog },
      body: JSON.stringify({
        site: keys.publishable,
        anonymousId: 'newcomer',
        slots: ['journal-rail'],
        context: { url: `${blog}/journal/` },
      }),
    })
    const [fresh] = ((await newcomer.json()) as any).decisions
    expect(pricing.has(fresh.items[0].title)).toBe(false)

    await page.goto(`${blog}/journal/`)
    const cards = page.locator('[data-promo-slot="journal-rail"] promo-unit a.link')
    await cards.first().waitFor()
    const titles = await cardTitles(page, 'journal-rail')
    expect(titles).toHaveLength(3)
    expect(titles.slice(0, 2).every((title) => pricing.has(title))).toBe(true)
    expect(titles).not.toContain('Our pricing, explained')
    expect(titles).not.toContain('Pricing for teams')
    expect(await cards.first().getAttribute('href')).toMatch(
      new RegExp(`^${promo.origin}/r/[\\w-]+\\.[\\w-]+\\?a=[\\w-]+&l=journal-rail&i=1$`),
    )
    await until(
      () => analytics(rail.id),
      (body) => body.totals.impressions === 1 && body.totals.clicks === 0,
      'the rail impression, before any click',
    )

    // The click goes through the signed redirect to the article, tagged for the site's analytics and for Promo.
    await Promise.all([page.waitForURL(/utm_id=/), cards.first().click()])
    const landed = new URL(page.url())
    expect(landed.origin + landed.pathname).toBe(
      `${blog}/journal/${articles.find((a) => a.title === titles[0])!.slug}`,
    )
    expect(Object.fromEntries(landed.searchParams)).toEqual({
      utm_source: 'promo',
      utm_medium: 'onsite',
      utm_campaign: 'keep-reading',
      utm_id: rail.id,
      promo_variant: rail.variants[0].id,
    })
    const [click] = await until(
      () =>
        promo.database.db
          .select()
          .from(events)
          .where(and(eq(events.campaignId, rail.id), eq(events.name, 'click'))),
      (rows) => rows.length === 1,
      'the click row the redirect wrote',
    )
    expect(click).toMatchObject({
      slot: 'journal-rail',
      props: { item_url: expect.stringContaining(landed.pathname) },
    })

    // The landing's page view carries the UTM parameters; its scroll depth grows as the reader scrolls.
    const [view] = await until(
      () =>
        promo.database.db
          .select({ url: events.url })
          .from(events)
          .where(and(eq(events.name, 'page'), eq(events.url, page.url()))),
      (rows) => rows.length === 1,
      'the landing page view',
    )
    expect(new URL(view!.url!).searchParams.get('utm_campaign')).toBe('keep-reading')
    const before = await until(
      () => analytics(rail.id),
      (body) => body.totals.clicks === 1 && body.totals.landing.sessions === 1,
      'the click and the landing in the analytics',
    )
    expect(before.totals.ctr).toBe(1)
    expect(before.totals.landing.scroll100).toBe(0)

    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight))
    const after = await until(
      () => analytics(rail.id),
      (body) => body.totals.landing.scroll100 === 1,
      'scroll depth 100 in the analytics',
    )
    expect(after.totals.landing).toMatchObject({ scroll25: 1, scroll50: 1, scroll75: 1, scroll100: 1 })
    expect(await count(rail.id, 'landing')).toBe(1)
    await page.close()
  })

  it("measures a manual card's landing on another origin of the site, which shares no storage, from its address", async () => {
    const picks = await activeCampaign({
      name: 'Docs picks',
      type: 'traffic',
      placements: ['journal-picks'],
      config: {
        heading: 'From the docs',
        cards: [{ title: 'Pricing calculator', url: `${docs}/docs/calculator`, badge: 'New' }],
      },
      variants: [{ name: 'A', creative: { headline: 'From the docs' } }],
    })
    const page = await browser.newPage()
    await page.goto(`${blog}/journal/picks`)
    const card = page.locator('[data-promo-slot="journal-picks"] promo-unit a.link')
    await card.waitFor()
    expect(await card.getAttribute('href')).toMatch(new RegExp(`^${promo.origin}/r/[\\w-]+\\.[\\w-]+\\?a=`))
    await Promise.all([page.waitForURL((url) => url.origin === docs), card.click()])
    const landed = new URL(page.url())
    expect(landed.pathname).toBe('/docs/calculator')
    expect(landed.searchParams.get('utm_id')).toBe(picks.id)
    expect(landed.searchParams.get('promo_variant')).toBe(picks.variants[0].id)
    const body = await until(
      () => analytics(picks.id),
      (answer) => answer.totals.landing.sessions === 1,
      'the landing, named by the address',
    )
    expect(body.totals.clicks).toBe(1)
    expect(await count(picks.id, 'landing')).toBe(1)
    await page.close()
  })
})
