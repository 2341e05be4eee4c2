/**
 * Issue 7's must-show, against the real server in Chromium: a lead form shown as a popup on the demo shop is
 * filled with the keyboard alone, refused with messages a screen reader gets, then sent. The lead is stored once,
 * its confirmation waits in the outbox and a local receiver gets the signed webhook. The same email again is the
 * same lead with a second submission; a submit with the honeypot filled looks like a success and stores nothing.
 * Everything is set up through the admin API with the secret key, as a site owner would.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { count, eq } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { leadSubmissions, leads, mailOutbox, webhookDeliveries } from '../schema/db'
import { demoSession, keys, sleep, until } from './browser-harness'

const demo = demoSession()

const consentText = 'Email me winter offers from Northwind'
const successMessage = 'Thanks! Your first letter is on its way.'
const email = 'ada@example.com'

/** What a webhook receiver on this machine got: each request's headers and its body exactly as sent. */
interface Received {
  headers: Record<string, string | string[] | undefined>
  body: string
}

function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      res.writeHead(204).end()
    })
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({ server, url: `http://127.0.0.1:${port}/promo-hook`, received })
    }),
  )
}

/** The receiver's own check, written from the documented header rather than with the API's helper. */
function signatureOf(header: string): { t: number; v1: string } {
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=', 2) as [string, string]))
  return { t: Number(parts.t), v1: parts.v1 ?? '' }
}
function signedBy(secret: string, header: string, body: string): boolean {
  const { t, v1 } = signatureOf(header)
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest()
  const given = Buffer.from(v1, 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

async function admin(path: string, body?: unknown) {
  const res = await fetch(`${demo.server.origin}/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${keys.secret}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const answer = (await res.json()) as Record<string, unknown>
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(answer)}`)
  return answer
}

/** The element that has focus, looked for through the popup's shadow root. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let active = document.activeElement
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement
    return {
      id: active?.id ?? '',
      tag: active?.tagName.toLowerCase() ?? '',
      label: active?.getAttribute('aria-label') ?? active?.textContent?.trim() ?? '',
      inDialog: Boolean(active?.closest('[role="dialog"]')),
    }
  })

/** Where focus is, as a short name: a field's id, or a button's text or label. */
const focusName = async (page: Page) => {
  const f = await focused(page)
  return f.id || `${f.tag}:${f.label}`
}

/**
 * What the browser hands a screen reader for the focused element: Chromium's accessibility tree, which is what
 * assistive technology reads, rather than the attributes that are meant to feed it.
 */
async function focusedForScreenReader(page: Page) {
  const cdp = await page.context().newCDPSession(page)
  try {
    const { result } = await cdp.send('Runtime.evaluate', {
      expression: `(() => {
        let active = document.activeElement
        while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement
        return active
      })()`,
    })
    const { node } = await cdp.send('DOM.describeNode', { objectId: result.objectId! })
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', {
      backendNodeId: node.backendNodeId,
      fetchRelatives: false,
    })
    const [ax] = nodes
    const property = (name: string) => ax?.properties?.find((p) => p.name === name)?.value.value
    return {
      role: ax?.role?.value,
      name: ax?.name?.value,
      description: ax?.description?.value,
      invalid: property('invalid'),
      required: property('required'),
    }
  } finally {
    await cdp.detach()
  }
}

/** A field of the popup: whether it is marked invalid, and the text of what `aria-describedby` points at. */
const fieldState = (page: Page, id: string) =>
  page.evaluate((id) => {
    const root = [...document.querySelectorAll('promo-unit')]
      .map((host) => host.shadowRoot)
      .find((shadow) => shadow?.querySelector('[role="dialog"]'))
    const field = root?.getElementById(id)
    const describedBy = field?.getAttribute('aria-describedby') ?? ''
    const message = describedBy ? root?.getElementById(describedBy) : null
    return { invalid: field?.getAttribute('aria-invalid') ?? null, message: message?.textContent ?? null }
  }, id)

