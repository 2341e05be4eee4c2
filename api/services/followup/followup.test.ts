import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { confirmationFor } from '../../../promotions/lead_generation/server/confirmation'
import * as api from '../../../schema/api'
import { leads, mailOutbox } from '../../../schema/db'
import { HttpMailer } from '../../adapters/mail'
import { publicOnlyFetch } from '../../adapters/webhook-fetch'
import { fakeReceiver, followUpApp, leadEvent } from '../../testing/followup'
import { client, createHarness, type Harness, login, readJson } from '../../testing/harness'
import { followUp, guardWebhooks } from './index'
import type { LeadEvent } from './types'
import { verifySignature } from './webhooks'

const mailPage = api.pageOf(api.mail)

let h: Harness
let f: ReturnType<typeof followUpApp>
beforeAll(async () => {
  h = await createHarness()
  f = followUpApp(h)
})
afterAll(() => h.close())

/** A stored lead (the outbox row refers to it) and its event. */
async function storedLead(siteId: string, email: string, overrides: Partial<LeadEvent> = {}) {
  const [lead] = await h.database.db
    .insert(leads)
    .values({
      siteId,
      email,
      fields: { email },
      score: 10,
      grade: 'D',
      source: { utm: {}, referrer: null, url: null },
    })
    .returning()
  const event = leadEvent(siteId, overrides)
  return { ...event, lead: { ...event.lead, id: lead!.id, email } }
}

const mailTo = async (to: string) => h.database.db.select().from(mailOutbox).where(eq(mailOutbox.to, to))

const confirmation = { subject: 'Your winter guide', text: 'Thanks for signing up, Ada.' }
const offer = { title: 'The winter guide', assetUrl: 'https://cdn.shop.example/guide.pdf' }

