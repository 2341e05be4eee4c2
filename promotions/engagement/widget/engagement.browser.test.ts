/**
 * Engagement as a site gets it, in Chromium against the real server (PostgreSQL when DATABASE_URL is set): a
 * visitor on a blog post likes it (a second press unlikes), votes in its poll and sees the results, and copies the
 * share link; a second visitor who follows that link is counted as a visit through a share, which the campaign's
 * amplification shows. A comment holding markup shows as text, waits for moderation, and appears once an admin
 * approves it through the admin HTTP API. The campaign is set up through that API with the secret key; the blog is
 * a small site on 127.0.0.1 (added to the site's allowed origins) that pastes the script tag. Needs `npm run build`.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { and, eq } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventCounter, keys, launchChromium, startServer, until } from '../../../examples/browser-harness'
import { events } from '../../../schema/db'

let promo: Awaited<ReturnType<typeof startServer>>
let browser: Awaited<ReturnType<typeof launchChromium>>
let host: Server
let blog = ''
let count: ReturnType<typeof eventCounter>

/**
 * The post: its slot has room before the unit comes, as a site reserves it, and every layout shift is recorded
 * (the unit's counts, its poll and comments arriving must move nothing).
 */
const postHtml = () => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Leek soup</title>
<script>window.shifts = []
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) shifts.push(entry.value)
}).observe({ type: 'layout-shift', buffered: true })</script>
<script async src="${promo.origin}/sdk/promo.js" data-site="${keys.publishable}"></script></head>
<body style="margin:0;font:16px sans-serif"><h1>Leek soup</h1><p>Slow, green and good.</p>
<div data-promo-slot="post-end" style="min-height:900px;max-width:640px"></div><p style="height:1500px">Comments policy.</p></body></html>`

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

const analytics = (campaignId: string) => admin('GET', `/campaigns/${campaignId}/analytics`)

/** The public counts, as anyone reads them. */
async function publicCounts(campaignId: string) {
  const query = new URLSearchParams({ site: keys.publishable, campaignId })
  const res = await fetch(`${promo.origin}/api/v1/engagements?${query}`, { headers: { origin: blog } })
  return (await res.json()) as { counts: { likes: number; shares: number; comments: number } }
}

beforeAll(async () => {
  promo = await startServer()
  count = eventCounter(promo.database.db)
  host = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path === '/posts/leek-soup')
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(postHtml())
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve))
  blog = `http://127.0.0.1:${(host.address() as AddressInfo).port}`
  const [site] = (await admin('GET', '/sites')).data
  await admin('PATCH', `/sites/${site.id}`, { allowedOrigins: [...site.allowedOrigins, blog] })
  browser = await launchChromium()
  await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: blog })
})

afterAll(async () => {
  await browser?.cleanup()
  host?.closeAllConnections()
  await new Promise((resolve) => host?.close(resolve))
  await promo?.close()
})

/** The unit's parts; Playwright's CSS locators reach into its open shadow root. */
const unit = (page: Page) => page.locator('[data-promo-slot="post-end"] promo-unit')