/** The text of the popup's live regions: what a screen reader reads out as it appears, wherever focus is. */
const liveText = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('promo-unit')]
      .flatMap((host) => [
        ...(host.shadowRoot?.querySelectorAll(
          '[role="dialog"] :is([role="alert"],[role="status"],[aria-live]:not([aria-live="off"]))',
        ) ?? []),
      ])
      .map((region) => region.textContent ?? '')
      .join(' '),
  )

const popupText = async (page: Page) => (await page.locator('promo-unit [role="dialog"]').textContent()) ?? ''

const sleepUntil = (at: number) => sleep(Math.max(0, at - Date.now()))

describe('a popup lead form on the demo shop (issue 7)', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>
  let secret = ''
  let campaignId = ''
  /** Lead submits the pages sent, the last one's body; the API allows five a minute from one address. */
  let posts = 0
  let lastPost: { hp?: string; elapsedMs?: number } = {}

  beforeAll(async () => {
    receiver = await startReceiver()
    const hook = await admin('/webhooks', { url: receiver.url })
    secret = String(hook.secret)
    expect(secret).toMatch(/^whsec_/)
    const campaign = await admin('/campaigns', {
      type: 'lead_generation',
      name: 'Winter letters popup',
      config: {
        display: 'popup',
        fields: [
          { name: 'email', type: 'email', label: 'Email', required: true },
          { name: 'first_name', type: 'text', label: 'First name' },
          { name: 'consent', type: 'consent', label: consentText, required: true },
          {
            name: 'interest',
            type: 'select',
            label: 'I shop for',
            options: [
              { value: 'women', label: 'Women' },
              { value: 'men', label: 'Men' },
            ],
          },
        ],
        submitButtonText: 'Sign me up',
        successMessage,
      },
      variants: [
        { name: 'A', creative: { headline: 'Winter letters', body: 'Early access to every sale.' } },
      ],
    })
    campaignId = String(campaign.id)
    await admin(`/campaigns/${campaignId}/activate`)
  })

  afterAll(async () => {
    await new Promise((resolve) => receiver?.server.close(resolve))
  })

  /**
   * A visitor the SDK has never seen (no stored ids, so a new session whose popup budget is unspent) opens the
   * demo shop; the popup appears and takes focus. Returns the page and when the form had been shown for 2 s.
   */
  async function newVisitor() {
    const page = await demo.browser.newPage()
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Storage.clearDataForOrigin', {
      origin: demo.server.origin,
      storageTypes: 'local_storage',
    })
    await cdp.detach()
    page.on('request', (request) => {
      if (request.method() !== 'POST' || !request.url().endsWith('/api/v1/leads')) return
      posts++
      lastPost = JSON.parse(request.postData() ?? '{}')
    })
    await page.goto(`${demo.server.origin}/demo/`)
    const dialog = page.locator('promo-unit [role="dialog"]')
    await dialog.waitFor()
    const readyAt = Date.now() + 2_100
    await until(
      () => focused(page),
      (f) => f.inDialog,
      'focus inside the popup',
    )
    return { page, readyAt }
  }

  const leadsOfSite = async () => (await demo.server.database.db.select({ n: count() }).from(leads))[0]!.n
  const submissionsOfForm = async () =>
    (
      await demo.server.database.db
        .select({ n: count() })
        .from(leadSubmissions)
        .where(eq(leadSubmissions.campaignId, campaignId))
    )[0]!.n
  const outboxFor = (to: string) =>
    demo.server.database.db.select().from(mailOutbox).where(eq(mailOutbox.to, to))
  const deliveries = async () =>
    (await demo.server.database.db.select({ n: count() }).from(webhookDeliveries))[0]!.n

  it('is filled by keyboard, refused with messages a screen reader gets, then stored, mailed and signed to the webhook', async () => {
    const { page, readyAt } = await newVisitor()
    expect(await page.locator('promo-unit [role="dialog"]').getAttribute('aria-modal')).toBe('true')

    // One lap of Tab: every field, submit and close, then back to the start; never the hidden honeypot.
    const lap: string[] = []
    for (let i = 0; i < 7; i++) {
      await page.keyboard.press('Tab')
      lap.push(await focusName(page))
    }
    expect(lap).toEqual([
      'f-email',
      'f-first_name',
      'f-consent',
      'f-interest',
      'button:Sign me up',
      'button:Close',
      'f-email',
    ])

    // A typo in the email and the consent box left empty.
    await page.keyboard.type('ada@example')
    await page.keyboard.press('Tab')
    await page.keyboard.type('Ada')
    await page.keyboard.press('Tab') // consent, left unticked
    await page.keyboard.press('Tab')
    await page.keyboard.press('ArrowDown') // a closed select steps to its next option: Women
    await page.keyboard.press('Tab')
    expect(await focusName(page)).toBe('button:Sign me up')
    await page.keyboard.press('Enter')

    // Focus goes to the first field in error, and the screen reader reads its label, state and message.
    await until(
      () => focusName(page),
      (name) => name === 'f-email',
      'focus on the email field in error',
    )
    expect(await focusedForScreenReader(page)).toEqual({
      role: 'textbox',
      name: 'Email',
      description: 'must be an email address',
      invalid: 'true',
      required: true,
    })
    expect(await fieldState(page, 'f-email')).toMatchObject({
      invalid: 'true',
      message: 'must be an email address',
    })
    expect(await fieldState(page, 'f-consent')).toMatchObject({
      invalid: 'true',
      message: 'consent is required',
    })
    // The browser checked the form with the API's own schema: nothing was sent.
    expect(posts).toBe(0)

    // Fix both and send, still by keyboard, once a person could have read the form.
    await page.keyboard.press('End')
    await page.keyboard.type('.com')
    expect((await fieldState(page, 'f-email')).invalid).toBe(null)
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    expect(await focusName(page)).toBe('f-consent')
    await page.keyboard.press('Space')
    expect((await fieldState(page, 'f-consent')).invalid).toBe(null)
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    await sleepUntil(readyAt)
    await page.keyboard.press('Enter')

    await until(
      () => popupText(page),
      (text) => text.includes(successMessage),
      'the thank-you',
    )
    // The thank-you is a status message and takes focus, so it is read out.
    expect(await focused(page)).toMatchObject({ inDialog: true, label: successMessage })
    expect(await page.locator('promo-unit [role="dialog"] [role="status"]').textContent()).toBe(
      successMessage,
    )
    expect(await liveText(page)).toContain(successMessage)
    expect(posts).toBe(1)

    const db = demo.server.database.db
    const [lead, ...otherLeads] = await db.select().from(leads)
    expect(otherLeads).toEqual([])
    expect(lead).toMatchObject({
      email,
      fields: { email, first_name: 'Ada', consent: true, interest: 'women' },
      consent: { granted: true, text: consentText },
      submissions: 1,
    })
    const submissions = await db.select().from(leadSubmissions).where(eq(leadSubmissions.leadId, lead!.id))
    expect(submissions.map((s) => s.campaignId)).toEqual([campaignId])
    expect(await outboxFor(email)).toEqual([
      expect.objectContaining({ leadId: lead!.id, status: 'outbox', text: successMessage }),
    ])

    // The first attempt is made right after the submit (the server's 10 s rounds are for retries).
    const [hook] = await until(
      () => receiver.received,
      (got) => got.length >= 1,
      'the webhook at the receiver',
      20_000,
    )
    const signature = String(hook!.headers['promo-signature'])
    expect(signedBy(secret, signature, hook!.body)).toBe(true)
    expect(signedBy(`${secret}x`, signature, hook!.body)).toBe(false)
    expect(Math.abs(Date.now() / 1000 - signatureOf(signature).t)).toBeLessThan(60)
    expect(hook!.headers['promo-event']).toBe('lead.created')
    const payload = JSON.parse(hook!.body)
    expect(payload).toMatchObject({
      type: 'lead.created',
      data: { lead: { id: lead!.id, email }, campaign: { id: campaignId } },
    })
    const delivered = await until(
      () => db.select().from(webhookDeliveries),
      (rows) => rows[0]?.status === 'succeeded',
      'the delivery logged as succeeded',
    )
    expect(delivered).toEqual([
      expect.objectContaining({ event: 'lead.created', status: 'succeeded', attempts: 1, lastStatus: 204 }),
    ])
    await page.close()
  })

  it('keeps one lead with two submissions when the same email comes back as a new visitor', async () => {
    const { page, readyAt } = await newVisitor()
    await page.keyboard.press('Tab')
    await page.keyboard.type('Ada@Example.COM')
    await page.keyboard.press('Tab')
    await page.keyboard.type('Augusta')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Space')
    await sleepUntil(readyAt)
    // Enter in a text field sends the form, as in any form with a submit button.
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('Enter')
    await until(
      () => popupText(page),
      (text) => text.includes(successMessage),
      'the thank-you',
    )

    const db = demo.server.database.db
    const all = await db.select().from(leads)
    expect(all).toEqual([
      expect.objectContaining({
        email,
        submissions: 2,
        fields: expect.objectContaining({ first_name: 'Augusta' }),
      }),
    ])
    const submissions = await db
      .select({ fields: leadSubmissions.fields })
      .from(leadSubmissions)
      .where(eq(leadSubmissions.leadId, all[0]!.id))
      .orderBy(leadSubmissions.createdAt)
    expect(submissions.map((s) => s.fields.first_name)).toEqual(['Ada', 'Augusta'])

    const updates = await until(
      () => receiver.received,
      (got) => got.length >= 2,
      'the second webhook',
      20_000,
    )
    const update = updates[1]!
    expect(signedBy(secret, String(update.headers['promo-signature']), update.body)).toBe(true)
    expect(JSON.parse(update.body)).toMatchObject({
      type: 'lead.updated',
      data: { lead: { email, fields: { first_name: 'Augusta' } } },
    })
    await page.close()
  })

  it('answers a submit with the honeypot filled like any other, and stores nothing', async () => {
    const before = {
      leads: await leadsOfSite(),
      submissions: await submissionsOfForm(),
      deliveries: await deliveries(),
      received: receiver.received.length,
      posts,
    }
    const { page, readyAt } = await newVisitor()
    await page.keyboard.press('Tab')
    await page.keyboard.type('bot@example.com')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Space')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    expect(await focusName(page)).toBe('button:Sign me up')
    // What a form-filling script does: it fills every input it finds, the one people never see included.
    const trapped = await page.evaluate(() => {
      const trap = [...document.querySelectorAll('promo-unit')]
        .map((host) => host.shadowRoot?.querySelector<HTMLInputElement>('[role="dialog"] .hp input'))
        .find(Boolean)!
      trap.value = 'https://spam.example'
      return trap.name
    })
    expect(trapped).toBe('website')
    // Slow enough that only the honeypot gives it away.
    await sleepUntil(readyAt)
    await page.keyboard.press('Enter')
    await until(
      () => popupText(page),
      (text) => text.includes(successMessage),
      'the thank-you',
    )
    expect(posts).toBe(before.posts + 1)
    expect(lastPost).toMatchObject({ hp: 'https://spam.example', elapsedMs: expect.any(Number) })
    expect(lastPost.elapsedMs).toBeGreaterThanOrEqual(2_000)

    expect(await leadsOfSite()).toBe(before.leads)
    expect(await submissionsOfForm()).toBe(before.submissions)
    expect(
      await demo.server.database.db.select().from(leads).where(eq(leads.email, 'bot@example.com')),
    ).toEqual([])
    expect(await outboxFor('bot@example.com')).toEqual([])
    expect(await deliveries()).toBe(before.deliveries)
    expect(receiver.received.length).toBe(before.received)
    await page.close()
  })

  it('announces the email error when Enter is pressed inside the invalid field: the line is a live region', async () => {
    const { page } = await newVisitor()
    await page.keyboard.press('Tab')
    await page.keyboard.type('ada@example')
    await page.keyboard.press('Enter')
    await until(
      () => fieldState(page, 'f-email'),
      (state) => state.invalid === 'true' && state.message === 'must be an email address',
      'the email message',
    )
    expect(await focusName(page)).toBe('f-email')
    expect(await liveText(page), 'the message in a live region').toContain('must be an email address')
    await page.close()
  })
})
