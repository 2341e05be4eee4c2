/**
 * Triggers in Chromium against the real Node server and database: the seeded newsletter popup, set to wait
 * for scroll depth or exit intent through the admin API, stays away on load and appears when the visitor does
 * that; and a single-page app's `pushState` asks the API for new decisions. Needs `npm run build` first.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keys, launchChromium, startServer } from '../examples/browser-harness'
import { campaigns } from '../schema/db'
import type { Trigger } from '../schema/trigger'

let server: Awaited<ReturnType<typeof startServer>>
let browser: Awaited<ReturnType<typeof launchChromium>>
let popupId: string

beforeAll(async () => {
  server = await startServer()
  browser = await launchChromium()
  const rows = await server.database.db.select().from(campaigns)
  popupId = rows.find((row) => row.name === 'Newsletter popup')!.id
  const res = await admin('POST', `/api/v1/campaigns/${popupId}/activate`)
  expect(res.status).toBe(200)
})
afterAll(async () => {
  await browser?.cleanup()
  await server?.close()
})

const admin = (method: string, path: string, body?: unknown) =>
  fetch(`${server.origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${keys.secret}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })

async function popupWaitsFor(trigger: Trigger) {
  const res = await admin('PATCH', `/api/v1/campaigns/${popupId}`, {
    config: { format: 'popup', dismissible: true, mediaType: 'image', trigger },
  })
  expect(res.status).toBe(200)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A page with a fresh visitor (no frequency history), on the demo shop, once the SDK drew its first units. */
async function openDemo(): Promise<Page> {
  const page = await browser.newPage()
  await page.addInitScript(() => localStorage.clear())
  await page.setViewportSize({ width: 1280, height: 400 })
  await page.goto(`${server.origin}/demo/`)
  await page.locator('promo-unit').first().waitFor({ state: 'attached' })
  // Time for the popup to appear if it wrongly did not wait.
  await sleep(500)
  return page
}

const popupShown = (page: Page) => page.locator('promo-unit [role="dialog"]').count()

describe('triggers', () => {
  it('a popup set to 50 % scroll depth stays away on load and at 30 %, and appears past 50 %', async () => {
    await popupWaitsFor({ on: 'scroll', percent: 50 })
    const page = await openDemo()
    const scrollTo = (fraction: number) =>
      page.evaluate((to) => {
        const room = document.documentElement.scrollHeight - innerHeight
        window.scrollTo(0, room * to)
      }, fraction)
    expect(await page.evaluate(() => document.documentElement.scrollHeight - innerHeight)).toBeGreaterThan(
      400,
    )
    expect(await popupShown(page)).toBe(0)
    await scrollTo(0.3)
    await sleep(300)
    expect(await popupShown(page)).toBe(0)
    await scrollTo(0.6)
    await page.locator('promo-unit [role="dialog"]').waitFor()
    expect(await popupShown(page)).toBe(1)
    await page.close()
  })

  it('an exit-intent popup appears when the mouse leaves through the top of the window', async () => {
    await popupWaitsFor({ on: 'exit' })
    const page = await openDemo()
    await page.mouse.move(640, 200)
    await page.mouse.move(640, 100, { steps: 5 })
    expect(await popupShown(page)).toBe(0)
    await page.mouse.move(640, -20, { steps: 5 })
    await page.locator('promo-unit [role="dialog"]').waitFor({ timeout: 5000 })
    expect(await popupShown(page)).toBe(1)
    await page.close()
  })

  it("a single-page app's pushState to a new path asks the API again, once; no trigger chunk on load", async () => {
    await popupWaitsFor({ on: 'load' })
    const page = await browser.newPage()
    // A fresh visitor: the one of the tests before has seen the popup as often as its cap allows.
    await page.addInitScript(() => localStorage.clear())
    const serves: string[] = []
    const chunks: string[] = []
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname
      if (path === '/api/v1/serve') serves.push(path)
      if (path.includes('/chunks/')) chunks.push(path)
    })
    await page.goto(`${server.origin}/demo/`)
    await page.locator('promo-unit [role="dialog"]').waitFor()
    expect(serves).toHaveLength(1)
    await page.evaluate(() => {
      history.pushState({}, '', '/demo/?category=boots')
      history.replaceState({ restored: true }, '', '/demo/?category=boots')
    })
    await sleep(1000)
    expect(serves).toHaveLength(2)
    await page.evaluate(() => history.replaceState({ again: true }, '', location.href))
    await sleep(500)
    expect(serves).toHaveLength(2)
    expect(chunks.some((path) => path.includes('/triggers-'))).toBe(false)
    await page.close()
  })
})
