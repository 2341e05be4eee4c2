import { and, eq, isNotNull } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '../../../api/services/auth/password'
import { client, createHarness, type Harness, login, readError, readJson } from '../../../api/testing/harness'
import { mail as mailAnswer, pageOf } from '../../../schema/api'
import { mailOutbox, rsvpCounters, rsvps, users } from '../../../schema/db'
import { rsvpActionAnswer, rsvpAnswer, rsvpPage } from '../answers'
import { icsProp, parseIcs } from '../testing/ics'
import { eventApp, eventCampaign, startEvent } from '../testing/server'
import { sendDueReminders } from './reminders'
import { checkInCode, normalizeCheckInCode } from './token'

let h: Harness
let app: ReturnType<typeof eventApp>
beforeAll(async () => {
  h = await createHarness()
  app = eventApp(h)
})
afterAll(() => h.close())

const secret = 'test-signing-secret-0123456789abcdef'
let serial = 0
const uniqueEmail = (name = 'guest') => `${name}-${++serial}@example.com`

const rsvp = async (campaignId: string, email: string, firstName?: string) => {
  const res = await app.request('/api/v1/rsvps', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      site: h.a.publishableKey,
      campaignId,
      email,
      ...(firstName ? { firstName } : {}),
    }),
  })
  expect(res.status).toBe(201)
  return readJson(res, rsvpAnswer)
}
const mailsTo = (to: string) => h.database.db.select().from(mailOutbox).where(eq(mailOutbox.to, to))
const adminA = () => client(app, { secretKey: h.a.secretKey })
const adminB = () => client(app, { secretKey: h.b.secretKey })

const prop = icsProp

describe('the .ics in the confirmation and promotion mails', () => {
  it('is a valid iCalendar file with the event, a UID stable per RSVP, and no file for the waitlisted', async () => {
    const campaignId = await startEvent(app, h.a, { capacity: 1 })
    const first = await rsvp(campaignId, 'ics-one@example.com', 'Ada')
    const second = await rsvp(campaignId, 'ics-two@example.com')
    expect(second.status).toBe('waitlisted')

    const [mail] = await mailsTo('ics-one@example.com')
    expect(mail!.attachments).toHaveLength(1)
    const file = mail!.attachments![0]!
    expect(file.filename).toBe('invite.ics')
    expect(file.contentType).toBe('text/calendar; charset=utf-8; method=PUBLISH')
    const calendar = parseIcs(file.content)
    // The parser refuses what is not iCalendar.
    expect(() => parseIcs(file.content.replace('END:VEVENT', 'END:VTODO'))).toThrow(/closes VEVENT/)
    expect(() => parseIcs(file.content.replace(/\r\n[ \t]/g, ''))).toThrow(/over 75 octets/)
    expect(calendar.name).toBe('VCALENDAR')
    expect(prop(calendar, 'VERSION')?.value).toBe('2.0')
    expect(prop(calendar, 'PRODID')?.value).toMatch(/Promo/)
    expect(prop(calendar, 'METHOD')?.value).toBe('PUBLISH')
    const [event] = calendar.children.filter((c) => c.name === 'VEVENT')
    expect(event).toBeDefined()
    expect(prop(event!, 'UID')?.value).toBe(`${first.rsvpId}@localhost`)
    expect(prop(event!, 'DTSTAMP')?.value).toBe('20261129T120000Z')
    // 18:00 in Lyon (UTC+1) is 17:00Z; no end given: an hour.
    expect(prop(event!, 'DTSTART')?.value).toBe('20261220T170000Z')
    expect(prop(event!, 'DTEND')?.value).toBe('20261220T180000Z')
    expect(prop(event!, 'SUMMARY')?.value).toBe('Winter meetup')
    expect(prop(event!, 'LOCATION')?.value).toBe('Hall 4\\, Lyon\\, FR')
    const organizer = prop(event!, 'ORGANIZER')!
    expect(organizer.params).toMatch(/CN="?Site a"?/)
    expect(organizer.value).toBe('mailto:no-reply@promo.invalid')
    // The description holds the cancel link: longer than a line, so the file had to fold it.
    expect(prop(event!, 'DESCRIPTION')?.value).toContain('/api/v1/rsvps/cancel?token=')
    expect(file.content).toMatch(/\r\n[ \t]/)
    // The text still has the Google Calendar link, and the check-in code.
    expect(mail!.text).toContain('https://calendar.google.com/calendar/render?')
    expect(mail!.text).toContain(`Your check-in code: ${checkInCode(secret, first.rsvpId)}`)

    const [waitlisted] = await mailsTo('ics-two@example.com')
    expect(waitlisted!.attachments).toBeNull()
    expect(waitlisted!.text).not.toContain('check-in code')

    // The person promoted from the waitlist gets the file, under their own RSVP's UID.
    const cancelled = await readJson(
      await adminA().post(`/api/v1/campaigns/${campaignId}/rsvps/${first.rsvpId}/cancel`),
      rsvpActionAnswer,
    )
    expect(cancelled.promoted?.id).toBe(second.rsvpId)
    const promotedMails = await mailsTo('ics-two@example.com')
    expect(promotedMails).toHaveLength(2)
    const promotion = promotedMails.find((m) => m.subject.startsWith('A seat opened up'))!
    const promotedEvent = parseIcs(promotion.attachments![0]!.content).children[0]!
    expect(prop(promotedEvent, 'UID')?.value).toBe(`${second.rsvpId}@localhost`)
    // A cancellation mails nothing to the person who cancelled.
    expect(await mailsTo('ics-one@example.com')).toHaveLength(1)

    // The admin's outbox shows the file with the mail.
    const outbox = await readJson(await adminA().get('/api/v1/outbox?limit=50'), pageOf(mailAnswer))
    const listed = outbox.data.find((m) => m.to === 'ics-one@example.com')!
    expect(listed.attachments).toEqual([file])
    expect(
      outbox.data.find((m) => m.to === 'ics-two@example.com' && m.subject.startsWith('You'))?.attachments,
    ).toBeNull()
  })

  it('gives an online event its link as URL and location', async () => {
    const campaignId = await startEvent(app, h.a, {
      isVirtual: true,
      venue: undefined,
      onlineUrl: 'https://meet.example.com/winter',
    })
    await rsvp(campaignId, 'ics-online@example.com')
    const [mail] = await mailsTo('ics-online@example.com')
    const event = parseIcs(mail!.attachments![0]!.content).children[0]!
    expect(prop(event, 'URL')?.value).toBe('https://meet.example.com/winter')
    expect(prop(event, 'LOCATION')?.value).toBe('Online: https://meet.example.com/winter')
  })
})