describe('followUp', () => {
  it('answers a signed download link and keeps the confirmation, with the link, in the outbox', async () => {
    const local = followUpApp(h, { publicUrl: 'http://localhost:8787' })
    const event = await storedLead(h.a.siteId, 'ada@example.com', { confirmation, offer })
    const result = await followUp(local.services, event)
    expect(result.download?.url).toMatch(/^http:\/\/localhost:8787\/d\/[\w-]+\.[\w-]+$/)
    expect(result.download?.expiresAt).toBe(new Date(h.now.value + 24 * 3_600_000).toISOString())

    const redirect = await f.app.request(new URL(result.download!.url).pathname)
    expect(redirect.status).toBe(302)
    expect(redirect.headers.get('location')).toBe(offer.assetUrl)

    const [row] = await mailTo('ada@example.com')
    expect(row).toMatchObject({
      siteId: h.a.siteId,
      leadId: event.lead.id,
      subject: 'Your winter guide',
      status: 'outbox',
      transport: 'outbox',
    })
    expect(row!.text).toBe(
      `Thanks for signing up, Ada.\n\nThe winter guide: ${result.download!.url}\n` +
        `(This link works until ${result.download!.expiresAt}.)`,
    )
  })

  it('points the link at publicUrl when the deployment has one', async () => {
    const behindProxy = followUpApp(h, { publicUrl: 'https://promo.shop.example' })
    const event = await storedLead(h.a.siteId, 'proxy@example.com', { offer })
    const result = await followUp(behindProxy.services, event)
    expect(result.download?.url.startsWith('https://promo.shop.example/d/')).toBe(true)
    expect(await mailTo('proxy@example.com')).toHaveLength(0)
  })

  it('sends the confirmation through the configured mailer, from PROMO_MAIL_FROM', async () => {
    const provider = await fakeReceiver([200])
    try {
      const withMail = followUpApp(h, {
        mailer: new HttpMailer({ baseUrl: provider.url, apiKey: 'k_live_0123456789' }),
        mailFrom: 'Shop <hello@shop.example>',
      })
      const event = await storedLead(h.a.siteId, 'grace@example.com', { confirmation })
      expect(await followUp(withMail.services, event)).toEqual({})
      expect(JSON.parse(provider.received[0]!.body)).toEqual({
        from: 'Shop <hello@shop.example>',
        to: 'grace@example.com',
        subject: confirmation.subject,
        text: confirmation.text,
      })
      expect((await mailTo('grace@example.com'))[0]).toMatchObject({ status: 'sent', transport: 'http' })
    } finally {
      await provider.close()
    }
  })

  it('sends no mail without a confirmation or a usable address', async () => {
    await followUp(f.services, await storedLead(h.a.siteId, 'quiet@example.com'))
    expect(await mailTo('quiet@example.com')).toHaveLength(0)
    await followUp(f.services, await storedLead(h.a.siteId, 'not an address', { confirmation }))
    expect(await mailTo('not an address')).toHaveLength(0)
  })

  it('never throws to the submit: a failed step is logged and the rest still happens', async () => {
    // No such lead: the outbox row cannot refer to it, so the confirmation cannot be written.
    const event = leadEvent(h.a.siteId, { confirmation, offer })
    const logged = f.logs.length
    const result = await followUp(f.services, event)
    expect(result.download?.url).toMatch(/^http:\/\/localhost\/d\//)
    const lines = f.logs.slice(logged)
    expect(lines.map((l) => l.message)).toContain('confirmation not written')
    expect(JSON.stringify(lines)).not.toContain(event.lead.email)

    const badAsset = await followUp(
      f.services,
      leadEvent(h.a.siteId, { offer: { assetUrl: 'javascript:x' } }),
    )
    expect(badAsset).toEqual({})
  })

  it('queues the site’s webhooks and makes the first attempt without holding up the answer', async () => {
    const receiver = await fakeReceiver([200])
    receiver.state.hang = true
    try {
      const created = await client(f.app, { secretKey: h.a.secretKey }).post('/api/v1/webhooks', {
        url: `${receiver.url}/leads`,
      })
      const hook = (await created.json()) as { id: string; secret: string }
      const background: Promise<unknown>[] = []
      const started = Date.now()
      await followUp(f.services, await storedLead(h.a.siteId, 'kick@example.com'), {
        defer: (task) => background.push(task),
        webhookFetch: guardWebhooks(
          (url, init) => publicOnlyFetch(true)(url, { ...init, signal: AbortSignal.timeout(300) }),
          true,
        ),
      })
      expect(Date.now() - started).toBeLessThan(300)
      expect(background).toHaveLength(1)
      await background[0]
      expect(receiver.received).toHaveLength(1)
      const request = receiver.received[0]!
      expect(
        verifySignature(hook.secret, request.headers['promo-signature'] as string, request.body, h.now.value),
      ).toBe(true)
      const log = await readJson(
        await client(f.app, { secretKey: h.a.secretKey }).get(`/api/v1/webhooks/${hook.id}/deliveries`),
        api.pageOf(api.delivery),
      )
      expect(log.data[0]).toMatchObject({ status: 'pending', attempts: 1, event: 'lead.created' })
      expect(log.data[0]!.lastError).toMatch(/^timed out after/)
      await client(f.app, { secretKey: h.a.secretKey }).delete(`/api/v1/webhooks/${hook.id}`)
    } finally {
      await receiver.close()
    }
  })
})

describe('confirmationFor', () => {
  it('uses the success message under the offer title, never the campaign name', () => {
    expect(
      confirmationFor({
        successMessage: 'Check your inbox!',
        offer: { type: 'ebook', title: 'Winter guide' },
      }),
    ).toEqual({
      subject: 'Winter guide',
      text: 'Check your inbox!',
    })
    expect(confirmationFor({ successMessage: 'Thank you!' })).toEqual({
      subject: 'Thank you',
      text: 'Thank you!',
    })
  })
})

describe('the outbox route', () => {
  it('lists a site’s recent mail, newest first, for its admins only', async () => {
    const event = await storedLead(h.b.siteId, 'bea@example.com', { confirmation })
    await followUp(f.services, event)
    const b = client(f.app, { secretKey: h.b.secretKey })
    const res = await b.get('/api/v1/outbox')
    expect(res.status).toBe(200)
    const body = await readJson(res, mailPage)
    expect(body.data.map((m) => m.to)).toEqual(['bea@example.com'])
    expect(body.data[0]).toMatchObject({
      siteId: h.b.siteId,
      leadId: event.lead.id,
      subject: confirmation.subject,
      text: confirmation.text,
      status: 'outbox',
      transport: 'outbox',
    })
    expect(typeof body.data[0]!.createdAt).toBe('string')

    expect((await b.get(`/api/v1/outbox?siteId=${h.a.siteId}`)).status).toBe(404)
    const a = await readJson(
      await client(f.app, { secretKey: h.a.secretKey }).get('/api/v1/outbox'),
      mailPage,
    )
    expect(a.data.map((m) => m.to)).not.toContain('bea@example.com')
    expect(a.data.map((m) => m.to)).toContain('ada@example.com')
    expect((await client(f.app).get('/api/v1/outbox')).status).toBe(401)
  })

  it('pages with limit and cursor', async () => {
    const session = await login(f.app, h.a)
    const a = client(f.app, session)
    const all = await readJson(await a.get(`/api/v1/outbox?siteId=${h.a.siteId}&limit=200`), mailPage)
    expect(all.data.length).toBeGreaterThanOrEqual(2)
    const first = await readJson(await a.get('/api/v1/outbox?limit=1'), mailPage)
    expect(first.data).toHaveLength(1)
    expect(first.nextCursor).toEqual(expect.any(String))
    const second = await readJson(await a.get(`/api/v1/outbox?limit=1&cursor=${first.nextCursor}`), mailPage)
    expect(second.data[0]!.id).toBe(all.data[1]!.id)
    expect((await a.get('/api/v1/outbox?limit=0')).status).toBe(400)
    expect((await a.get('/api/v1/outbox?cursor=nope')).status).toBe(400)
  })
})
