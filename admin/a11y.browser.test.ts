import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { demoSession, keys } from '../examples/browser-harness'
import { type AdminScreen, adminScreens } from './testing/screens'

/**
 * Every admin screen in Chromium, at a desktop's and a phone's width and in the dark scheme: axe-core finds no
 * serious or critical violation, every control shows a focus ring and the page never scrolls sideways. Then the
 * campaigns list, a campaign and its results with the keyboard alone, focus landing on each new screen's
 * heading, and the demo shop with its promotions. The screens come from admin/testing/screens.ts: a new page is
 * one line there.
 */
const admin = demoSession()
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
/** Each pass opens every screen; the focus rings are checked once, on the desktop. */
const passes = [
  { device: 'desktop', width: 1280, colorScheme: 'light', rings: true },
  { device: 'phone', width: 390, colorScheme: 'light', rings: false },
  { device: 'desktop', width: 1280, colorScheme: 'dark', rings: false },
] as const
let screens: AdminScreen[] = []

const browserAgent =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'

beforeAll(async () => {
  screens = adminScreens(Object.entries(admin.ids).map(([name, id]) => ({ id, name })))
  // A lead, so the leads list has an item page to open.
  const lead = await fetch(`${admin.server.origin}/api/v1/leads`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'user-agent': browserAgent },
    body: JSON.stringify({
      site: keys.publishable,
      campaignId: admin.ids['Winter guide form'],
      fields: { email: 'ada@a11y.test', first_name: 'Ada', consent: true },
      elapsedMs: 4_000,
      context: { url: `${admin.server.origin}/demo/guide?utm_source=newsletter` },
    }),
  })
  expect(lead.status).toBe(201)
  // Products, so the catalog's table (a priced one and a bare one) is checked too.
  const products = await fetch(`${admin.server.origin}/api/v1/products`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${keys.secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      products: [
        {
          id: 'SCARF-1',
          title: 'Wool scarf',
          url: `${admin.server.origin}/demo/scarf`,
          price: 29.9,
          currency: 'EUR',
          availability: 'in_stock',
          category: 'Winter',
        },
        { id: 'HAT-2', title: 'Knitted hat', url: `${admin.server.origin}/demo/hat` },
      ],
    }),
  })
  expect(products.status).toBe(200)
})

async function signIn(page: Page) {
  await page.goto(`${admin.server.origin}/admin/login`)
  // With a session the login page leads on to the campaigns by itself.
  await page.waitForFunction(() => document.querySelector('#main h1'))
  if (!page.url().includes('/admin/login')) return
  await page.getByLabel('Email').fill(keys.email)
  await page.getByLabel('Password').fill(keys.password)
  await page.getByRole('button', { name: /sign in/i }).click()
  await page.getByRole('heading', { name: 'Campaigns' }).waitFor()
}

/** Waits until the screen shows its (new) heading and nothing on it says it is still loading. */
async function settled(page: Page) {
  await page.waitForFunction(() => {
    const main = document.querySelector('#main')
    return (
      Boolean(main?.querySelector('h1:not([data-left])')) && !/Loading[^\n]*…/.test(main?.textContent ?? '')
    )
  })
}

/**
 * Goes to `path` the way the admin's own links do (pushState and the router's event), once the app runs: the
 * page, and axe-core injected into it, stay loaded. The screen left behind has its heading marked, so the wait
 * is for the new screen's.
 */
async function visit(page: Page, path: string) {
  // Another screen of the running app (the same path with another query keeps its screen: loaded afresh).
  const inApp = await page.evaluate((to) => {
    const here = location.pathname
    return (
      here.startsWith('/admin/') && !here.endsWith('/login') && new URL(to, location.href).pathname !== here
    )
  }, path)
  if (!inApp) {
    await page.goto(`${admin.server.origin}${path}`)
    return settled(page)
  }
  await page.evaluate((to) => {
    document.querySelector('#main h1')?.setAttribute('data-left', '')
    history.pushState(null, '', to)
    window.dispatchEvent(new Event('promo:navigate'))
  }, path)
  await settled(page)
}

async function open(page: Page, screen: AdminScreen) {
  await visit(page, screen.path)
  if (!screen.firstItem) return
  const href = await page
    .locator(`#main a[href^="${screen.path}/"]`)
    .first()
    .getAttribute('href', { timeout: 5_000 })
  await visit(page, href ?? '')
}

interface Violation {
  id: string
  impact: string
  help: string
  nodes: { target: unknown[] }[]
}

