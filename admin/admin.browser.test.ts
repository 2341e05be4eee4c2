import { readFile } from 'node:fs/promises'
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

  it('opens a campaign’s results: the KPIs of its type, a breakdown switch and a CSV that downloads', async () => {
    const hero = admin.ids['Winter sale hero']!
    const page = await admin.browser.newPage()
    const problems: string[] = []
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text())
    })
    page.on('pageerror', (error) => problems.push(String(error)))

    // The context keeps the session cookie from the first test; sign in again only if it is gone.
    await page.goto(`${admin.server.origin}/admin/campaigns`)
    if (page.url().includes('/admin/login')) {
      await page.getByLabel('Email').fill(keys.email)
      await page.getByLabel('Password').fill(keys.password)
      await page.getByRole('button', { name: /sign in/i }).click()
    }
    // The list opens with the site's totals, from GET /analytics/overview.
    await page
      .getByLabel(/last 30 days$/)
      .locator('dt', { hasText: 'Visitors' })
      .waitFor()
    await page.getByRole('link', { name: 'Winter sale hero' }).click()
    await page.getByRole('link', { name: 'Results' }).click()
    expect(page.url()).toBe(`${admin.server.origin}/admin/campaigns/${hero}/results`)

    const kpis = page.getByLabel('Key results')
    await kpis.waitFor()
    expect(await kpis.locator('dt').allTextContents()).toEqual([
      'Impressions',
      'Reach',
      'Clicks',
      'CTR',
      'Viewable rate',
      'Frequency',
      'Video plays',
    ])

    await page.getByLabel('Attribution').selectOption('linear')
    await page.getByRole('radio', { name: 'Device' }).check()
    await page.getByRole('heading', { name: 'By device' }).waitFor()

    // A plain link: the browser sends the session cookie with the GET and saves what comes back.
    const link = page.getByRole('link', { name: 'Download CSV' })
    expect(await link.getAttribute('href')).toContain('model=linear')
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
    expect(download.suggestedFilename()).toMatch(/^campaign-.+\.csv$/)
    const csv = await readFile((await download.path())!, 'utf8')
    expect(csv.split('\n')[0]).toContain('conversions_linear')
    expect(await page.getByRole('alert').count()).toBe(0)
    expect(problems).toEqual([])
    await page.close()
  })
})