describe('check-in', () => {
  let campaignId: string
  let confirmed: { rsvpId: string }
  let waitlisted: { rsvpId: string }
  beforeAll(async () => {
    campaignId = await startEvent(app, h.a, { capacity: 2 })
    confirmed = await rsvp(campaignId, uniqueEmail('door'))
    await rsvp(campaignId, uniqueEmail('door'))
    waitlisted = await rsvp(campaignId, uniqueEmail('door'))
  })
  const checkIn = (rsvpId: string) =>
    adminA().post(`/api/v1/campaigns/${campaignId}/rsvps/${rsvpId}/check-in`)

  it('marks a confirmed RSVP attended with the time; twice answers the first check-in', async () => {
    const first = await readJson(await checkIn(confirmed.rsvpId), rsvpActionAnswer)
    expect(first.rsvp).toMatchObject({ status: 'attended', attendedAt: '2026-11-29T12:00:00.000Z' })
    expect(first.alreadyCheckedIn).toBe(false)
    h.now.value += 60_000
    const again = await readJson(await checkIn(confirmed.rsvpId), rsvpActionAnswer)
    expect(again.rsvp.attendedAt).toBe('2026-11-29T12:00:00.000Z')
    expect(again.alreadyCheckedIn).toBe(true)
    // The seat stays taken, and the list counts it.
    const page = await readJson(await adminA().get(`/api/v1/campaigns/${campaignId}/rsvps`), rsvpPage)
    expect(page.counts).toEqual({ confirmed: 1, waitlisted: 1, cancelled: 0, attended: 1 })
    const [counter] = await h.database.db
      .select()
      .from(rsvpCounters)
      .where(eq(rsvpCounters.campaignId, campaignId))
    expect(counter!.confirmed).toBe(2)
    // A checked-in RSVP can no longer be cancelled, by the admin or the link.
    const refused = await adminA().post(`/api/v1/campaigns/${campaignId}/rsvps/${confirmed.rsvpId}/cancel`)
    expect(refused.status).toBe(409)
  })

  it('refuses a waitlisted RSVP (409), an unknown one (404) and another site’s key (404)', async () => {
    const res = await checkIn(waitlisted.rsvpId)
    expect(res.status).toBe(409)
    expect((await readError(res)).details).toEqual({ status: 'waitlisted' })
    const unknown = await checkIn('00000000-0000-4000-8000-000000000000')
    expect(unknown.status).toBe(404)
    const other = await adminB().post(`/api/v1/campaigns/${campaignId}/rsvps/${waitlisted.rsvpId}/check-in`)
    expect(other.status).toBe(404)
    const [row] = await h.database.db.select().from(rsvps).where(eq(rsvps.id, waitlisted.rsvpId))
    expect(row).toMatchObject({ status: 'waitlisted', attendedAt: null })
  })

  it('checks in by the code from the mail, however it is typed; a wrong code is a 404 at `code`', async () => {
    const email = uniqueEmail('code')
    const other = await startEvent(app, h.a, { capacity: 5 })
    const guest = await rsvp(other, email)
    const [mail] = await mailsTo(email)
    const code = /check-in code: ([0-9A-Z]{4}-[0-9A-Z]{4})/.exec(mail!.text)![1]!
    expect(normalizeCheckInCode(` ${code.toLowerCase().replace('-', ' ')} `)).toBe(code)
    // The code of one event's RSVP checks nobody in at another event.
    const elsewhere = await adminA().post(`/api/v1/campaigns/${campaignId}/rsvps/check-in`, { code })
    expect(elsewhere.status).toBe(404)
    expect((await readError(elsewhere)).details).toEqual([
      { path: 'code', message: 'no RSVP of this event has this code' },
    ])
    const done = await readJson(
      await adminA().post(`/api/v1/campaigns/${other}/rsvps/check-in`, { code: code.toLowerCase() }),
      rsvpActionAnswer,
    )
    expect(done.rsvp).toMatchObject({ id: guest.rsvpId, status: 'attended' })
    const bad = await adminA().post(`/api/v1/campaigns/${other}/rsvps/check-in`, { code: 'ZZZZ-ZZZZ' })
    expect(bad.status).toBe(404)
    const invalid = await adminA().post(`/api/v1/campaigns/${other}/rsvps/check-in`, { code: 12 })
    expect(invalid.status).toBe(400)
    expect((await readError(invalid)).details).toMatchObject([{ path: 'code' }])
    const foreign = await adminB().post(`/api/v1/campaigns/${other}/rsvps/check-in`, { code })
    expect(foreign.status).toBe(404)
  })
})

