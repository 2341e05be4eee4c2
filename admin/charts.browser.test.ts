import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { demoSession, keys } from '../examples/browser-harness'

const admin = demoSession()
const chrome =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

/** Signs in from the login page, which leads to `next`. */
async function signIn(page: Page, next: string) {
  await page.goto(`${admin.server.origin}/admin/login?next=${encodeURIComponent(next)}`)
  await page.getByLabel('Email').fill(keys.email)
  await page.getByLabel('Password').fill(keys.password)
  await page.getByRole('button', { name: /sign in/i }).click()
}

/** A two-variant campaign, active, with impressions and clicks today for each variant. */
async function seedExperiment(): Promise<string> {
  const origin = admin.server.origin
  const headers = { authorization: `Bearer ${keys.secret}`, 'content-type': 'application/json' }
  const creative = (headline: string) => ({ headline, ctaText: 'Go', ctaUrl: 'https://shop.example/' })
  const created = await fetch(`${origin}/api/v1/campaigns`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      name: 'Chart test',
      type: 'awareness',
      placements: ['chart-slot'],
      config: { format: 'hero' },
      variants: [
        { name: 'Calm', creative: creative('Calm') },
        { name: 'Loud', creative: creative('Loud') },
      ],
    }),
  })
  expect(created.status).toBe(201)
  const campaign = (await created.json()) as { id: string; variants: { id: string }[] }
  const activated = await fetch(`${origin}/api/v1/campaigns/${campaign.id}/activate`, {
    method: 'POST',
    headers,
  })
  expect(activated.status).toBe(200)
  const batch = campaign.variants.flatMap((variant, arm) =>
    Array.from({ length: 6 + arm * 4 }, (_, i) => ({
      id: crypto.randomUUID(),
      name: 'impression',
      timestamp: new Date().toISOString(),
      anonymousId: `chart-${arm}-${i}`,
      campaignId: campaign.id,
      variantId: variant.id,
    })),
  )
  const sent = await fetch(`${origin}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': chrome },
    body: JSON.stringify({ site: keys.publishable, batch }),
  })
  expect(sent.status).toBe(200)
  expect(((await sent.json()) as { accepted: number }).accepted).toBe(batch.length)
  return campaign.id
}

describe('results charts and experiments in Chromium', () => {
  it('loads uPlot only for a chart, draws one line per variant, keeps the period in the address, at 390 px too', async () => {
    const id = await seedExperiment()
    const page = await admin.browser.newPage()
    const problems: string[] = []
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text())
    })
    page.on('pageerror', (error) => problems.push(String(error)))
    const scripts: string[] = []
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname)
    })

    await signIn(page, '/admin/campaigns')
    await page.getByRole('heading', { name: 'Campaigns' }).waitFor()
    expect(scripts.some((path) => path.includes('uplot-chart'))).toBe(false)

    await page.goto(`${admin.server.origin}/admin/campaigns/${id}/results`)
    const overTime = page.getByRole('region', { name: 'Over time' })
    await overTime.locator('.chart-canvas canvas').first().waitFor()
    expect(scripts.some((path) => /^\/admin\/(chunks\/)?uplot-chart-[\w-]+\.js$/.test(path))).toBe(true)
    expect(await overTime.locator('.chart-legend li').allTextContents()).toEqual(['Calm', 'Loud'])
    // The numbers behind the lines, in the table: today's impressions per variant.
    await overTime.getByText('Show the numbers as a table').click()
    const lastRow = overTime.locator('details tbody tr').last()
    expect(await lastRow.locator('td').allTextContents()).toEqual(['6', '10'])
    const drawn = await overTime.locator('.chart-canvas canvas').first().boundingBox()
    expect(drawn?.width).toBeGreaterThan(200)

    // The period goes into the address; back brings the previous one, picker and data alike.
    await page.getByLabel('Period').selectOption('7')
    await page.waitForURL(/\?period=7$/)
    await page.waitForFunction(
      () => document.querySelectorAll('[aria-labelledby="series-title"] details tbody tr').length === 7,
    )
    await page.goBack()
    await page.waitForURL(/\/results$/)
    expect(await page.getByLabel('Period').inputValue()).toBe('30')
    await page.waitForFunction(
      () => document.querySelectorAll('[aria-labelledby="series-title"] details tbody tr').length === 30,
    )

    // On a phone the chart fits the screen.
    await page.setViewportSize({ width: 390, height: 800 })
    await page.waitForTimeout(200)
    const phone = await overTime.locator('.chart-canvas canvas').first().boundingBox()
    expect(phone?.width).toBeGreaterThan(150)
    expect((phone?.x ?? 0) + (phone?.width ?? 0)).toBeLessThanOrEqual(390)

    await page.getByRole('link', { name: 'Experiments' }).click()
    const readout = page.getByRole('region', { name: 'Chart test' })
    await readout.locator('.experiment-status strong').waitFor()
    expect(await readout.locator('.experiment-status strong').textContent()).toBe(
      'Keep running: no conversions yet',
    )
    expect(problems).toEqual([])
    await page.close()
  })
})
