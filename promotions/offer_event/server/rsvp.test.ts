import { and, count, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApiPath, phantomOperations, undocumentedRoutes } from '../../../api/http/contract/coverage'
import type { OpenApiDocument } from '../../../api/http/contract/document'
import { MailError, type Mailer } from '../../../api/ports/mail'
import { client, createHarness, type Harness, readError, readJson } from '../../../api/testing/harness'
import { mailOutbox, rsvpCounters, rsvps } from '../../../schema/db'
import { startLeadCampaign } from '../../lead_generation/testing/server'
import { cancelAnswer, rsvpAnswer, rsvpPage } from '../answers'
import { eventApp, startEvent } from '../testing/server'
import { signCancel, verifyCancel } from './token'

let h: Harness
let app: ReturnType<typeof eventApp>
beforeAll(async () => {
  h = await createHarness()
  app = eventApp(h)
})
afterAll(() => h.close())

let serial = 0
const uniqueEmail = () => `guest-${++serial}@example.com`

const rsvp = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  app.request('/api/v1/rsvps', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ site: h.a.publishableKey, ...body }),
  })
const cancel = (token: string) =>
  app.request('/api/v1/rsvps/cancel', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  })
const tokenOf = (rsvpId: string) => signCancel('test-signing-secret-0123456789abcdef', rsvpId)

const rowsOf = (campaignId: string) =>
  h.database.db.select().from(rsvps).where(eq(rsvps.campaignId, campaignId))
const mailsTo = async (to: string) =>
  (await h.database.db.select().from(mailOutbox).where(eq(mailOutbox.to, to))).map((m) => m.subject)