/** axe-core's serious and critical findings on the page, one line each. */
async function axeProblems(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource)
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: Violation[] }> } }).axe
    return (await axe.run()).violations
  })
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.impact} ${violation.id} (${violation.help}): ${violation.nodes
          .slice(0, 3)
          .map((node) => JSON.stringify(node.target))
          .join(', ')}`,
    )
}

/**
 * The controls that show no focus ring when focused from the keyboard (an outline on the control, or on the
 * label's visible part beside a hidden radio), by their text or name.
 */
async function focusWithoutRing(page: Page): Promise<string[]> {
  // A key press first, so Chromium treats the programmatic focus below as keyboard focus (:focus-visible).
  await page.keyboard.press('Shift')
  return page.evaluate(() => {
    const selector =
      'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'
    const ringed = (element: Element | null) => {
      if (!element) return false
      const style = getComputedStyle(element)
      return (
        (style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) > 0) ||
        style.boxShadow !== 'none'
      )
    }
    const missing: string[] = []
    for (const element of document.querySelectorAll<HTMLElement>(selector)) {
      if (element.offsetParent === null && getComputedStyle(element).position !== 'fixed') continue
      element.focus()
      if (document.activeElement !== element) continue
      const hidden = getComputedStyle(element).opacity === '0'
      if (!ringed(hidden ? element.nextElementSibling : element))
        missing.push(
          `${element.tagName.toLowerCase()} “${(element.textContent || element.getAttribute('aria-label') || element.getAttribute('name') || '').trim().slice(0, 40)}”`,
        )
    }
    ;(document.activeElement as HTMLElement | null)?.blur()
    return missing
  })
}

/** How far the page scrolls sideways, in CSS pixels; 0 when everything fits. */
const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)

/** The innermost elements reaching past the window's right edge (outside scrolling boxes), to name the culprit. */
const widestElements = (page: Page) =>
  page.evaluate(() => {
    const edge = document.documentElement.clientWidth
    const inScroller = (element: Element) => {
      for (let at = element.parentElement; at; at = at.parentElement) {
        const style = getComputedStyle(at)
        if (style.overflowX === 'auto' || style.overflowX === 'scroll' || style.overflowX === 'hidden')
          return true
      }
      return false
    }
    const beyond = [...document.body.querySelectorAll('*')].filter(
      (element) => element.getBoundingClientRect().right > edge + 1,
    )
    // Those outside scrolling boxes first; else those inside (an absolutely placed child escapes its scroller
    // when the scroller is not what it is placed against).
    const outside = beyond.filter((element) => !inScroller(element))
    const past = outside.length ? outside : beyond
    return past
      .filter((element) => !past.some((other) => other !== element && element.contains(other)))
      .slice(0, 3)
      .map(
        (element) =>
          `${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).trim().split(/\s+/).join('.')}` : ''}`,
      )
  })

