import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { demoSession, keys } from '../examples/browser-harness'

const admin = demoSession()

const chrome =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

/** What visitors do after launch, sent as the SDK would: a variant B beside A, and today's impressions of each. */
async function seedTwoVariants(id: string) {
  const origin = admin.server.origin
  const headers = { authorization: `Bearer ${keys.secret}`, 'content-type': 'application/json' }
  const current = (await (await fetch(`${origin}/api/v1/campaigns/${id}`, { headers })).json()) as {
    variants: { id: string; name: string; weight: number; creative: Record<string, unknown> }[]
  }
  const [a] = current.variants
  if (!a) throw new Error('no variant A')
  const patched = await fetch(`${origin}/api/v1/campaigns/${id}`, {
    method: 'PATCH',
    headers,
    body: JSON.stringify({
      variants: [a, { name: 'B', weight: 1, creative: { ...a.creative, headline: 'Get the newsletter' } }],
    }),
  })
  expect(patched.status).toBe(200)
  const { variants } = (await patched.json()) as { variants: { id: string }[] }
  const batch = variants.flatMap((variant, arm) =>
    Array.from({ length: 5 + arm * 3 }, (_, i) => ({
      id: crypto.randomUUID(),
      name: 'impression',
      timestamp: new Date().toISOString(),
      anonymousId: `flow-${arm}-${i}`,
      campaignId: id,
      variantId: variant.id,
    })),
  )
  const sent = await fetch(`${origin}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': chrome },
    body: JSON.stringify({ site: keys.publishable, batch }),
  })
  expect(sent.status).toBe(200)
}

/** Presses Tab until `target` has the focus: what a keyboard user does, and proof that it can be reached. */
async function tabTo(page: Page, target: Locator) {
  for (let press = 0; press < 80; press += 1) {
    if (await target.evaluate((element) => element === document.activeElement)) return
    await page.keyboard.press('Tab')
  }
  throw new Error(`Tab never reached ${target}`)
}

/** Presses `key` (an arrow) until the focused element has the id, as in a radio group. */
async function arrowTo(page: Page, key: string, id: string) {
  for (let press = 0; press < 12; press += 1) {
    if ((await page.evaluate(() => document.activeElement?.id)) === id) return
    await page.keyboard.press(key)
  }
  throw new Error(`${key} never reached #${id}`)
}

/** The focus lands on the new step's heading (after the render that shows it). */
const focusOnStepHeading = (page: Page) =>
  page.waitForFunction(() => document.activeElement?.id === 'step-title', undefined, { timeout: 5_000 })

describe('new campaign by objective, in Chromium, with the keyboard alone', () => {
  it('creates a lead-generation popup for mobile visitors from the newsletter, on a 50% scroll, weekdays 9–17, previews it on the phone, activates it, then reads its chart and experiment readout', async () => {
    const page = await admin.browser.newPage()
    const problems: string[] = []
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text())
    })
    page.on('pageerror', (error) => problems.push(String(error)))

    await page.goto(`${admin.server.origin}/admin/login?next=${encodeURIComponent('/admin/campaigns/new')}`)
    await page.getByLabel('Email').fill(keys.email)
    await page.getByLabel('Password').fill(keys.password)
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'New awareness campaign' }).waitFor()

    // Step 1: the objective (a radio group: Tab into it, arrows within), a template, a name; Enter goes on.
    await tabTo(page, page.locator('#objective-awareness'))
    await arrowTo(page, 'ArrowDown', 'objective-lead_generation')
    await page.getByRole('heading', { name: 'New lead generation campaign' }).waitFor()
    await page.keyboard.press('Tab')
    await arrowTo(page, 'ArrowDown', 'template-exit-intent-newsletter')
    await tabTo(page, page.getByLabel('Name', { exact: true }))
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.type('Newsletter popup for phones')
    await page.keyboard.press('Enter')

    // Step 2: the draft exists, the address names it, the focus is on the step's heading.
    await page.getByRole('heading', { name: /Format and creative/ }).waitFor()
    await focusOnStepHeading(page)
    const id = new URL(page.url()).searchParams.get('draft') ?? ''
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    await tabTo(page, page.getByRole('button', { name: 'Continue to audience and targeting' }))
    await page.keyboard.press('Enter')

    // Audience: the rule builder, by keyboard: mobile visitors arriving from utm_source=newsletter.
    await page.getByRole('heading', { name: /Audience and targeting/ }).waitFor()
    await focusOnStepHeading(page)
    const rules = page.getByRole('region', { name: 'Who sees it' })
    await tabTo(page, rules.getByRole('button', { name: 'Add condition' }).first())
    await page.keyboard.press('Enter')
    // The first "Mobile" is the condition's; the tryout's sample visitor has its own, further down.
    await tabTo(page, rules.getByLabel('Mobile').first())
    await page.keyboard.press('Space')
    await tabTo(page, rules.getByRole('button', { name: 'Add condition' }).first())
    await page.keyboard.press('Enter')
    const secondField = rules.getByLabel('Field').nth(1)
    await tabTo(page, secondField)
    // Type-ahead on the closed select: the first field starting with "UTM s".
    await page.keyboard.type('UTM s')
    expect(await secondField.inputValue()).toBe('utm_source')
    await tabTo(page, rules.getByLabel('UTM source value'))
    await page.keyboard.type('newsletter')
    expect(await page.locator('.targeting-sentence').textContent()).toContain(
      'Visitors on mobile whose utm_source is newsletter.',
    )
    await tabTo(page, page.getByRole('button', { name: 'Continue to trigger' }))
    await page.keyboard.press('Enter')

    // Trigger: from the template's exit intent to a scroll to half the page (its percent starts at 50).
    await page.getByRole('heading', { name: /Trigger/ }).waitFor()
    const trigger = page.getByLabel('When it appears')
    await tabTo(page, trigger)
    for (let press = 0; press < 8 && (await trigger.inputValue()) !== 'scroll'; press += 1)
      await page.keyboard.press('ArrowUp')
    expect(await trigger.inputValue()).toBe('scroll')
    expect(await page.getByLabel('How far down the page (%)').inputValue()).toBe('50')
    await tabTo(page, page.getByRole('button', { name: 'Continue to schedule' }))
    await page.keyboard.press('Enter')

    // Schedule: weekdays 9–17 in Paris, on the grid.
    await page.getByRole('heading', { name: /Schedule/ }).waitFor()
    const hours = page.getByRole('region', { name: 'Days and hours' })
    await tabTo(page, hours.getByLabel('Time zone'))
    await page.keyboard.type('Europe/Paris')
    expect(await hours.getByLabel('Time zone').inputValue()).toBe('Europe/Paris')
    await tabTo(page, hours.getByRole('button', { name: 'Weekdays 9–17' }))
    await page.keyboard.press('Enter')
    expect(await hours.locator('.grid-cell[aria-pressed="true"]').count()).toBe(40)
    // Delivery as it is.
    await tabTo(page, page.getByRole('button', { name: 'Continue to delivery' }))
    await page.keyboard.press('Enter')
    await page
      .getByRole('heading', { name: /Delivery/ })
      .first()
      .waitFor()
    await tabTo(page, page.getByRole('button', { name: 'Continue to review' }))
    await page.keyboard.press('Enter')

    // Review: every choice in a sentence; the form drawn by its own widget in the phone frame.
    await page.getByRole('heading', { name: /Review/ }).waitFor()
    const review = page.locator('.review-list')
    expect(await review.textContent()).toContain('Visitors on mobile whose utm_source is newsletter.')
    expect(await review.textContent()).toContain('Once the visitor has scrolled 50% of the page.')
    await tabTo(page, page.getByRole('radio', { name: 'Desktop' }))
    await page.keyboard.press('ArrowRight')
    await page.locator('.preview-frame.preview-mobile').waitFor()
    const form = page.locator('.preview-page-layer .preview-host')
    await form.getByText('Subscribe', { exact: true }).waitFor()
    const width = await page.locator('.preview-stage').evaluate((stage) => stage.style.width)
    expect(width).toBe('390px')

    await tabTo(page, page.getByRole('button', { name: 'Activate' }))
    await page.keyboard.press('Enter')
    await page.waitForURL(`${admin.server.origin}/admin/campaigns/${id}`)

    const saved = await page.evaluate(async (path) => (await fetch(path)).json(), `/api/v1/campaigns/${id}`)
    expect(saved).toMatchObject({
      type: 'lead_generation',
      status: 'active',
      name: 'Newsletter popup for phones',
      targeting: {
        include: {
          all: [
            { field: 'device', op: 'in', values: ['mobile'] },
            { field: 'utm_source', op: 'equals', value: 'newsletter' },
          ],
        },
      },
      schedule: {
        timezone: 'Europe/Paris',
        dayparting: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' }],
      },
      config: { display: 'popup', trigger: { on: 'scroll', percent: 50 } },
    })

    // Then, once visitors have seen it (a second variant added and impressions seeded by the test), the results
    // chart and the experiment readout, reached with the keyboard.
    await seedTwoVariants(id)
    await tabTo(page, page.getByRole('link', { name: 'Results', exact: true }))
    await page.keyboard.press('Enter')
    await page.waitForURL(`${admin.server.origin}/admin/campaigns/${id}/results`)
    const overTime = page.getByRole('region', { name: 'Over time' })
    await overTime.locator('.chart-canvas canvas').first().waitFor()
    expect(await overTime.locator('.chart-legend li').allTextContents()).toEqual(['A', 'B'])
    await tabTo(page, overTime.getByText('Show the numbers as a table'))
    await page.keyboard.press('Enter')
    expect(await overTime.locator('details tbody tr').last().locator('td').allTextContents()).toEqual([
      '5',
      '8',
    ])
    await tabTo(page, page.getByRole('link', { name: 'Experiments', exact: true }))
    await page.keyboard.press('Enter')
    const readout = page.getByRole('region', { name: 'Newsletter popup for phones' })
    await readout.locator('.experiment-status strong').waitFor()
    expect(await readout.locator('.experiment-status strong').textContent()).toBe(
      'Keep running: no conversions yet',
    )
    expect(problems).toEqual([])
    await page.close()
  })

  it('fits a 390 px phone at every step, its preview scaled into the column', async () => {
    const page = await admin.browser.newPage()
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(`${admin.server.origin}/admin/campaigns/new`)
    if (page.url().includes('/admin/login')) {
      await page.getByLabel('Email').fill(keys.email)
      await page.getByLabel('Password').fill(keys.password)
      await page.keyboard.press('Enter')
    }
    await page.getByRole('heading', { name: 'New awareness campaign' }).waitFor()
    // How far this page's content reaches past the window (the app's top bar is not this page's).
    const overflow = () =>
      page.evaluate(() => {
        const rights = [...document.querySelectorAll('.page *')]
          .filter((element) => !element.closest('.preview-frame'))
          .map((element) => element.getBoundingClientRect().right)
        const frame = document.querySelector('.preview-frame')?.getBoundingClientRect().right ?? 0
        return Math.max(frame, ...rights) - window.innerWidth
      })
    expect(await overflow()).toBeLessThanOrEqual(0)
    await page.getByLabel('Announcement hero').check()
    await page.getByRole('button', { name: 'Continue to format and creative' }).click()
    await page.getByRole('heading', { name: /Format and creative/ }).waitFor()
    expect(await overflow()).toBeLessThanOrEqual(0)
    // The desktop frame lays the page out 1280 px wide and shows it scaled down to the column.
    const stage = page.locator('.preview-stage')
    expect(await stage.evaluate((element) => element.style.width)).toBe('1280px')
    const shown = await stage.boundingBox()
    expect(shown?.width ?? 0).toBeLessThan(390)
    for (const step of ['Audience and targeting', 'Trigger', 'Schedule', 'Delivery', 'Review']) {
      await page.getByRole('button', { name: new RegExp(`^\\d+ ${step}$`) }).click()
      await page
        .getByRole('heading', { name: new RegExp(step) })
        .first()
        .waitFor()
      expect(await overflow()).toBeLessThanOrEqual(0)
    }
    await page.close()
  })
})