describe('POST /api/v1/rsvps', () => {
  let campaignId: string
  beforeAll(async () => {
    campaignId = await startEvent(app, h.a, { capacity: 2 })
  })

  it('confirms while seats are left, then waitlists in order, and mails each with a cancel link', async () => {
    const answers = []
    for (const email of ['one@example.com', 'two@example.com', 'three@example.com', 'four@example.com']) {
      const res = await rsvp({ campaignId, email, firstName: 'Guest', anonymousId: 'anon-1' })
      expect(res.status).toBe(201)
      answers.push(await readJson(res, rsvpAnswer))
    }
    expect(answers.map((a) => [a.status, a.position])).toEqual([
      ['confirmed', undefined],
      ['confirmed', undefined],
      ['waitlisted', 1],
      ['waitlisted', 2],
    ])
    const [mail] = await h.database.db.select().from(mailOutbox).where(eq(mailOutbox.to, 'three@example.com'))
    expect(mail!.subject).toBe('You’re on the waitlist for Winter meetup'.replace('’', "'"))
    const link = /Cancel here: (\S+)/.exec(mail!.text)![1]!
    const token = new URL(link).searchParams.get('token')!
    expect(verifyCancel('test-signing-secret-0123456789abcdef', token)).toBe(answers[2]!.rsvpId)
    // A confirmed seat's mail adds the event to a calendar, in UTC (18:00 in Lyon is 17:00Z), an hour long.
    const [confirmation] = await h.database.db
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.to, 'one@example.com'))
    const calendar = new URL(/calendar: (\S+)/.exec(confirmation!.text)![1]!)
    expect(calendar.searchParams.get('dates')).toBe('20261220T170000Z/20261220T180000Z')
    expect(calendar.searchParams.get('location')).toBe('Hall 4, Lyon, FR')
    expect(mail!.text).not.toContain('calendar.google.com')
    // A name given without a visitor token is stored, the anonymous id is not linked.
    const [row] = await h.database.db.select().from(rsvps).where(eq(rsvps.id, answers[0]!.rsvpId))
    expect(row).toMatchObject({ firstName: 'Guest', anonymousId: null, email: 'one@example.com' })
  })

  it('answers the same email (any case, any spaces) with the existing RSVP and no second seat or mail', async () => {
    const res = await rsvp({ campaignId, email: '  ONE@Example.com ' })
    expect(res.status).toBe(200)
    const again = await readJson(res, rsvpAnswer)
    expect(again.status).toBe('confirmed')
    expect(await mailsTo('one@example.com')).toHaveLength(1)
    const rows = await rowsOf(campaignId)
    expect(rows.filter((r) => r.email === 'one@example.com')).toHaveLength(1)
  })

  it('cancelling a confirmed seat promotes the first waitlisted and mails them once; again changes nothing', async () => {
    const [one] = await h.database.db
      .select()
      .from(rsvps)
      .where(and(eq(rsvps.campaignId, campaignId), eq(rsvps.email, 'one@example.com')))
    const first = await cancel(tokenOf(one!.id))
    expect(first.status).toBe(200)
    expect(await readJson(first, cancelAnswer)).toEqual({ rsvpId: one!.id, status: 'cancelled' })
    const byEmail = Object.fromEntries((await rowsOf(campaignId)).map((r) => [r.email, r.status]))
    expect(byEmail).toEqual({
      'one@example.com': 'cancelled',
      'two@example.com': 'confirmed',
      'three@example.com': 'confirmed',
      'four@example.com': 'waitlisted',
    })
    expect(await mailsTo('three@example.com')).toEqual([
      "You're on the waitlist for Winter meetup",
      "A seat opened up: you're confirmed for Winter meetup",
    ])
    expect((await cancel(tokenOf(one!.id))).status).toBe(200)
    expect((await rowsOf(campaignId)).find((r) => r.email === 'four@example.com')!.status).toBe('waitlisted')
    expect(await mailsTo('four@example.com')).toHaveLength(1)
    const [counter] = await h.database.db
      .select()
      .from(rsvpCounters)
      .where(eq(rsvpCounters.campaignId, campaignId))
    expect(counter).toMatchObject({ confirmed: 2, lastPosition: 2 })
  })

  it('cancelling a waitlisted RSVP promotes nobody', async () => {
    const [four] = await h.database.db
      .select()
      .from(rsvps)
      .where(and(eq(rsvps.campaignId, campaignId), eq(rsvps.email, 'four@example.com')))
    expect((await cancel(tokenOf(four!.id))).status).toBe(200)
    const statuses = (await rowsOf(campaignId)).map((r) => r.status).sort()
    expect(statuses).toEqual(['cancelled', 'cancelled', 'confirmed', 'confirmed'])
  })

  it('a cancelled email RSVPing again gets the next place, under the same id', async () => {
    const res = await rsvp({ campaignId, email: 'one@example.com' })
    expect(res.status).toBe(201)
    expect(await readJson(res, rsvpAnswer)).toMatchObject({ status: 'waitlisted', position: 3 })
  })

  it('a seat freed once the event started goes to nobody', async () => {
    const soon = await startEvent(app, h.a, { startsAt: '2026-11-29T14:00:00Z', capacity: 1 })
    const first = await readJson(await rsvp({ campaignId: soon, email: uniqueEmail() }), rsvpAnswer)
    const second = await readJson(await rsvp({ campaignId: soon, email: uniqueEmail() }), rsvpAnswer)
    expect(second.status).toBe('waitlisted')
    const saved = h.now.value
    h.now.value = Date.parse('2026-11-29T14:30:00Z')
    try {
      expect((await cancel(tokenOf(first.rsvpId))).status).toBe(200)
    } finally {
      h.now.value = saved
    }
    const statuses = Object.fromEntries((await rowsOf(soon)).map((r) => [r.id, r.status]))
    expect(statuses).toEqual({ [first.rsvpId]: 'cancelled', [second.rsvpId]: 'waitlisted' })
  })

  it('refuses an RSVP to a full event without a waitlist (409 event_full), storing nothing', async () => {
    const full = await startEvent(app, h.a, { capacity: 1, waitlist: false })
    expect((await rsvp({ campaignId: full, email: uniqueEmail() })).status).toBe(201)
    const res = await rsvp({ campaignId: full, email: uniqueEmail() })
    expect(res.status).toBe(409)
    expect((await readError(res)).code).toBe('event_full')
    expect(await rowsOf(full)).toHaveLength(1)
  })

  it('takes any number without a capacity', async () => {
    const open = await startEvent(app, h.a, { capacity: undefined })
    for (let i = 0; i < 5; i++) {
      const res = await rsvp({ campaignId: open, email: uniqueEmail() })
      expect((await readJson(res, rsvpAnswer)).status).toBe('confirmed')
    }
  })

  it('is closed after rsvpClosesAt and once the event started (409 rsvp_closed)', async () => {
    const closing = await startEvent(app, h.a, { rsvpClosesAt: '2026-11-29T11:59:59Z' })
    const late = await rsvp({ campaignId: closing, email: uniqueEmail() })
    expect(late.status).toBe(409)
    expect((await readError(late)).code).toBe('rsvp_closed')

    const soon = await startEvent(app, h.a, { startsAt: '2026-11-29T13:00:00Z' })
    expect((await rsvp({ campaignId: soon, email: uniqueEmail() })).status).toBe(201)
    const saved = h.now.value
    h.now.value = Date.parse('2026-11-29T13:00:00Z')
    try {
      const started = await rsvp({ campaignId: soon, email: uniqueEmail() })
      expect(started.status).toBe(409)
      expect((await readError(started)).message).toMatch(/started/)
    } finally {
      h.now.value = saved
    }
    expect(await rowsOf(closing)).toHaveLength(0)
  })

  it('404s a draft or paused event, an event with rsvp off, and another type’s campaign', async () => {
    const draft = await startEvent(app, h.a, {}, false)
    const noRsvp = await startEvent(app, h.a, { rsvp: false })
    const paused = await startEvent(app, h.a)
    expect(
      (await client(app, { secretKey: h.a.secretKey }).post(`/api/v1/campaigns/${paused}/pause`)).status,
    ).toBe(200)
    const lead = await startLeadCampaign(app, h.a)
    for (const campaignId of [draft, paused, noRsvp, lead.campaignId, crypto.randomUUID()]) {
      const res = await rsvp({ campaignId, email: uniqueEmail() })
      expect(res.status).toBe(404)
      expect((await readError(res)).paths).toEqual(['campaignId'])
    }
    const countdownOnly = await client(app, { secretKey: h.a.secretKey }).post('/api/v1/campaigns', {
      name: 'Sale',
      type: 'offer_event',
      config: { countdown: { endsAt: '2026-12-24T00:00:00Z' } },
      variants: [{ name: 'A', creative: { headline: 'Sale' } }],
    })
    const { id } = (await countdownOnly.json()) as { id: string }
    await client(app, { secretKey: h.a.secretKey }).post(`/api/v1/campaigns/${id}/activate`)
    expect((await rsvp({ campaignId: id, email: uniqueEmail() })).status).toBe(404)
  })

  it('refuses bad input at its field, with nothing written', async () => {
    const before = (await h.database.db.select({ n: count() }).from(rsvps))[0]!.n
    const cases: [Record<string, unknown>, string][] = [
      [{ campaignId, email: 'not-an-email' }, 'email'],
      [{ campaignId, email: 42 }, 'email'],
      [{ campaignId, email: `${'a'.repeat(250)}@example.com` }, 'email'],
      [{ campaignId: 'nope', email: uniqueEmail() }, 'campaignId'],
      [{ campaignId, email: uniqueEmail(), firstName: '<b>Ada</b>' }, 'firstName'],
      [{ campaignId, email: uniqueEmail(), firstName: 'x'.repeat(200) }, 'firstName'],
      [{ campaignId, email: uniqueEmail(), anonymousId: 'a'.repeat(100) }, 'anonymousId'],
      [{ campaignId, email: uniqueEmail(), seats: 4 }, 'seats'],
      [{ email: uniqueEmail() }, 'campaignId'],
    ]
    for (const [body, path] of cases) {
      const res = await rsvp(body)
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400)
      expect((await readError(res)).paths).toContain(path)
    }
    const missingKey = await app.request('/api/v1/rsvps', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ campaignId, email: uniqueEmail() }),
    })
    expect(missingKey.status).toBe(400)
    expect((await h.database.db.select({ n: count() }).from(rsvps))[0]!.n).toBe(before)
  })

  it('takes text/plain JSON, as sendBeacon sends it', async () => {
    const res = await app.request('/api/v1/rsvps', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ site: h.a.publishableKey, campaignId, email: uniqueEmail() }),
    })
    expect([200, 201]).toContain(res.status)
  })
})

