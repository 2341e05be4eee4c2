import { describe, expect, it } from 'vitest'
import { demoSession, keys } from '../examples/browser-harness'

const admin = demoSession()

describe('the admin app in Chromium', () => {
  it('signs in, opens a campaign and explains the decision from its own origin under the strict CSP', async () => {
    const hero = admin.ids['Winter sale hero']!
    const page = await admin.browser.newPage()
    const problems: string[] = []
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text())
    })
    page.on('pageerror', (error) => problems.push(String(error)))

    await page.goto(`${admin.server.origin}/admin/login`)
    await page.getByLabel('Email').fill(keys.email)
    await page.getByLabel('Password').fill(keys.password)
    await page.getByRole('button', { name: /sign in/i }).click()
    await page
      .getByRole('heading', { name: /campaigns/i })
      .first()
      .waitFor()

    await page.goto(`${admin.server.origin}/admin/campaigns/${hero}`)
    const panel = page.getByRole('region', { name: 'Why this decision' })
    await panel.waitFor()
    await panel.getByLabel('Page address (optional)').fill(`${admin.server.origin}/demo/`)
    await panel.getByRole('button', { name: 'Trace a visit' }).click()

    // The traced serve goes out with the session cookie and CSRF token, from the admin's origin.
    const chosen = panel.locator('.trace-chosen')
    await chosen.first().waitFor()
    expect(await chosen.first().textContent()).toContain('Winter sale hero (this campaign)')
    expect(await panel.getByRole('alert').count()).toBe(0)
    expect(problems).toEqual([])
    await page.close()
  })
})
