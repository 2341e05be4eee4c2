/**
 * Offers and events as a site gets them, in Chromium against the real server (PostgreSQL when DATABASE_URL is
 * set): a visitor RSVPs to an event with the keyboard alone, and the seat and its confirmation mail are stored; a
 * countdown ends under the page's paused and moved clock (the unit shows its ended text), and once the server's
 * own clock is past the deadline the next serve leaves the unit out. The campaigns are set up through the admin
 * HTTP API with the secret key; the shop is a small site on 127.0.0.1 (added to the site's allowed origins) that
 * pastes the script tag. Needs `npm run build`.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rowsOf } from '../../../api/ports/database'
import { keys, launchChromium, sleep, startServer, until } from '../../../examples/browser-harness'
import { parseIcs } from '../testing/ics'

let promo: Awaited<ReturnType<typeof startServer>>
let browser: Awaited<ReturnType<typeof launchChromium>>
let host: Server
let shop = ''

const pageHtml = () => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Events</title>
<script async src="${promo.origin}/sdk/promo.js" data-site="${keys.publishable}"></script></head>
<body style="margin:0;font:16px sans-serif"><button id="start">Menu</button>
<div data-promo-slot="event-card" style="min-height:500px;max-width:640px"></div>
<div data-promo-slot="offer-slot" style="min-height:200px;max-width:640px"></div></body></html>`

/** The admin HTTP API with the secret key; any answer but a 2xx fails the test. */
async function admin(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${promo.origin}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${keys.secret}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return text ? JSON.parse(text) : undefined
}

beforeAll(async () => {
  promo = await startServer()
  host = createServer((req, res) => {
    if (new URL(req.url ?? '/', 'http://x').pathname === '/events')
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(pageHtml())
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve))
  shop = `http://127.0.0.1:${(host.address() as AddressInfo).port}`
  const [site] = (await admin('GET', '/sites')).data
  await admin('PATCH', `/sites/${site.id}`, { allowedOrigins: [...site.allowedOrigins, shop] })
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.cleanup()
  host?.closeAllConnections()
  await new Promise((resolve) => host?.close(resolve))
  await promo?.close()
})

async function start(name: string, placement: string, config: Record<string, unknown>, headline: string) {
  const campaign = await admin('POST', '/campaigns', {
    name,
    type: 'offer_event',
    placements: [placement],
    config,
    variants: [{ name: 'A', creative: { headline } }],
  })
  await admin('POST', `/campaigns/${campaign.id}/activate`)
  return campaign.id as string
}

describe('offers and events on a real site, in Chromium', () => {
  it('takes an RSVP filled in with the keyboard only, and stores the seat and its mail', async () => {
    const campaignId = await start(
      'Spring meetup',
      'event-card',
      {
        kind: 'event',
        format: 'hero',
        event: {
          startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString().replace('Z', '+00:00'),
          venue: { name: 'Hall 4', city: 'Lyon', country: 'FR' },
          capacity: 20,
        },
      },
      'Spring meetup',
    )
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(String(error)))
    await page.goto(`${shop}/events`)
    const unit = page.locator('[data-promo-slot="event-card"] promo-unit')
    await unit.locator('form').waitFor()
    expect(await unit.locator('.seats').textContent()).toBe('20 seats left')
    // From the page's own button, Tab reaches the email field first; Enter in a field sends the form.
    await page.focus('#start')
    await page.keyboard.press('Tab')
    await page.keyboard.type('ada@example.com')
    await page.keyboard.press('Tab')
    await page.keyboard.type('Ada')
    await page.keyboard.press('Enter')
    await unit.locator('[role=status]').waitFor()
    expect(await unit.locator('[role=status]').textContent()).toContain("You're in")
    const seats = await until(
      async () =>
        rowsOf<{ email: string; first_name: string; status: string; anonymous_id: string | null }>(
          await promo.database.db.execute(
            sql`select email, first_name, status, anonymous_id from rsvps where campaign_id = ${campaignId}`,
          ),
        ),
      (rows) => rows.length === 1,
      'the RSVP row',
    )
    expect(seats[0]).toMatchObject({ email: 'ada@example.com', first_name: 'Ada', status: 'confirmed' })
    // The served visitor proof linked the seat to the browser's visitor.
    expect(seats[0]!.anonymous_id).toBeTruthy()
    const mail = rowsOf<{ attachments: { filename: string; contentType: string; content: string }[] | null }>(
      await promo.database.db.execute(
        sql`select attachments from mail_outbox where "to" = 'ada@example.com'`,
      ),
    )
    expect(mail).toHaveLength(1)
    // The confirmation carries the event as a calendar file that parses as iCalendar, for this very seat.
    const [file] = mail[0]!.attachments ?? []
    expect(file).toMatchObject({ filename: 'invite.ics' })
    expect(file!.contentType).toMatch(/^text\/calendar/)
    const calendar = parseIcs(file!.content)
    const event = calendar.children.find((child) => child.name === 'VEVENT')!
    expect(event.props.find((prop) => prop.name === 'UID')?.value).toMatch(/@/)
    expect(event.props.find((prop) => prop.name === 'DTSTART')?.value).toMatch(/^\d{8}T\d{6}Z$/)
    expect(errors).toEqual([])
    await page.close()
  })

  it('ends a countdown under a paused clock, and the next serve omits the unit', async () => {
    const endsAt = Date.now() + 8_000
    const campaignId = await start(
      'Flash sale',
      'offer-slot',
      {
        kind: 'flash_sale',
        format: 'inline',
        countdown: { endsAt: new Date(endsAt).toISOString(), endedText: 'The sale has ended' },
        offer: { discountPercent: 30, promoCode: 'FLASH30' },
      },
      '30% off, today only',
    )
    const page = await browser.newPage()
    await page.clock.install()
    await page.clock.pauseAt(Date.now())
    await page.goto(`${shop}/events`)
    const unit = page.locator('[data-promo-slot="offer-slot"] promo-unit')
    await unit.locator('.digits').waitFor()
    const before = await unit.locator('.digits').textContent()
    expect(before).toMatch(/^00:00:0[0-9]$/)
    // The paused clock stands still: so does the countdown.
    await sleep(1_500)
    expect(await unit.locator('.digits').textContent()).toBe(before)
    // Moved past the deadline, the clock gives way to the ended text, and the code goes.
    await page.clock.runFor(10_000)
    await unit.locator('.ended').waitFor()
    expect(await unit.locator('.ended').textContent()).toBe('The sale has ended')
    expect(await unit.locator('code').count()).toBe(0)
    await page.close()

    // Once the server's clock is past it too, serving leaves the unit out: the page never gets it.
    await sleep(Math.max(0, endsAt - Date.now() + 200))
    const next = await browser.newPage()
    const served = next.waitForResponse((res) => res.url().endsWith('/api/v1/serve'))
    await next.goto(`${shop}/events`)
    const answer = (await (await served).json()) as { decisions: { campaignId: string }[] }
    expect(answer.decisions.map((d) => d.campaignId)).not.toContain(campaignId)
    await sleep(500)
    expect(await next.locator('[data-promo-slot="offer-slot"] promo-unit').count()).toBe(0)
    await next.close()
  })
})
