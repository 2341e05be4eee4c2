import { describe, expect, it } from 'vitest'
import { demoSession, keys } from '../examples/browser-harness'
import { sites } from '../schema/db'

const admin = demoSession()

describe('the Sites screen in Chromium', () => {
  it('waits for the first event, then shows the demo page that sent it; fits a 390 px phone', async () => {
    const [site] = await admin.server.database.db.select().from(sites)
    const page = await admin.browser.newPage()
    const problems: string[] = []
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text())
    })
    page.on('pageerror', (error) => problems.push(String(error)))
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(`${admin.server.origin}/admin/sites/${site!.id}`)
    await page.getByLabel('Email').fill(keys.email)
    await page.getByLabel('Password').fill(keys.password)
    await page.getByRole('button', { name: /sign in/i }).click()

    const status = page.locator('[aria-labelledby="install-title"] [role="status"]')
    await expect
      .poll(() => status.textContent(), { timeout: 15_000 })
      .toContain('Waiting for the first event')

    // A visitor opens the demo shop, whose tag carries this site's key: the check, asked again every few
    // seconds, turns to "Installed" with that page's address.
    const visitor = await admin.browser.newPage()
    await visitor.goto(`${admin.server.origin}/demo/`)
    await expect
      .poll(() => status.textContent(), { timeout: 20_000 })
      .toMatch(new RegExp(`^Installed: last event .+ ago from ${admin.server.origin}/demo/`))
    await visitor.close()

    // The screen's own content fits the phone: nothing in it reaches past 390 px but inside a box that scrolls
    // on its own (the key list's table). The top bar is the app's, shared by every screen.
    const outside = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('main *')]
        .filter((element) => !element.closest('.table-scroll') && element.getBoundingClientRect().right > 390)
        .map((element) => `${element.tagName.toLowerCase()}.${element.className}`),
    )
    expect(outside).toEqual([])
    expect(await page.evaluate(() => document.querySelector('main')!.scrollWidth)).toBeLessThanOrEqual(390)
    expect(await page.getByRole('button', { name: 'Copy publishable key' }).isVisible()).toBe(true)
    expect(await page.getByLabel('Origin 1').inputValue()).toMatch(/^http/)
    expect(problems).toEqual([])
    await page.close()
  })
})
