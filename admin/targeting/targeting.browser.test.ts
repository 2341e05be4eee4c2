import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { demoSession, keys } from '../../examples/browser-harness'
import { mobileFromNewsletter, scrollHalfway, weekdaysNineToFive } from './testing/must-show'

const admin = demoSession()
const require = createRequire(import.meta.url)

/** Focus a control the way Tab would reach it, then act with keys only. */
async function keyOn(page: Page, locator: ReturnType<Page['locator']>, ...keysToPress: string[]) {
  await locator.focus()
  for (const key of keysToPress) await page.keyboard.press(key)
}

describe('the targeting, trigger and dayparting editors in Chromium, on a phone, by keyboard', () => {
  it('turn a lead form into a popup for mobile newsletter visitors on a 50% scroll on weekdays 9–17, with no serious axe finding', async () => {
    const page = await admin.browser.newPage()
    await page.setViewportSize({ width: 390, height: 844 })
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(String(error)))
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text())
    })
    // A draft lead form, as the guided flow leaves one; its page holds every editor at once.
    const created = await fetch(`${admin.server.origin}/api/v1/campaigns`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Newsletter popup',
        type: 'lead_generation',
        placements: ['article-inline'],
        config: { fields: [{ name: 'email', type: 'email', label: 'Email', required: true }] },
        variants: [{ name: 'A', weight: 1, creative: { headline: 'Join the newsletter' } }],
      }),
    })
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as { id: string }
    await page.goto(`${admin.server.origin}/admin/campaigns/${id}`)
    const heading = page.getByRole('heading', { name: 'Newsletter popup' })
    const email = page.getByLabel('Email', { exact: true })
    await heading.or(email).first().waitFor()
    if (await email.isVisible()) {
      await email.fill(keys.email)
      await page.getByLabel('Password').fill(keys.password)
      await page.getByRole('button', { name: /sign in/i }).click()
    }
    await heading.waitFor()

    // The form's own editor: from "In a slot on the page", one step down is the popup.
    await keyOn(page, page.getByLabel('Where the form shows'), 'ArrowDown')
    expect(await page.getByLabel('Where the form shows').inputValue()).toBe('popup')

    // Trigger: from "on load", two steps down the list is the scroll trigger; its percent starts at 50.
    await keyOn(page, page.getByLabel('When it appears'), 'ArrowDown', 'ArrowDown')
    expect(await page.getByLabel('How far down the page (%)').inputValue()).toBe('50')

    const targeting = page.getByRole('region', { name: 'Audience and targeting' })
    await keyOn(page, targeting.getByRole('button', { name: 'Add condition' }), 'Enter')
    await keyOn(page, targeting.getByLabel('Mobile'), 'Space')
    await keyOn(page, targeting.getByRole('button', { name: 'Add condition' }).last(), 'Enter')
    const secondField = targeting.getByLabel('Field').nth(1)
    await keyOn(page, secondField)
    // Type-ahead on the closed select: the first field starting with "UTM s".
    await page.keyboard.type('UTM s')
    expect(await secondField.inputValue()).toBe('utm_source')
    await keyOn(page, targeting.getByLabel('UTM source value'))
    await page.keyboard.type('newsletter')
    expect(await targeting.locator('.targeting-sentence').textContent()).toContain(
      'Visitors on mobile whose utm_source is newsletter.',
    )

    const hours = page.getByRole('region', { name: 'Days and hours' })
    await keyOn(page, hours.getByLabel('Time zone'))
    await page.keyboard.type('Europe/Paris')
    expect(await hours.getByLabel('Time zone').inputValue()).toBe('Europe/Paris')
    await keyOn(page, hours.getByRole('button', { name: 'Monday 09:00 to 10:00' }), 'Space')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('Space')
    expect(await hours.locator('.grid-cell[aria-pressed="true"]').count()).toBe(2)
    await keyOn(page, hours.getByRole('button', { name: 'Weekdays 9–17' }), 'Enter')
    expect(await hours.locator('.grid-cell[aria-pressed="true"]').count()).toBe(40)

    // Nothing of these editors is wider than the phone (the admin's top bar is another part's business).
    const wide = await page.evaluate(() =>
      ['.targeting', '.dayparting', '[aria-labelledby="trigger-title"]'].flatMap((selector) => {
        const section = document.querySelector(selector)
        if (!section) return [`${selector} missing`]
        const inside = [section, ...section.querySelectorAll('*')].filter(
          (el) =>
            el.getBoundingClientRect().right > window.innerWidth + 0.5 && !el.closest('.dayparting-scroll'),
        )
        const scroller = section.querySelector('.dayparting-scroll')
        const scrolls =
          scroller && scroller.scrollWidth > scroller.clientWidth ? ['the grid scrolls sideways'] : []
        return [...inside.map((el) => `${el.tagName}.${el.className}`), ...scrolls]
      }),
    )
    expect(wide).toEqual([])

    const axe = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8')
    // Through DevTools, not a script tag: the admin's CSP rightly refuses inline scripts.
    await page.evaluate(axe)
    const violations = await page.evaluate(async () => {
      const run = (
        window as unknown as {
          axe: {
            run: (
              context: unknown,
              options: unknown,
            ) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }>
          }
        }
      ).axe.run
      const result = await run(
        { include: [['.targeting'], ['.dayparting'], ['[aria-labelledby="trigger-title"]']] },
        { resultTypes: ['violations'] },
      )
      return result.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => `${violation.id} (${violation.nodes.length})`)
    })
    expect(violations).toEqual([])

    await keyOn(page, page.getByRole('button', { name: 'Save changes' }), 'Enter')
    await page.getByText('Changes saved.').waitFor()
    const saved = (await (
      await fetch(`${admin.server.origin}/api/v1/campaigns/${id}`, {
        headers: { authorization: `Bearer ${keys.secret}` },
      })
    ).json()) as { targeting: unknown; schedule: unknown; config: { trigger: unknown } }
    expect(saved.targeting).toEqual(mobileFromNewsletter)
    expect(saved.schedule).toEqual(weekdaysNineToFive)
    expect(saved.config.trigger).toEqual(scrollHalfway)
    expect(problems).toEqual([])
    await page.close()
  })
})
