/**
 * How units render on a real page, in Chromium against the real Node server and database: hostile page CSS
 * leaves them unchanged, the SDK adds no long task, no layout shift outside its slots and only two API
 * requests before the visitor does anything, a right-to-left page gets right-to-left units, and a large unit
 * counts as viewable at 30% in view, its time in view reported when the page goes. Needs `npm run build` first.
 */
import { and, eq } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { demoSession, sleep, until } from '../examples/browser-harness'
import { events } from '../schema/db'

const demo = demoSession()
const { ids, count } = demo

const heroHost = '[data-promo-slot="home-hero"] promo-unit'
const barHost = 'body > promo-unit'

async function openDemo(page: Page) {
  await page.goto(`${demo.server.origin}/demo/`)
  await page.locator(`${heroHost} .headline`).waitFor()
  await page.locator(`${barHost} .headline`).waitFor()
}

/** Every element in a unit's shadow root: its box relative to the unit and the styles that show. */
const drawing = (page: Page, host: string) =>
  page.evaluate((selector) => {
    const root = document.querySelector(selector)!.shadowRoot!
    const unit = root.firstElementChild!.getBoundingClientRect()
    return [...root.querySelectorAll('*')].map((element) => {
      const box = element.getBoundingClientRect()
      const style = getComputedStyle(element)
      return {
        element: `${element.tagName.toLowerCase()}.${element.getAttribute('class') ?? ''}`,
        box: [box.x - unit.x, box.y - unit.y, box.width, box.height].map(Math.round),
        style: [
          style.display,
          style.visibility,
          style.font,
          style.color,
          style.letterSpacing,
          style.textTransform,
        ],
      }
    })
  }, host)

/**
 * Everything but the slots (and what holds them) disappears, and the rest is as ugly as CSS allows, the units'
 * hosts included. The root element keeps its font size, so the page's rem-sized layout leaves the slot's width
 * alone and the units get the same room as before.
 */
const hostileCss = `
body *, promo-unit, promo-unit * {
  font: 1px/0 serif !important; color: red !important; letter-spacing: 9px !important;
  text-transform: uppercase !important; visibility: hidden !important; direction: ltr !important;
}
body *:not([data-promo-slot]):not(:has([data-promo-slot])) { display: none !important; }
promo-unit { display: none !important; all: unset !important; padding: 40px !important; }
`

describe('units on a hostile page', () => {
  it('draw the same inside their shadow roots whatever the page styles, even promo-unit itself', async () => {
    const page = await demo.browser.newPage()
    await openDemo(page)
    await sleep(300)
    const slotWidth = () => page.evaluate(() => document.querySelector('[data-promo-slot]')!.clientWidth)
    const before = {
      hero: await drawing(page, heroHost),
      bar: await drawing(page, barHost),
      width: await slotWidth(),
    }
    expect(before.hero.map(({ element }) => element)).toContain('strong.headline')
    expect(before.hero.find(({ element }) => element === 'strong.headline')!.style[2]).not.toMatch(/^1px/)

    await page.route(`${demo.server.origin}/demo/hostile.css`, (route) =>
      route.fulfill({ contentType: 'text/css', body: hostileCss }),
    )
    await page.addStyleTag({ url: `${demo.server.origin}/demo/hostile.css` })
    await sleep(300)
    expect(await slotWidth()).toBe(before.width)
    expect(await drawing(page, heroHost)).toEqual(before.hero)
    expect(await drawing(page, barHost)).toEqual(before.bar)
    await page.close()
  })

  it('follow a right-to-left page: the close button sits at the start of the line, on the left', async () => {
    const page = await demo.browser.newPage()
    await page.addInitScript(() =>
      document.addEventListener('DOMContentLoaded', () =>
        document.documentElement.setAttribute('dir', 'rtl'),
      ),
    )
    await openDemo(page)
    const sides = await page.evaluate((selector) => {
      const root = document.querySelector(selector)!.shadowRoot!
      const bar = root.querySelector('.bar')!.getBoundingClientRect()
      const close = root.querySelector('.close')!.getBoundingClientRect()
      return { direction: getComputedStyle(root.querySelector('.bar')!).direction, bar, close }
    }, barHost)
    expect(sides.direction).toBe('rtl')
    expect(sides.close.right).toBeLessThan(sides.bar.left + sides.bar.width / 2)
    await page.close()
  })
})

/** Long tasks and layout shifts from the start of the page, with whether each shift was inside a unit. */
function recordPerformance() {
  const perf = {
    longTasks: [] as { start: number; duration: number }[],
    shifts: [] as { value: number; sources: { node: string; inUnit: boolean }[] }[],
  }
  Object.assign(window, { perf })
  new PerformanceObserver((list) => {
    for (const task of list.getEntries())
      perf.longTasks.push({ start: task.startTime, duration: task.duration })
  }).observe({ type: 'longtask', buffered: true })
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & {
      value: number
      hadRecentInput: boolean
      sources: { node: Node | null }[]
    })[]) {
      if (entry.hadRecentInput) continue
      const sources = entry.sources.map(({ node }) => {
        const element = node && (node instanceof Element ? node : node.parentElement)
        const host =
          element?.getRootNode() instanceof ShadowRoot ? (element.getRootNode() as ShadowRoot).host : null
        const inUnit = Boolean(
          element?.closest('[data-promo-slot],promo-unit') || host?.closest('promo-unit'),
        )
        return {
          node: element ? `${element.tagName.toLowerCase()}.${element.className}` : String(node),
          inUnit,
        }
      })
      perf.shifts.push({ value: entry.value, sources })
    }
  }).observe({ type: 'layout-shift', buffered: true })
}