describe('engagement on a real site, in Chromium', () => {
  it('likes and unlikes, votes and sees results, copies a share link that counts the visit it brings, and holds a comment for moderation', async () => {
    const campaign = await admin('POST', '/campaigns', {
      name: 'Leek soup talk',
      type: 'engagement',
      placements: ['post-end'],
      config: {
        engagementTypes: ['like', 'share', 'vote', 'comment'],
        contentUrl: `${blog}/posts/leek-soup`,
        share: { networks: ['x', 'copy'] },
        poll: {
          question: 'Which soup tonight?',
          options: [
            { id: 'leek', label: 'Leek' },
            { id: 'tomato', label: 'Tomato' },
          ],
        },
        comments: { moderation: 'pre', maxLength: 200 },
      },
      variants: [{ name: 'A', creative: { headline: 'Did you like it?' } }],
    })
    await admin('POST', `/campaigns/${campaign.id}/activate`)

    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(String(error)))
    await page.goto(`${blog}/posts/leek-soup`)
    const like = unit(page).locator('button', { hasText: 'Like' })
    await like.waitFor()
    expect(await unit(page).locator('h2').textContent()).toBe('Did you like it?')
    await unit(page).locator('.comments form').waitFor()
    await page.waitForTimeout(500)
    expect(await page.evaluate(() => (window as unknown as { shifts: number[] }).shifts)).toEqual([])

    // Like, then a second press unlikes: the button says which, and the API counts it once, then not at all.
    await like.click()
    await until(
      () => like.getAttribute('aria-pressed'),
      (pressed) => pressed === 'true',
      'the like pressed',
    )
    await until(
      () => publicCounts(campaign.id),
      (body) => body.counts.likes === 1,
      'one like counted',
    )
    await like.click()
    await until(
      () => like.getAttribute('aria-pressed'),
      (pressed) => pressed === 'false',
      'the like taken back',
    )
    await until(
      () => publicCounts(campaign.id),
      (body) => body.counts.likes === 0,
      'the like removed',
    )
    await like.click()
    await until(
      () => publicCounts(campaign.id),
      (body) => body.counts.likes === 1,
      'liked again',
    )
    expect(await count(campaign.id, 'like')).toBe(1)

    // The poll: one choice, then the results in place of the buttons.
    const poll = unit(page).locator('form.poll')
    await poll.locator('label', { hasText: 'Leek' }).click()
    await poll.locator('button', { hasText: 'Vote' }).click()
    await unit(page).locator('.option .n').first().waitFor()
    expect(await unit(page).locator('.option .n').allTextContents()).toEqual(['100% (1)', '0% (0)'])
    expect(await poll.locator('input').count()).toBe(0)

    // Copy the share link: it carries the UTM tags, the campaign and a share id.
    await unit(page).locator('button', { hasText: 'Copy link' }).click()
    await until(
      () => unit(page).locator('[role=status]').textContent(),
      (text) => text === 'Link copied',
      'Link copied',
    )
    const copied = new URL(await page.evaluate(() => navigator.clipboard.readText()))
    expect(`${copied.origin}${copied.pathname}`).toBe(`${blog}/posts/leek-soup`)
    expect(copied.searchParams.get('utm_source')).toBe('copy')
    expect(copied.searchParams.get('utm_medium')).toBe('share')
    expect(copied.searchParams.get('utm_campaign')).toBe(campaign.id)
    const shareId = copied.searchParams.get('promo_share')!
    await until(
      () => publicCounts(campaign.id),
      (body) => body.counts.shares === 1,
      'the share counted',
    )

    // A second visitor (a browser of their own) follows the link: one share_landing, amplification 1.
    const friend = await launchChromium()
    try {
      const visit = await friend.newPage()
      await visit.goto(copied.href)
      await unit(visit).locator('button', { hasText: 'Like' }).waitFor()
      // Stored from the open page (its batch, within seconds), not left to the beacon of a page closed at once,
      // which a loaded machine can lose with the browser profile it lives in.
      await until(
        () => count(campaign.id, 'share_landing'),
        (n) => n === 1,
        'the share landing stored',
      )
      await visit.close()
    } finally {
      await friend.cleanup()
    }
    const body = await until(
      () => analytics(campaign.id),
      (answer) => answer.totals.amplification === 1,
      'amplification from the visit through the shared link',
    )
    expect(body.totals.shareRate).toBeGreaterThan(0)
    expect(await count(campaign.id, 'share_landing')).toBe(1)
    const landings = await promo.database.db
      .select({ props: events.props })
      .from(events)
      .where(and(eq(events.campaignId, campaign.id), eq(events.name, 'share_landing')))
    expect(landings).toEqual([{ props: { share: shareId } }])

    // A comment with markup: held for moderation, not listed; approved, it shows as the characters typed.
    const text = '<b>Lovely</b> <img src=x onerror="window.pwned=1">'
    const form = unit(page).locator('.comments form')
    await form.locator('input').fill('Ada')
    await form.locator('textarea').fill(text)
    expect(await form.locator('.n').textContent()).toBe(`${text.length}/200`)
    await form.locator('button', { hasText: 'Post' }).click()
    await until(
      () => unit(page).locator('[role=status]').textContent(),
      (said) => said === 'Thanks! Your comment awaits moderation.',
      'the comment held for moderation',
    )
    expect(await unit(page).locator('.list li').count()).toBe(0)
    const pending = await admin('GET', `/engagements/comments?campaignId=${campaign.id}&status=pending`)
    expect(pending.data).toHaveLength(1)
    expect(pending.data[0]).toMatchObject({ text, name: 'Ada', status: 'pending', campaignId: campaign.id })
    await admin('POST', `/engagements/comments/${pending.data[0].id}/approve`)

    await page.reload()
    const shown = unit(page).locator('.list li')
    await shown.first().waitFor()
    expect(await shown.locator('p').textContent()).toBe(text)
    expect(await shown.locator('b').first().textContent()).toBe('Ada')
    expect(await unit(page).locator('.list img').count()).toBe(0)
    expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined()
    // Still the one visit through the shared link, and nothing went wrong on the page.
    expect(await count(campaign.id, 'share_landing')).toBe(1)
    expect(errors).toEqual([])
    await page.close()
  })
})
