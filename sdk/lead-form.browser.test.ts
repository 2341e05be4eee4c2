/**
 * The lead form as a site gets it, in Chromium: the built SDK (IIFE loader and lazy lead_generation chunk) on a
 * page under a strict CSP, against a small fake API. An inline two-step form in its slot is filled in, refused
 * once by the API for its email (the message goes under the field) and then sent; a popup form closes on Escape
 * and gives focus back, counting the visitor who typed and left as an abandon at their last field. Needs
 * `npm run build:sdk` first.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, until } from '../examples/browser-harness'
import { readBody, type SiteFiles, sendJson, startFakeSite } from '../examples/fake-site'
import { leadGenerationConfig } from '../promotions/lead_generation/config'
import { leadGeneration } from '../promotions/lead_generation/server/index'
import type { EventItem } from '../schema/events'
import type { Decision } from '../schema/serve'

const site = 'pk_test_leadform'
const inlineId = '0190a0a0-0000-7000-8000-000000000021'
const popupId = '0190a0a0-0000-7000-8000-000000000022'
const variantId = '0190a0a0-0000-7000-8000-000000000023'
const consentText = 'I agree that Northwind may email me about its products.'
const takenEmail = 'taken@example.com'

/** As the API serves them (see promotions/lead_generation/server/index.ts). */
const served = (config: Record<string, unknown>) =>
  leadGeneration.publicConfig!(leadGenerationConfig.parse(config))
const inlineConfig = served({
  fields: [
    { name: 'email', type: 'email', label: 'Work email', required: true },
    { name: 'name', type: 'text', label: 'Your name' },
    {
      name: 'team',
      type: 'select',
      label: 'Team size',
      required: true,
      step: 1,
      options: [
        { value: 'small', label: '1 to 10' },
        { value: 'large', label: 'More than 10' },
      ],
    },
    { name: 'gdpr', type: 'consent', label: consentText, required: true, step: 1 },
  ],
  stepTitles: ['About you', 'Your team'],
  submitButtonText: 'Get the guide',
  successMessage: 'Check your inbox.',
})
const popupConfig = served({ display: 'popup', successMessage: 'You are on the list.' })

const decisions: Record<string, Decision> = {
  '/': {
    slot: 'article-inline',
    campaignId: inlineId,
    variantId,
    type: 'lead_generation',
    format: 'inline',
    creative: { headline: 'The winter layering guide', body: 'Twelve pages, free.' },
    config: inlineConfig,
  },
  '/popup': {
    campaignId: popupId,
    variantId,
    type: 'lead_generation',
    format: 'popup',
    creative: { headline: 'Get 10% off your first order' },
    config: popupConfig,
  },
}

const page = (slot: string) => `<!doctype html><html><head><title>leads</title>
<link rel="stylesheet" href="/page.css"><script src="/stub.js"></script>
<script async src="/sdk/promo.js" data-site="${site}"></script></head>
<body><button id="opener">before</button>${slot}<p id="below">The page goes on below the form.</p></body></html>`

const files: SiteFiles = {
  // The slot has its room before the form comes, as a site reserves it for a unit: nothing below it moves.
  '/': ['text/html', page('<div data-promo-slot="article-inline" class="slot"></div>')],
  '/popup': ['text/html', page('')],
  '/page.css': ['text/css', '.slot{min-height:600px;max-width:560px}'],
  '/stub.js': [
    'text/javascript',
    `window.violations = []
document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective + ' ' + e.blockedURI))
window.Promo=window.Promo||function(){(Promo.q=Promo.q||[]).push(arguments)}
document.addEventListener('DOMContentLoaded', () => document.getElementById('opener').focus())
window.shifts = []
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) shifts.push(entry.value)
}).observe({ type: 'layout-shift', buffered: true })`,
  ],
}

const leads: Record<string, unknown>[] = []
const events: EventItem[] = []