interface Recorded {
  longTasks: { start: number; duration: number }[]
  shifts: { value: number; sources: { node: string; inUnit: boolean }[] }[]
}

describe('the SDK on the demo page', () => {
  it('adds no long task, shifts nothing outside its slots and makes two API requests before any input', async () => {
    const baseline = await demo.browser.newPage()
    await baseline.addInitScript(recordPerformance)
    await baseline.route(`${demo.server.origin}/demo/`, async (route) => {
      const response = await route.fetch()
      const html = (await response.text()).replace(/<script async src="\/sdk\/promo\.js"[^>]*><\/script>/, '')
      await route.fulfill({ response, body: html })
    })
    await baseline.goto(`${demo.server.origin}/demo/`)
    await sleep(2000)
    const without = await baseline.evaluate(() => (window as unknown as { perf: Recorded }).perf)
    expect(await baseline.evaluate(() => document.querySelector('promo-unit'))).toBeNull()
    await baseline.close()

    const page = await demo.browser.newPage()
    await page.addInitScript(recordPerformance)
    const api: string[] = []
    page.on('request', (request) => {
      const url = new URL(request.url())
      if (url.pathname.startsWith('/api/v1/')) api.push(`${request.method()} ${url.pathname}`)
    })
    await openDemo(page)
    // Long enough for the transport's first batch (3 s after the first event) to go.
    await sleep(4000)
    const requests = [...api]
    const sdkStart = await page.evaluate(
      () =>
        (
          performance
            .getEntriesByType('resource')
            .find((entry) => entry.name.includes('/sdk/promo.js')) as PerformanceResourceTiming
        ).responseEnd,
    )
    const { longTasks, shifts } = await page.evaluate(() => (window as unknown as { perf: Recorded }).perf)
    console.log(
      `long tasks > 50 ms: without the SDK ${JSON.stringify(without.longTasks)}, with it ${JSON.stringify(longTasks)} (SDK from ${Math.round(sdkStart)} ms)`,
    )
    expect(longTasks.filter((task) => task.start + task.duration > sdkStart)).toEqual([])
    expect(shifts.flatMap((shift) => shift.sources).filter((source) => !source.inUnit)).toEqual([])
    expect([...requests].sort()).toEqual(['POST /api/v1/events', 'POST /api/v1/serve'].sort())
    await page.click('#cart-button')
    await page.close()
  })
})

// Last: Playwright's clock, once installed, stays with the browser context and its later pages.
describe('large units', () => {
  it('count a unit of at least 242,500 px² as viewable with 30% of it in view for one second', async () => {
    const hero = ids['Winter sale hero']!
    const [impressions, viewables] = [await count(hero, 'impression'), await count(hero, 'viewable')]
    const page = await demo.browser.newPage()
    await page.setViewportSize({ width: 1280, height: 600 })
    const start = Date.parse('2026-11-29T12:00:00Z')
    await page.clock.install({ time: start })
    await page.clock.pauseAt(start + 1_000)
    await page.goto(`${demo.server.origin}/demo/`)
    await page.locator(`${heroHost} .headline`).waitFor()
    const box = await page.evaluate((selector) => {
      const unit = document.querySelector(selector)!.shadowRoot!.firstElementChild!.getBoundingClientRect()
      return { top: unit.top + scrollY, width: unit.width, height: unit.height }
    }, heroHost)
    expect(box.width * box.height).toBeGreaterThanOrEqual(242_500)
    /** Scrolls so that only the bottom `share` of the hero is in view. */
    const show = async (share: number) => {
      await page.evaluate((y) => window.scrollTo(0, y), box.top + (1 - share) * box.height)
      await sleep(300)
    }

    await show(0.2)
    await page.clock.runFor(3_000)
    await page.clock.runFor(3_500)
    await until(
      () => count(hero, 'impression'),
      (n) => n === impressions + 1,
      'the impression row',
    )
    expect(await count(hero, 'viewable')).toBe(viewables)

    await show(0.4)
    await page.clock.runFor(900)
    await show(0.2)
    await page.clock.runFor(3_500)
    await sleep(500)
    expect(await count(hero, 'viewable')).toBe(viewables)

    await show(0.4)
    await page.clock.runFor(1_100)
    await page.clock.runFor(3_500)
    await until(
      () => count(hero, 'viewable'),
      (n) => n === viewables + 1,
      'the viewable row',
    )

    // Leaving the page reports the time in view: the 0.9 s and the 1.1 s + 3.5 s at 40%, not the time at 20%.
    // Earlier pages of this file reported theirs when they closed.
    const viewTimes = () =>
      demo.server.database.db
        .select({ id: events.id, props: events.props })
        .from(events)
        .where(and(eq(events.campaignId, hero), eq(events.name, 'view_time')))
    const earlier = new Set((await viewTimes()).map(({ id }) => id))
    await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide')))
    const rows = await until(
      async () => (await viewTimes()).filter(({ id }) => !earlier.has(id)),
      (fresh) => fresh.length > 0,
      'the view_time row',
    )
    expect(rows.map(({ props }) => props)).toEqual([{ inViewMs: 900 + 1_100 + 3_500 }])
    await page.close()
  })
})
