import { describe, expect, it } from 'vitest'
import { demoSession, sleep, until } from './browser-harness'

const demo = demoSession()

describe('the demo shop on a phone', () => {
  it('fits a 390 px wide screen: no horizontal scroll, every navigation link and the cart in view', async () => {
    const page = await demo.browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(String(error)))
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(`${demo.server.origin}/demo/`)
    // The promotions render into the page too: the width is measured once the hero is in.
    await until(
      () =>
        page.evaluate(
          () =>
            document.querySelector('[data-promo-slot="home-hero"] promo-unit')?.shadowRoot?.textContent ?? '',
        ),
      (text) => text.length > 0,
      'the hero banner',
    )
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight))
    await sleep(500)

    const layout = await page.evaluate(() => ({
      scrollWidth: document.scrollingElement?.scrollWidth ?? Number.POSITIVE_INFINITY,
      clientWidth: document.scrollingElement?.clientWidth ?? 0,
      outside: [...document.querySelectorAll<HTMLElement>('.site-header a, .site-header button')]
        .filter((element) => {
          const box = element.getBoundingClientRect()
          return box.left < 0 || box.right > window.innerWidth || box.width === 0
        })
        .map((element) => element.textContent),
    }))
    expect(layout.scrollWidth).toBeLessThanOrEqual(390)
    expect(layout.outside).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  })
})