describe('manual promote and cancel', () => {
  it('promotes only into a free seat, cancels as the link does, and keeps the counter exact', async () => {
    const campaignId = await startEvent(app, h.a, { capacity: 1 })
    const a = await rsvp(campaignId, uniqueEmail('seat'))
    const b = await rsvp(campaignId, uniqueEmail('seat'))
    const c = await rsvp(campaignId, uniqueEmail('seat'))
    const promote = (id: string) => adminA().post(`/api/v1/campaigns/${campaignId}/rsvps/${id}/promote`)

    const full = await promote(c.rsvpId)
    expect(full.status).toBe(409)
    expect((await readError(full)).code).toBe('event_full')
    const mailsBefore = await h.database.db.select().from(mailOutbox)

    // Cancel the confirmed one: the first waitlisted (b) is promoted and mailed, not c.
    const cancelled = await readJson(
      await adminA().post(`/api/v1/campaigns/${campaignId}/rsvps/${a.rsvpId}/cancel`),
      rsvpActionAnswer,
    )
    expect(cancelled.rsvp.status).toBe('cancelled')
    expect(cancelled.promoted).toMatchObject({ id: b.rsvpId, status: 'confirmed' })
    const again = await readJson(
      await adminA().post(`/api/v1/campaigns/${campaignId}/rsvps/${a.rsvpId}/cancel`),
      rsvpActionAnswer,
    )
    expect(again.promoted).toBeNull()
    expect(await h.database.db.select().from(mailOutbox)).toHaveLength(mailsBefore.length + 1)

    // Still full: c waits until the admin raises the capacity.
    expect((await promote(c.rsvpId)).status).toBe(409)
    const raised = await adminA().patch(`/api/v1/campaigns/${campaignId}`, {
      config: eventCampaign({ capacity: 2 }).config,
    })
    expect(raised.status).toBe(200)
    const promoted = await readJson(await promote(c.rsvpId), rsvpActionAnswer)
    expect(promoted.rsvp).toMatchObject({ id: c.rsvpId, status: 'confirmed', promotedAt: expect.any(String) })
    expect((await promote(c.rsvpId)).status).toBe(409)
    const [promotionMail] = await h.database.db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.subject, "A seat opened up: you're confirmed for Winter meetup")))
      .orderBy(mailOutbox.createdAt)
    expect(promotionMail!.attachments).toHaveLength(1)

    const [counter] = await h.database.db
      .select()
      .from(rsvpCounters)
      .where(eq(rsvpCounters.campaignId, campaignId))
    const seated = await h.database.db
      .select()
      .from(rsvps)
      .where(and(eq(rsvps.campaignId, campaignId), eq(rsvps.status, 'confirmed')))
    expect(counter!.confirmed).toBe(seated.length)
    expect(seated).toHaveLength(2)

    // Another site's key reaches none of it.
    expect((await adminB().post(`/api/v1/campaigns/${campaignId}/rsvps/${c.rsvpId}/cancel`)).status).toBe(404)
    expect((await adminB().post(`/api/v1/campaigns/${campaignId}/rsvps/${c.rsvpId}/promote`)).status).toBe(
      404,
    )
    // An RSVP of another campaign is not this one's.
    const elsewhere = await startEvent(app, h.a)
    expect((await adminA().post(`/api/v1/campaigns/${elsewhere}/rsvps/${c.rsvpId}/cancel`)).status).toBe(404)
    const [still] = await h.database.db.select().from(rsvps).where(eq(rsvps.id, c.rsvpId))
    expect(still!.status).toBe('confirmed')
  })
})

