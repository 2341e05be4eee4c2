import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { demoSession, keys, sleep, until } from './browser-harness'

const demo = demoSession()
const { ids, count } = demo

const heroText = (page: Page) =>
  page.evaluate(
    () => document.querySelector('[data-promo-slot="home-hero"] promo-unit')?.shadowRoot?.textContent ?? '',
  )

/** Collects CSP violations and page errors, which must stay empty. */
function watchProblems(page: Page) {
  const problems: string[] = []
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text())
  })
  page.on('pageerror', (error) => problems.push(String(error)))
  return problems
}

describe('the demo shop', () => {
  it('renders the hero in a shadow root; 0.9 s in view is an impression only, 1.1 s one viewable impression', async () => {
    const hero = ids['Winter sale hero']!
    const page = await demo.browser.newPage()
    const problems = watchProblems(page)
    await page.setViewportSize({ width: 1280, height: 480 })
    // The page's clock stands still unless the test moves it, so "0.9 s" and "1.1 s" are exact.
    const start = Date.parse('2026-11-29T12:00:00Z')
    await page.clock.install({ time: start })
    await page.clock.pauseAt(start + 1_000)
    await page.goto(`${demo.server.origin}/demo/`)
    const toBottom = () => page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight))
    const toTop = () => page.evaluate(() => window.scrollTo(0, 0))
    await toBottom()

    await until(
      () => heroText(page),
      (text) => text.includes('Winter sale: up to 40% off'),
      'the hero banner',
    )
    const hostHasShadow = await page.evaluate(() => {
      const host = document.querySelector('[data-promo-slot="home-hero"] promo-unit')
      return Boolean(host?.shadowRoot) && host?.querySelector('*') === null
    })
    expect(hostHasShadow).toBe(true)

    // Wait (real time) for IntersectionObserver to see each scroll; advance the page's clock explicitly.
    await sleep(300)
    await toTop()
    await sleep(300)
    await page.clock.runFor(900)
    await toBottom()
    await sleep(300)
    await page.clock.runFor(3_500)
    await until(
      () => count(hero, 'impression'),
      (n) => n === 1,
      'the impression row',
    )
    expect(await count(hero, 'viewable')).toBe(0)

    await toTop()
    await sleep(300)
    await page.clock.runFor(1_100)
    await toBottom()
    await sleep(300)
    await page.clock.runFor(3_500)
    await until(
      () => count(hero, 'viewable'),
      (n) => n === 1,
      'the viewable row',
    )
    // Staying in view longer, or coming back, never counts the same impression twice.
    await toTop()
    await sleep(300)
    await page.clock.runFor(5_000)
    await sleep(500)
    expect(await count(hero, 'viewable')).toBe(1)
    expect(await count(hero, 'impression')).toBe(1)
    expect(problems).toEqual([])
    await page.close()
  })

  it('sends a click through the signed redirect, which counts it and lands on the UTM-tagged page', async () => {
    const hero = ids['Winter sale hero']!
    const before = await count(hero, 'click')
    const page = await demo.browser.newPage()
    await page.goto(`${demo.server.origin}/demo/`)
    const cta = page.locator('[data-promo-slot="home-hero"] promo-unit a').first()
    await cta.waitFor()
    expect(await cta.getAttribute('href')).toMatch(
      new RegExp(`^${demo.server.origin}/r/[\\w-]+\\.[\\w-]+\\?a=[\\w-]+&l=home-hero$`),
    )
    await Promise.all([page.waitForURL(/utm_campaign=winter-sale/), cta.click()])
    expect(new URL(page.url()).searchParams.get('utm_source')).toBe('promo')
    await until(
      () => count(hero, 'click'),
      (n) => n === before + 1,
      'the click row',
    )
    await page.close()
  })

  it('opens the popup with focus inside, closes it on Escape, returns focus and records the close', async () => {
    const popup = ids['Newsletter popup']!
    const res = await fetch(`${demo.server.origin}/api/v1/campaigns/${popup}/activate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.secret}` },
    })
    expect(res.status).toBe(200)

    const page = await demo.browser.newPage()
    const problems = watchProblems(page)
    await page.goto(`${demo.server.origin}/demo/`)
    const dialog = page.locator('promo-unit [role="dialog"]')
    await dialog.waitFor()
    expect(await dialog.getAttribute('aria-modal')).toBe('true')
    await until(
      () =>
        page.evaluate(() =>
          Boolean(document.activeElement?.shadowRoot?.activeElement?.closest('[role="dialog"]')),
        ),
      Boolean,
      'focus inside the popup',
    )
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    expect(
      await page.evaluate(() =>
        Boolean(document.activeElement?.shadowRoot?.activeElement?.closest('[role="dialog"]')),
      ),
    ).toBe(true)

    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    expect(await page.evaluate(() => document.activeElement?.tagName.toLowerCase())).not.toBe('promo-unit')
    await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide')))
    await until(
      () => count(popup, 'close'),
      (n) => n === 1,
      'the close row',
    )
    expect(problems).toEqual([])
    await page.close()
  })

  it('takes a lead through the article form: stored once, confirmation in the outbox, guide link handed out', async () => {
    const form = ids['Winter guide form']!
    // The popup a test above switched on would take the keyboard's focus: pause it first.
    await fetch(`${demo.server.origin}/api/v1/campaigns/${ids['Newsletter popup']}/pause`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.secret}` },
    })
    const page = await demo.browser.newPage()
    const problems = watchProblems(page)
    // The first test froze this browser context's clock; a form timed on a frozen clock looks like a bot's.
    await page.clock.resume().catch(() => {})
    await page.goto(`${demo.server.origin}/demo/`)
    const unit = page.locator('[data-promo-slot="article-inline"] promo-unit')
    await unit.locator('input[type="email"]').waitFor()
    // A person reads the form for a moment: the API quietly ignores a submit within two seconds of the form
    // coming into view.
    await unit.scrollIntoViewIfNeeded()
    await sleep(2_100)
    await unit.locator('input[type="email"]').fill('Reader@Example.com')
    await unit.locator('input[autocomplete="given-name"]').fill('Ada')
    // By keyboard: the demo's sticky bar may cover the box at the bottom of the viewport.
    await unit.locator('input[type="checkbox"]').focus()
    await page.keyboard.press('Space')
    await unit.locator('button[type="submit"]').focus()
    await page.keyboard.press('Enter')
    await until(
      () => unit.evaluate((el) => el.shadowRoot?.textContent ?? ''),
      (text) => text.includes('The guide is on its way'),
      'the success message',
    )
    const href = await unit.evaluate(
      (el) =>
        [...(el.shadowRoot?.querySelectorAll('a') ?? [])].map((a) => a.href).find((h) => h.includes('/d/')) ??
        '',
    )
    expect(href).toMatch(/\/d\/[\w-]+\.[\w-]+$/)

    const admin = { headers: { authorization: `Bearer ${keys.secret}` } }
    const leads = (await (
      await fetch(`${demo.server.origin}/api/v1/leads?campaignId=${form}`, admin)
    ).json()) as {
      data: { email: string; fields: Record<string, unknown> }[]
    }
    expect(leads.data.map((lead) => [lead.email, lead.fields.first_name])).toEqual([
      ['reader@example.com', 'Ada'],
    ])
    const outbox = (await (await fetch(`${demo.server.origin}/api/v1/outbox`, admin)).json()) as {
      data: { to: string; status: string }[]
    }
    expect(outbox.data).toContainEqual(
      expect.objectContaining({ to: 'reader@example.com', status: 'outbox' }),
    )
    // The gated guide: the signed link redirects to it.
    const download = await fetch(href, { redirect: 'manual' })
    expect(download.status).toBe(302)
    expect(download.headers.get('location')).toContain('/demo/assets/winter.svg')
    expect(problems).toEqual([])
    await page.close()
  })
})