/** The fake API: a decision by page path, events acknowledged, and a lead refused for one email, else created. */
async function answer(req: IncomingMessage, res: ServerResponse, { pathname: path }: URL) {
  if (req.method !== 'POST' || !path.startsWith('/api/v1/')) return false
  const body = JSON.parse(await readBody(req))
  if (path === '/api/v1/serve') {
    const decision = decisions[new URL(body.context.url).pathname]
    sendJson(res, 200, { decisions: decision ? [decision] : [], ttl: 60 })
  } else if (path === '/api/v1/events') {
    events.push(...body.batch)
    sendJson(res, 200, { accepted: body.batch.length, duplicates: 0, rejected: [] })
  } else if (path === '/api/v1/leads') {
    leads.push(body)
    if (body.fields.email === takenEmail) {
      sendJson(res, 400, {
        error: {
          code: 'validation_failed',
          message: 'fields.email: this address does not take mail',
          details: [{ path: 'fields.email', message: 'this address does not take mail' }],
        },
      })
    } else sendJson(res, 201, { leadId: `lead-${leads.length}`, status: 'created' })
  } else return false
  return true
}

let fakeSite: Awaited<ReturnType<typeof startFakeSite>>
let origin: string
let browser: Awaited<ReturnType<typeof launchChromium>>

beforeAll(async () => {
  fakeSite = await startFakeSite(files, answer)
  origin = fakeSite.origin
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.cleanup()
  await fakeSite?.close()
})

/** A fresh visitor on `path`, with the page's errors and console warnings collected. */
async function open(path: string) {
  const tab = await browser.newPage()
  await tab.setViewportSize({ width: 1280, height: 900 })
  const problems: string[] = []
  tab.on('pageerror', (error) => problems.push(error.message))
  tab.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text())
  })
  await tab.goto(`${origin}${path}`)
  return { tab, problems }
}

/** Navigates away, so the SDK hands its queued events to sendBeacon, and closes the tab. */
async function leave(tab: Page) {
  await tab.goto('about:blank')
  await tab.close()
}

/** The element that has focus, looking into open shadow roots: its id, or its role. */
const focused = (tab: Page) =>
  tab.evaluate(() => {
    let active = document.activeElement
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement
    return active?.id || active?.getAttribute('role') || active?.tagName
  })

const unitEvents = (campaignId: string) =>
  events.filter((event) => event.campaignId === campaignId).map((event) => event.name)