describe('roles', () => {
  it('lets a viewer read the list and the CSV, and refuses them every RSVP write (403)', async () => {
    const campaignId = await startEvent(app, h.a, { capacity: 1 })
    const guest = await rsvp(campaignId, uniqueEmail('role'))
    const email = `viewer-${++serial}@example.com`
    const password = 'viewer password 12345'
    await h.database.db.insert(users).values({
      organizationId: h.a.organizationId,
      email,
      name: 'Viewer',
      passwordHash: await hashPassword(password),
      role: 'viewer',
    })
    const viewer = client(app, await login(app, { ...h.a, email, password }))
    expect((await viewer.get(`/api/v1/campaigns/${campaignId}/rsvps`)).status).toBe(200)
    expect((await viewer.get(`/api/v1/campaigns/${campaignId}/rsvps/export.csv`)).status).toBe(200)
    for (const path of [`${guest.rsvpId}/check-in`, `${guest.rsvpId}/promote`, `${guest.rsvpId}/cancel`]) {
      const res = await viewer.post(`/api/v1/campaigns/${campaignId}/rsvps/${path}`)
      expect(res.status).toBe(403)
      expect((await readError(res)).code).toBe('forbidden')
    }
    expect(
      (await viewer.post(`/api/v1/campaigns/${campaignId}/rsvps/check-in`, { code: 'ABCD-EFGH' })).status,
    ).toBe(403)
    const [row] = await h.database.db.select().from(rsvps).where(eq(rsvps.id, guest.rsvpId))
    expect(row!.status).toBe('confirmed')
  })
})

describe('CSV export', () => {
  it('lists every RSVP, formula-safe, filtered by status, for the campaign’s own site only', async () => {
    const campaignId = await startEvent(app, h.a, { capacity: 1 })
    const first = await rsvp(campaignId, uniqueEmail('csv'), '=HYPERLINK("http://evil.example")')
    h.now.value += 1_000
    await rsvp(campaignId, uniqueEmail('csv'), 'Bob')
    h.now.value -= 1_000
    const res = await adminA().get(`/api/v1/campaigns/${campaignId}/rsvps/export.csv`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="rsvps-2026-11-29.csv"')
    const lines = (await res.text()).trimEnd().split('\r\n')
    expect(lines[0]).toBe(
      'email,first_name,status,waitlist_position,rsvp_at,promoted_at,cancelled_at,attended_at,check_in_code',
    )
    expect(lines).toHaveLength(3)
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"")"`)
    expect(lines[1]).toContain(`,confirmed,,`)
    expect(lines[1]!.endsWith(checkInCode(secret, first.rsvpId))).toBe(true)
    expect(lines[2]).toMatch(/,Bob,waitlisted,1,/)
    const filtered = await adminA().get(`/api/v1/campaigns/${campaignId}/rsvps/export.csv?status=waitlisted`)
    expect((await filtered.text()).trimEnd().split('\r\n')).toHaveLength(2)
    expect((await adminA().get(`/api/v1/campaigns/${campaignId}/rsvps/export.csv?status=gone`)).status).toBe(
      400,
    )
    expect((await adminB().get(`/api/v1/campaigns/${campaignId}/rsvps/export.csv`)).status).toBe(404)
  })
})