describe('tenant isolation', () => {
  let campaignId: string
  beforeAll(async () => {
    campaignId = await startEvent(app, h.a, { capacity: 10 })
  })

  it('another site’s publishable key cannot RSVP to this event (404), an unknown key is 401', async () => {
    const res = await rsvp({ site: h.b.publishableKey, campaignId, email: uniqueEmail() })
    expect(res.status).toBe(404)
    const unknown = await rsvp({ site: 'pk_test_unknown0123456789', campaignId, email: uniqueEmail() })
    expect(unknown.status).toBe(401)
    expect(await rowsOf(campaignId)).toHaveLength(0)
  })

  it('lists RSVPs to the campaign’s own organization only, paged newest first', async () => {
    for (let i = 0; i < 5; i++) {
      h.now.value += 1_000
      expect((await rsvp({ campaignId, email: uniqueEmail() })).status).toBe(201)
    }
    const a = client(app, { secretKey: h.a.secretKey })
    const first = await readJson(await a.get(`/api/v1/campaigns/${campaignId}/rsvps?limit=3`), rsvpPage)
    expect(first.data).toHaveLength(3)
    expect(first.counts).toEqual({ confirmed: 5, waitlisted: 0, cancelled: 0, attended: 0 })
    const second = await readJson(
      await a.get(`/api/v1/campaigns/${campaignId}/rsvps?limit=3&cursor=${first.nextCursor}`),
      rsvpPage,
    )
    expect(second.data).toHaveLength(2)
    expect(second.nextCursor).toBeNull()
    const all = [...first.data, ...second.data].map((r) => r.createdAt)
    expect(all).toEqual([...all].sort().reverse())
    expect(new Set([...first.data, ...second.data].map((r) => r.id)).size).toBe(5)

    const b = client(app, { secretKey: h.b.secretKey })
    expect((await b.get(`/api/v1/campaigns/${campaignId}/rsvps`)).status).toBe(404)
    expect((await client(app).get(`/api/v1/campaigns/${campaignId}/rsvps`)).status).toBe(401)
    const bad = await a.get(`/api/v1/campaigns/${campaignId}/rsvps?status=maybe`)
    expect(bad.status).toBe(400)
    expect((await readError(bad)).paths).toEqual(['status'])
  })
})