describe('an inline lead form in Chromium under a strict CSP', () => {
  it('is filled in over two steps, shows the API refusal under its field, and is sent', async () => {
    const { tab, problems } = await open('/')
    const unit = '[data-promo-slot="article-inline"] promo-unit'
    await tab.locator(`${unit} #f-email`).waitFor()
    const slotHeight = () =>
      tab.evaluate(() => document.querySelector('.slot')!.getBoundingClientRect().height)
    const before = await slotHeight()
    expect(await tab.locator(`${unit} form p`).first().textContent()).toBe('Step 1 of 2')

    // An invalid step stays put, with the schema's message (its checks chunk arrives with the first focus).
    await tab.click(`${unit} button[type=submit]`)
    await tab.locator(`${unit} #e-email:has-text("required")`).waitFor()
    expect(await tab.getAttribute(`${unit} #f-email`, 'aria-invalid')).toBe('true')
    expect(await focused(tab)).toBe('f-email')

    await tab.fill(`${unit} #f-email`, takenEmail)
    await tab.fill(`${unit} #f-name`, 'Ada')
    await tab.press(`${unit} #f-name`, 'Enter')
    await tab.locator(`${unit} #f-team`).waitFor()
    expect(await tab.locator(`${unit} legend`).textContent()).toBe('Your team')
    await tab.selectOption(`${unit} #f-team`, 'small')
    await tab.check(`${unit} #f-gdpr`)
    await tab.click(`${unit} button[type=submit]`)

    // The API refuses the email: back on the first step, the message under the field.
    await tab.locator(`${unit} #e-email:has-text("does not take mail")`).waitFor()
    expect(await focused(tab)).toBe('f-email')
    await tab.fill(`${unit} #f-email`, 'ada@example.com')
    await tab.press(`${unit} #f-email`, 'Enter')
    await tab.click(`${unit} button[type=submit]`)
    await tab.locator(`${unit} [role=status]`).waitFor()
    expect(await tab.locator(`${unit} [role=status] p`).textContent()).toBe('Check your inbox.')
    expect(await focused(tab)).toBe('status')
    expect(await slotHeight()).toBe(before)

    expect(leads.map((sent) => (sent.fields as { email: string }).email)).toEqual([
      takenEmail,
      'ada@example.com',
    ])
    const lead = leads[1]!
    expect(lead).toMatchObject({
      site,
      campaignId: inlineId,
      variantId,
      fields: { email: 'ada@example.com', name: 'Ada', team: 'small', gdpr: true },
      consent: { granted: true, text: consentText },
      hp: '',
      context: { url: `${origin}/`, referrer: '' },
    })
    expect(lead.elapsedMs).toBeGreaterThan(0)
    expect(lead).not.toHaveProperty('captchaToken')

    await leave(tab)
    const names = await until(
      () => unitEvents(inlineId),
      (seen) => seen.includes('form_start'),
      'the form events',
    )
    expect(names.filter((name) => name.startsWith('form_'))).toEqual(['form_view', 'form_start'])
    // The same visitor as the events: the lead joins their history.
    expect(events.find((event) => event.campaignId === inlineId)!.anonymousId).toBe(lead.anonymousId)
    // Chromium logs the refused request itself; nothing else went wrong.
    expect(problems).toEqual([
      'Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ])
  })

  it('leaves the page where it was: no layout shift, no CSP violation', async () => {
    const { tab, problems } = await open('/')
    await tab.locator('promo-unit #f-email').waitFor()
    await tab.waitForTimeout(500)
    expect(await tab.evaluate(() => (window as unknown as { shifts: number[] }).shifts)).toEqual([])
    expect(await tab.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([])
    // Validation runs zod/mini, which compiles nothing a strict CSP would refuse.
    await tab.click('promo-unit button[type=submit]')
    await tab.locator('promo-unit #e-email:has-text("required")').waitFor()
    expect(await tab.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([])
    expect(problems).toEqual([])
    await tab.close()
  })

  it('counts a visitor who typed and left the page as an abandon at their last field, sent as the page goes', async () => {
    const { tab, problems } = await open('/')
    await tab.fill('promo-unit #f-name', 'Ada')
    await tab.fill('promo-unit #f-email', 'ada@')
    await leave(tab)
    const abandons = await until(
      () => events.filter((event) => event.campaignId === inlineId && event.name === 'form_abandon'),
      (found) => found.length > 0,
      'the abandon event',
    )
    expect(abandons.map((event) => event.props)).toEqual([{ field: 'email' }])
    expect(problems).toEqual([])
  })
})

describe('a popup lead form in Chromium', () => {
  it('closes on Escape, gives focus back, and counts the typed-in form as abandoned at its field', async () => {
    const { tab, problems } = await open('/popup')
    const dialog = tab.locator('promo-unit [role=dialog]')
    await dialog.waitFor()
    expect(await focused(tab)).toBe('dialog')
    await tab.fill('promo-unit #f-email', 'ada@')
    await tab.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    expect(await focused(tab)).toBe('opener')
    await leave(tab)
    await until(
      () => events.filter((event) => event.campaignId === popupId && event.name === 'form_abandon'),
      (found) => found.length > 0,
      'the abandon event',
    )
    const abandons = events.filter((event) => event.campaignId === popupId && event.name === 'form_abandon')
    expect(abandons.map((event) => event.props)).toEqual([{ field: 'email' }])
    expect(unitEvents(popupId)).toContain('close')
    expect(problems).toEqual([])
  })

  it('is filled in and sent, then closes on Escape with focus back where it was', async () => {
    const { tab, problems } = await open('/popup')
    await tab.locator('promo-unit [role=dialog]').waitFor()
    await tab.fill('promo-unit #f-email', 'grace@example.com')
    await tab.keyboard.press('Enter')
    await tab.locator('promo-unit [role=status]:has-text("You are on the list.")').waitFor()
    expect(leads.at(-1)).toMatchObject({
      campaignId: popupId,
      fields: { email: 'grace@example.com' },
      hp: '',
    })
    expect(leads.at(-1)).not.toHaveProperty('consent')
    await tab.keyboard.press('Escape')
    await tab.locator('promo-unit [role=dialog]').waitFor({ state: 'detached' })
    expect(await focused(tab)).toBe('opener')
    expect(problems).toEqual([])
    await tab.close()
  })
})
