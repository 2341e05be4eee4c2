import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { demoSession, keys } from '../examples/browser-harness'

const admin = demoSession()

/** Opens `path`; the context keeps the session cookie from earlier tests, so it signs in only if it is gone. */
async function openSignedIn(page: Page, path: string) {
  await page.goto(`${admin.server.origin}${path}`)
  if (page.url().includes('/admin/login')) {
    await page.getByLabel('Email').fill(keys.email)
    await page.getByLabel('Password').fill(keys.password)
    await page.getByRole('button', { name: /sign in/i }).click()
  }
}

/** CSP refusals and uncaught errors on the page, to be empty at the end of a test. */
function watchProblems(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text())
  })
  page.on('pageerror', (error) => problems.push(String(error)))
  return problems
}

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
    const problems = watchProblems(page)
    await openSignedIn(page, '/admin/campaigns')
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

  it('lists a lead submitted through the public API, with its confirmation mail in the outbox', async () => {
    const origin = admin.server.origin
    const headers = { authorization: `Bearer ${keys.secret}`, 'content-type': 'application/json' }
    const consent = 'Email me the guide  and occasional news'
    const created = await fetch(`${origin}/api/v1/campaigns`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        name: 'Browser guide form',
        type: 'lead_generation',
        config: {
          fields: [
            { name: 'email', type: 'email', label: 'Email', required: true },
            { name: 'company', type: 'text', label: 'Company' },
            { name: 'news', type: 'consent', label: consent },
          ],
          successMessage: 'Thanks, the guide is on its way.',
          offer: { type: 'ebook', title: 'The browser guide' },
        },
        variants: [{ name: 'A', creative: { headline: 'Get the browser guide' } }],
      }),
    })
    expect(created.status).toBe(201)
    const campaign = (await created.json()) as { id: string }
    const started = await fetch(`${origin}/api/v1/campaigns/${campaign.id}/activate`, {
      method: 'POST',
      headers,
    })
    expect(started.status).toBe(200)

    const page = await admin.browser.newPage()
    const problems = watchProblems(page)
    await openSignedIn(page, '/admin/campaigns')
    await page.getByRole('heading', { name: 'Campaigns' }).waitFor()

    // The visitor's submit as a lead form sends it: text/plain JSON from a page of the site, in a real browser.
    const answer = await page.evaluate(
      async (body) => {
        const response = await fetch('/api/v1/leads', {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify(body),
        })
        return { status: response.status, body: await response.json() }
      },
      {
        site: keys.publishable,
        campaignId: campaign.id,
        fields: { email: 'Grace@Browser.test', company: 'Hopper & Co', news: true },
        elapsedMs: 4_000,
        context: { url: `${origin}/demo/guide?utm_source=newsletter&utm_campaign=winter` },
      },
    )
    expect(answer).toMatchObject({ status: 201, body: { status: 'created' } })

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Leads' }).click()
    const row = page.getByRole('row', { name: /grace@browser\.test/ })
    await row.waitFor()
    // The campaign's name comes with the list of lead campaigns, which may answer after the leads do.
    await expect.poll(() => row.textContent()).toContain('Browser guide form')
    await row.getByRole('link', { name: 'grace@browser.test' }).click()
    await page.getByRole('heading', { name: 'grace@browser.test' }).waitFor()
    // The consent box's label is stored as the consent text, spacing and all.
    expect(await page.locator('#main .consent-text').first().textContent()).toBe(consent)
    expect(await page.getByRole('region', { name: 'Source' }).textContent()).toContain('newsletter')

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Outbox' }).click()
    const mail = page.locator('article.mail', { hasText: 'grace@browser.test' })
    await mail.waitFor()
    expect(await mail.getByRole('heading').textContent()).toBe('The browser guide')
    expect(await mail.locator('.mail-text').textContent()).toBe('Thanks, the guide is on its way.')
    expect(await mail.locator('.badge').textContent()).toBe('Kept in the outbox')
    expect(await page.getByRole('alert').count()).toBe(0)
    expect(problems).toEqual([])
    await page.close()
  })

  it('creates an engagement campaign with its own editor, drawing the widget in the preview under the strict CSP', async () => {
    const page = await admin.browser.newPage()
    const problems = watchProblems(page)
    await openSignedIn(page, '/admin/campaigns/new?type=engagement')
    await page.getByRole('heading', { name: 'New engagement campaign' }).waitFor()
    await page.getByLabel('Name', { exact: true }).fill('Browser poll')
    await page.getByRole('button', { name: 'Continue to format and creative' }).click()
    await page.getByRole('heading', { name: /Format and creative/ }).waitFor()
    const id = new URL(page.url()).searchParams.get('draft') ?? ''
    await page.getByLabel('Headline', { exact: true }).fill('Which soup tonight?')
    await page.getByLabel('Poll').check()
    await page.getByLabel('Question').fill('Leek or tomato?')
    await page.getByLabel('Answer 1', { exact: true }).fill('Leek')
    await page.getByLabel('Answer 2', { exact: true }).fill('Tomato')

    // The preview is the engagement widget itself, in its shadow root, the poll from its own chunk.
    const unit = page.locator('.preview-slot .preview-host')
    await unit.getByText('Tomato', { exact: true }).waitFor()
    expect(await unit.getByText('Which soup tonight?').count()).toBe(1)

    await page.getByLabel('Placements').fill('article-end')
    await page.getByRole('button', { name: 'Continue to audience and targeting' }).click()
    await page.getByRole('heading', { name: /Audience and targeting/ }).waitFor()
    const saved = await page.evaluate(async (path) => (await fetch(path)).json(), `/api/v1/campaigns/${id}`)
    expect(saved).toMatchObject({
      type: 'engagement',
      status: 'draft',
      placements: ['article-end'],
      config: { engagementTypes: ['like', 'share', 'vote'], poll: { question: 'Leek or tomato?' } },
    })

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Comments' }).click()
    await page.getByRole('heading', { name: 'Comments' }).waitFor()
    await page.getByText('Nothing waits for approval').waitFor()
    expect(await page.getByRole('alert').count()).toBe(0)
    expect(problems).toEqual([])
    await page.close()
  })
})