describe('the cancel link', () => {
  it('refuses a forged, edited or foreign-secret token (404) and changes nothing', async () => {
    const campaignId = await startEvent(app, h.a, { capacity: 5 })
    const res = await rsvp({ campaignId, email: uniqueEmail() })
    const { rsvpId } = await readJson(res, rsvpAnswer)
    const good = tokenOf(rsvpId)
    const [body, mac] = good.split('.') as [string, string]
    for (const token of [
      signCancel('another-secret-0123456789abcdef0123', rsvpId),
      // The MAC's first character changed (its last two may already read "AA", and its last carries padding bits).
      `${body}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`,
      `${body}x.${mac}`,
      tokenOf(crypto.randomUUID()),
      'garbage',
    ]) {
      expect((await cancel(token)).status).toBe(404)
    }
    expect((await cancel('x'.repeat(300))).status).toBe(400)
    expect((await rowsOf(campaignId))[0]!.status).toBe('confirmed')
  })

  it('GET shows a page with one button; the form post cancels', async () => {
    const campaignId = await startEvent(app, h.a, { capacity: 5 })
    const { rsvpId } = await readJson(await rsvp({ campaignId, email: uniqueEmail() }), rsvpAnswer)
    const token = tokenOf(rsvpId)
    const page = await app.request(`/api/v1/rsvps/cancel?token=${token}`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain(`value="${token}"`)
    expect((await rowsOf(campaignId))[0]!.status).toBe('confirmed')
    const posted = await app.request('/api/v1/rsvps/cancel', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
    })
    expect(posted.status).toBe(200)
    expect((await rowsOf(campaignId))[0]!.status).toBe('cancelled')
    expect((await app.request('/api/v1/rsvps/cancel?token=forged.token')).status).toBe(404)
  })
})

describe('the OpenAPI document of an app mounting offer_event', () => {
  it('documents every RSVP route, and no route that is not there', async () => {
    const res = await app.request('/api/v1/openapi.json')
    expect(res.status).toBe(200)
    const document = (await res.json()) as OpenApiDocument
    const seen = new Set(app.routes.map((r) => `${r.method} ${openApiPath(r.path)}`))
    for (const route of [
      'POST /api/v1/rsvps',
      'POST /api/v1/rsvps/cancel',
      'GET /api/v1/rsvps/cancel',
      'GET /api/v1/campaigns/{id}/rsvps',
    ]) {
      expect(seen.has(route), route).toBe(true)
      const [method, path] = route.split(' ') as [string, string]
      expect(
        (document.paths as Record<string, Record<string, unknown>>)[path]?.[method.toLowerCase()],
        route,
      ).toBeDefined()
    }
    expect(undocumentedRoutes(app.routes, document)).toEqual([])
    // /metrics is documented but served only with a metrics token, which this app has not.
    expect(phantomOperations(app.routes, document).filter((r) => r !== 'GET /metrics')).toEqual([])
  })
})

describe('with a live mailer', () => {
  it('sends the mail after the seat committed: sent, or failed with the reason, and the RSVP stands either way', async () => {
    const sent: { from: string; to: string; subject: string }[] = []
    const mailer: Mailer = {
      transport: 'smtp',
      send: async (message) => {
        if (message.to.startsWith('bounce')) throw new MailError('550 mailbox unavailable')
        sent.push(message)
      },
    }
    const live = eventApp(h, { mailer, mailFrom: 'Shop <events@shop.example>' })
    const campaignId = await startEvent(live, h.a, { capacity: 5 })
    const send = (email: string) =>
      live.request('/api/v1/rsvps', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ site: h.a.publishableKey, campaignId, email }),
      })
    expect((await send('ok@mail.example')).status).toBe(201)
    expect((await send('bounce@mail.example')).status).toBe(201)
    expect(sent).toEqual([
      expect.objectContaining({ from: 'Shop <events@shop.example>', to: 'ok@mail.example' }),
    ])
    const [ok] = await h.database.db.select().from(mailOutbox).where(eq(mailOutbox.to, 'ok@mail.example'))
    expect(ok).toMatchObject({ status: 'sent', transport: 'smtp', attempts: 1 })
    const [bounced] = await h.database.db
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.to, 'bounce@mail.example'))
    expect(bounced).toMatchObject({ status: 'failed', lastError: '550 mailbox unavailable' })
    expect((await rowsOf(campaignId)).map((r) => r.status)).toEqual(['confirmed', 'confirmed'])
  })
})