describe('the admin’s accessibility in Chromium', () => {
  for (const { device, width, colorScheme, rings } of passes) {
    it(`has no serious or critical axe violation and no sideways scroll on any screen at ${width} px (${device}, ${colorScheme})`, async () => {
      const page = await admin.browser.newPage()
      await page.setViewportSize({ width, height: 800 })
      // Without motion, axe reads the previews' settled colours.
      await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' })
      const problems: string[] = []
      // Signed out first: the login screen; then every screen with a session.
      await admin.browser.clearCookies()
      const signedOut = screens.filter((screen) => screen.signedOut)
      const signedIn = screens.filter((screen) => !screen.signedOut)
      for (const screen of [...signedOut, ...signedIn]) {
        if (screen === signedIn[0]) await signIn(page)
        try {
          await open(page, screen)
        } catch (error) {
          // Named, so a screen that never finishes loading is found at once; the next one starts afresh.
          problems.push(`${screen.name}: never finished loading (${String(error).split('\n')[0]})`)
          await page.goto('about:blank')
          continue
        }
        for (const problem of await axeProblems(page)) problems.push(`${screen.name}: ${problem}`)
        if (rings)
          for (const control of await focusWithoutRing(page))
            problems.push(`${screen.name}: ${control} shows no focus ring`)
        const overflow = await sidewaysOverflow(page)
        if (overflow > 0)
          problems.push(
            `${screen.name}: the page scrolls ${overflow} px sideways (${(await widestElements(page)).join(', ')})`,
          )
      }
      expect(problems).toEqual([])
      expect(screens.length).toBeGreaterThan(15)
      await page.close()
    })
  }

  it('finds what it looks for: an unnamed button, faint text and a control without a focus ring', async () => {
    const page = await admin.browser.newPage()
    await signIn(page)
    await settled(page)
    // Styled through the CSSOM: the admin's CSP refuses style attributes in markup.
    await page.evaluate(() => {
      const main = document.querySelector('#main')!
      const button = document.createElement('button')
      button.type = 'button'
      button.style.outline = 'none'
      button.style.boxShadow = 'none'
      const faint = document.createElement('p')
      faint.textContent = 'faint'
      faint.style.color = '#ddd'
      faint.style.background = '#fff'
      main.append(button, faint)
    })
    const found = await axeProblems(page)
    expect(found.some((line) => line.includes('button-name'))).toBe(true)
    expect(found.some((line) => line.includes('color-contrast'))).toBe(true)
    expect(await focusWithoutRing(page)).toEqual(['button “”'])
    await page.close()
  })

  it('goes from the campaigns list to a campaign and its results with the keyboard alone, focus on each heading', async () => {
    const hero = admin.ids['Winter sale hero']!
    const page = await admin.browser.newPage()
    await signIn(page)
    await settled(page)
    const focused = () =>
      page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null
        const style = element ? getComputedStyle(element) : undefined
        return {
          tag: element?.tagName.toLowerCase() ?? '',
          text: element?.textContent?.trim() ?? '',
          ring: style ? style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) > 0 : false,
        }
      })
    /** Tabs forward until the link named `name` has focus; it must show its focus ring. */
    const tabTo = async (name: string) => {
      for (let presses = 0; presses < 80; presses++) {
        await page.keyboard.press('Tab')
        const now = await focused()
        if (now.tag === 'a' && now.text === name) {
          expect(now.ring, `${name} shows a focus ring`).toBe(true)
          return
        }
      }
      throw new Error(`Tab never reached the link “${name}”`)
    }
    const headingFocused = (name: string) =>
      page.waitForFunction(
        (text) => document.activeElement?.tagName === 'H1' && document.activeElement.textContent === text,
        name,
      )

    // The first Tab reaches the skip link, which moves focus to the main region.
    await page.keyboard.press('Tab')
    expect(await focused()).toMatchObject({ tag: 'a', text: 'Skip to content', ring: true })
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main')

    await tabTo('Winter sale hero')
    await page.keyboard.press('Enter')
    await page.waitForURL(`${admin.server.origin}/admin/campaigns/${hero}`)
    await headingFocused('Winter sale hero')
    await page.waitForFunction(() => document.title.startsWith('Winter sale hero'))

    await tabTo('Results')
    await page.keyboard.press('Enter')
    await page.waitForURL(`${admin.server.origin}/admin/campaigns/${hero}/results`)
    await headingFocused('Winter sale hero')
    await page.getByLabel('Key results').waitFor()

    // Back to the list through the main navigation: focus on its heading again.
    await page.keyboard.press('Shift+Tab')
    await tabTo('Campaigns')
    await page.keyboard.press('Enter')
    await page.waitForURL(`${admin.server.origin}/admin/campaigns`)
    await headingFocused('Campaigns')
    await page.close()
  })

  it('scrolls a wide table inside its card on a phone, the card then reachable with Tab, and not on a desktop', async () => {
    const page = await admin.browser.newPage()
    await signIn(page)
    const card = page.locator('#main .table-card').first()
    const read = () =>
      card.evaluate((box) => ({
        scrolls: box.scrollWidth > box.clientWidth,
        tabindex: box.getAttribute('tabindex'),
        pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      }))
    await page.setViewportSize({ width: 390, height: 800 })
    await page.waitForFunction(
      () => document.querySelector('#main .table-card')?.getAttribute('tabindex') === '0',
    )
    expect(await read()).toEqual({ scrolls: true, tabindex: '0', pageOverflow: 0 })
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.waitForFunction(() => !document.querySelector('#main .table-card')?.hasAttribute('tabindex'))
    expect(await read()).toEqual({ scrolls: false, tabindex: null, pageOverflow: 0 })
    await page.close()
  })

  it('keeps the demo shop, with its running promotions, accessible and free of sideways scroll on a phone and a desktop', async () => {
    const page = await admin.browser.newPage()
    const problems: string[] = []
    // Units slide and fade in; without motion, axe reads their settled colours.
    await page.emulateMedia({ reducedMotion: 'reduce' })
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 844 })
      await page.goto(`${admin.server.origin}/demo/`)
      // The hero in its slot and the sticky bar on the page, each in its own shadow root.
      await page.getByText('Winter sale: up to 40% off').waitFor()
      await page.getByText('Free shipping on orders over €50').waitFor()
      for (const problem of await axeProblems(page)) problems.push(`demo at ${width} px: ${problem}`)
      const overflow = await sidewaysOverflow(page)
      if (overflow > 0) problems.push(`demo at ${width} px: the page scrolls ${overflow} px sideways`)
    }
    expect(problems).toEqual([])
    await page.close()
  })
})