describe('the 24 h reminder', () => {
  it('goes once to each confirmed RSVP, never to the waitlisted, cancelled or late, across runs and apps', async () => {
    // A day after every other event of this file: theirs have started when this one's reminders are due.
    const start = Date.parse('2026-12-21T17:00:00Z')
    h.now.value = Date.parse('2026-12-10T12:00:00Z')
    const campaignId = await startEvent(app, h.a, { capacity: 2, startsAt: '2026-12-21T18:00:00+01:00' })
    const early = await rsvp(campaignId, 'remind-early@example.com', 'Eve')
    const gone = await rsvp(campaignId, 'remind-gone@example.com')
    const waiting = await rsvp(campaignId, 'remind-wait@example.com')
    const waiting2 = await rsvp(campaignId, 'remind-wait2@example.com')
    expect([waiting.status, waiting2.status]).toEqual(['waitlisted', 'waitlisted'])

    // Days before: nothing is due.
    expect(await sendDueReminders(app.services)).toEqual({ reminded: 0, skipped: 0 })

    // `gone` cancels 30 h before: `waiting` is promoted then, early enough for a reminder of their own.
    h.now.value = start - 30 * 3_600_000
    const cancelled = await adminA().post(`/api/v1/campaigns/${campaignId}/rsvps/${gone.rsvpId}/cancel`)
    expect((await readJson(cancelled, rsvpActionAnswer)).promoted?.id).toBe(waiting.rsvpId)

    // A seat taken within the last 24 h gets no reminder: the confirmation was just sent. Make room for one.
    h.now.value = start - 10 * 3_600_000
    await readJson(
      await adminA().post(`/api/v1/campaigns/${campaignId}/rsvps/${early.rsvpId}/cancel`),
      rsvpActionAnswer,
    )
    // `waiting2` was promoted just now: too late for a reminder.
    h.now.value = start - 9 * 3_600_000
    const ran = await sendDueReminders(app.services)
    expect(ran).toEqual({ reminded: 1, skipped: 0 })
    const reminders = await h.database.db
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.subject, 'Tomorrow: Winter meetup'))
    expect(reminders.map((m) => m.to)).toEqual(['remind-wait@example.com'])
    expect(reminders[0]!.text).toContain(`check-in code: ${checkInCode(secret, waiting.rsvpId)}`)

    // Again, later, and from another app (a restart): the mark holds, nothing more goes.
    h.now.value = start - 3_600_000
    expect(await sendDueReminders(app.services)).toEqual({ reminded: 0, skipped: 0 })
    const restarted = eventApp(h)
    expect(await sendDueReminders(restarted.services)).toEqual({ reminded: 0, skipped: 0 })
    // After the start: nobody.
    h.now.value = start + 60_000
    expect(await sendDueReminders(app.services)).toEqual({ reminded: 0, skipped: 0 })

    const marked = await h.database.db
      .select({ id: rsvps.id })
      .from(rsvps)
      .where(and(eq(rsvps.campaignId, campaignId), isNotNull(rsvps.remindedAt)))
    expect(marked.map((r) => r.id)).toEqual([waiting.rsvpId])
    h.now.value = Date.parse('2026-11-29T12:00:00Z')
  })

  it('is sent by a live mailer, and two runs at once write it once', async () => {
    const sent: string[] = []
    const mailer = {
      transport: 'smtp' as const,
      send: async (message: { to: string; attachments?: readonly unknown[] }) => {
        sent.push(message.to)
      },
    }
    const live = eventApp(h, { mailer })
    const start = Date.parse('2026-12-22T17:00:00Z')
    h.now.value = Date.parse('2026-12-01T12:00:00Z')
    const campaignId = await startEvent(live, h.a, { capacity: 3, startsAt: '2026-12-22T18:00:00+01:00' })
    for (const email of ['twice-1@example.com', 'twice-2@example.com']) {
      const res = await live.request('/api/v1/rsvps', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ site: h.a.publishableKey, campaignId, email }),
      })
      expect(res.status).toBe(201)
    }
    expect(sent).toEqual(['twice-1@example.com', 'twice-2@example.com'])
    h.now.value = start - 12 * 3_600_000
    const [one, two] = await Promise.all([sendDueReminders(live.services), sendDueReminders(live.services)])
    expect(one.reminded + two.reminded).toBe(2)
    expect(sent.slice(2).sort()).toEqual(['twice-1@example.com', 'twice-2@example.com'])
    const rows = await h.database.db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.subject, 'Tomorrow: Winter meetup'), eq(mailOutbox.status, 'sent')))
    expect(rows.filter((r) => r.to.startsWith('twice-'))).toHaveLength(2)
    h.now.value = Date.parse('2026-11-29T12:00:00Z')
  })
})
