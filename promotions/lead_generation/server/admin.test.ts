import { count, eq, like } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  client,
  createHarness,
  type Harness,
  login,
  readError,
  type Tenant,
} from '../../../api/testing/harness'
import {
  campaignVisitors,
  events,
  identities,
  leadSubmissions,
  leads,
  mailOutbox,
  visitorProfiles,
  visitorRecentViews,
  webhookDeliveries,
} from '../../../schema/db'
import { startLeadCampaign, visitorProof } from '../testing/server'

let h: Harness
let guide: { campaignId: string; variantId: string }
let webinar: { campaignId: string; variantId: string }
beforeAll(async () => {
  h = await createHarness()
  guide = await startLeadCampaign(h.app, h.a)
  webinar = await startLeadCampaign(h.app, h.a)
})
afterAll(() => h.close())

const submit = async (
  tenant: Tenant,
  campaignId: string,
  fields: Record<string, string | boolean>,
  extra: Record<string, unknown> = {},
) => {
  h.now.value += 1_000
  const res = await client(h.app).post('/api/v1/leads', {
    site: tenant.publishableKey,
    campaignId,
    fields,
    ...extra,
  })
  if (res.status !== 201) throw new Error(`submit failed: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { leadId: string }).leadId
}

const asA = () => client(h.app, { secretKey: h.a.secretKey })
const json = async (res: Response) => {
  expect(res.status).toBe(200)
  return (await res.json()) as any
}

describe('the lead list', () => {
  let ids: Record<string, string>
  let start: number
  beforeAll(async () => {
    start = h.now.value
    ids = {
      ceo: await submit(h.a, guide.campaignId, {
        email: 'ceo@big.example',
        first_name: 'Cy',
        company: 'Big',
        job_title: 'CEO',
      }),
      student: await submit(h.a, guide.campaignId, { email: 'student@uni.example' }),
      percent: await submit(h.a, webinar.campaignId, { email: 'st_rs@uni.example', company: 'Stars' }),
    }
    // A second submit of the student, through the webinar: the student now has a webinar submission too.
    await submit(h.a, webinar.campaignId, { email: 'student@uni.example', first_name: 'Stu' })
  })

  it('lists the site’s leads newest first, a page at a time', async () => {
    const first = await json(await asA().get('/api/v1/leads?limit=2'))
    expect(first.data.map((l: any) => l.email)).toEqual(['st_rs@uni.example', 'student@uni.example'])
    expect(first.data[1]).toMatchObject({
      id: ids.student,
      siteId: h.a.siteId,
      fields: { email: 'student@uni.example', first_name: 'Stu' },
      submissionCount: 2,
      firstCampaignId: guide.campaignId,
      lastCampaignId: webinar.campaignId,
    })
    const second = await json(await asA().get(`/api/v1/leads?limit=2&cursor=${first.nextCursor}`))
    expect(second.data.map((l: any) => l.id)).toEqual([ids.ceo])
    expect(second.nextCursor).toBeNull()
  })

  it('filters by campaign (any of the lead’s submissions), grade, time and email prefix', async () => {
    const emails = async (query: string) =>
      (await json(await asA().get(`/api/v1/leads?${query}`))).data.map((l: any) => l.email).sort()
    expect(await emails(`campaignId=${webinar.campaignId}`)).toEqual([
      'st_rs@uni.example',
      'student@uni.example',
    ])
    expect(await emails(`campaignId=${guide.campaignId}`)).toEqual(['ceo@big.example', 'student@uni.example'])
    expect(await emails('grade=a')).toEqual(['ceo@big.example'])
    expect(await emails('grade=D')).toEqual(['st_rs@uni.example', 'student@uni.example'])
    const second = new Date(start + 2_000).toISOString()
    const third = new Date(start + 3_000).toISOString()
    expect(await emails(`from=${second}&to=${third}`)).toEqual(['student@uni.example'])
    expect(await emails('q=STU')).toEqual(['student@uni.example'])
    // `_` and `%` are letters here, not wildcards.
    expect(await emails('q=st_')).toEqual(['st_rs@uni.example'])
    expect(await emails('q=%25')).toEqual([])
  })

  it('refuses a bad filter with its path', async () => {
    const res = await asA().get('/api/v1/leads?grade=E')
    expect(res.status).toBe(400)
    expect((await readError(res)).paths[0]).toBe('grade')
    expect((await asA().get('/api/v1/leads?cursor=nonsense')).status).toBe(400)
  })

  it('reads one lead with every submission', async () => {
    const lead = await json(await asA().get(`/api/v1/leads/${ids.student}`))
    expect(lead).toMatchObject({ id: ids.student, email: 'student@uni.example', submissionCount: 2 })
    expect(lead.submissions.map((s: any) => [s.campaignId, s.fields])).toEqual([
      [guide.campaignId, { email: 'student@uni.example' }],
      [webinar.campaignId, { email: 'student@uni.example', first_name: 'Stu' }],
    ])
    expect((await asA().get(`/api/v1/leads/${crypto.randomUUID()}`)).status).toBe(404)
    expect((await asA().get('/api/v1/leads/not-an-id')).status).toBe(404)
  })

  it('needs a secret key or a session', async () => {
    expect((await client(h.app).get('/api/v1/leads')).status).toBe(401)
    expect((await client(h.app).get('/api/v1/leads/export.csv')).status).toBe(401)
    expect((await client(h.app).delete('/api/v1/leads/person?email=ceo@big.example')).status).toBe(401)
  })
})

describe('the CSV export', () => {
  it('exports the filtered leads with their fields, campaign and source, safe to open in a spreadsheet', async () => {
    const leadId = await submit(
      h.a,
      guide.campaignId,
      { email: 'mallory@evil.example', first_name: '=cmd()', company: '@SUM(A1)', terms: true },
      {
        context: {
          url: 'https://a.example/?utm_source=ads&utm_medium=cpc',
          referrer: 'https://search.example/',
        },
        consent: { granted: true, text: 'Yes, "news", please' },
      },
    )
    const res = await asA().get('/api/v1/leads/export.csv?q=mallory')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"$/,
    )
    const [header, row, end] = (await res.text()).split('\r\n')
    expect(end).toBe('')
    const columns = header!.split(',')
    expect(columns).toEqual([
      'id',
      'email',
      'grade',
      'score',
      'submissions',
      'first_campaign_id',
      'last_campaign_id',
      'last_campaign',
      'created_at',
      'updated_at',
      'utm_source',
      'utm_medium',
      'utm_campaign',
      'utm_term',
      'utm_content',
      'referrer',
      'url',
      'consent_granted',
      'consent_text',
      'consent_at',
      'fields.company',
      'fields.first_name',
      'fields.terms',
    ])
    expect(row).toContain(
      `${leadId},mallory@evil.example,D,20,1,${guide.campaignId},${guide.campaignId},Winter guide,`,
    )
    expect(row).toContain(
      ',ads,cpc,,,,https://search.example/,https://a.example/?utm_source=ads&utm_medium=cpc,',
    )
    expect(row).toContain(',true,"Yes, ""news"", please",')
    expect(row!.endsWith(`,'@SUM(A1),'=cmd(),true`)).toBe(true)
  })

  it('applies the list’s filters', async () => {
    const text = await (await asA().get(`/api/v1/leads/export.csv?campaignId=${webinar.campaignId}`)).text()
    const emails = text
      .split('\r\n')
      .slice(1, -1)
      .map((line) => line.split(',')[1])
      .sort()
    expect(emails).toEqual(['st_rs@uni.example', 'student@uni.example'])
  })
})

describe('privacy: one person', () => {
  let leadId: string
  let keptId: string
  const ada = 'visitor-ada-7'
  const visitorEvents = (anonymousId: string) =>
    h.database.db.select().from(events).where(eq(events.anonymousId, anonymousId))
  beforeAll(async () => {
    // A CRM webhook (unreachable here: its deliveries wait for a retry) carries each lead.
    const hook = await asA().post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/promo', siteId: h.a.siteId })
    expect(hook.status).toBe(201)
    // Ada browsed before she filled the form in: a page view and a hero impression under her visitor id.
    const batch = ['page', 'impression'].map((name) => ({
      id: crypto.randomUUID(),
      name,
      timestamp: new Date(h.now.value).toISOString(),
      anonymousId: ada,
      userId: 'crm-ada',
      url: 'https://a.example/blog/engines',
      ...(name === 'impression' ? { campaignId: guide.campaignId } : {}),
    }))
    const sent = await client(h.app).post('/api/v1/events', { site: h.a.publishableKey, batch })
    expect(sent.status).toBeLessThan(300)
    leadId = await submit(
      h.a,
      guide.campaignId,
      { email: 'ada@person.example', first_name: 'Ada' },
      visitorProof(h.a, ada),
    )
    await submit(h.a, webinar.campaignId, { email: 'ADA@person.example ', company: 'Engines' })
    keptId = await submit(
      h.a,
      guide.campaignId,
      { email: 'bob@person.example' },
      visitorProof(h.a, 'visitor-bob'),
    )
    await h.database.db.insert(mailOutbox).values([
      {
        siteId: h.a.siteId,
        leadId,
        to: 'ada@person.example',
        subject: 'Your winter guide',
        text: 'Here it is.',
        status: 'outbox',
        transport: 'outbox',
      },
      {
        siteId: h.a.siteId,
        leadId: keptId,
        to: 'bob@person.example',
        subject: 'Your winter guide',
        text: 'Here it is.',
        status: 'sent',
        transport: 'smtp',
      },
    ])
  })

  it('exports everything stored about the person: lead, submissions and mail', async () => {
    const person = await json(await asA().get('/api/v1/leads/person?email=%20Ada@Person.example'))
    expect(person.email).toBe('ada@person.example')
    expect(person.leads).toHaveLength(1)
    expect(person.leads[0]).toMatchObject({
      id: leadId,
      siteId: h.a.siteId,
      email: 'ada@person.example',
      fields: { email: 'ada@person.example', first_name: 'Ada', company: 'Engines' },
      submissionCount: 2,
    })
    // The confirmation of each submit (no mailer configured: kept in the outbox) and the one written here.
    expect(person.leads[0].mail).toHaveLength(3)
    expect(person.leads[0].mail).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          to: 'ada@person.example',
          subject: 'Your winter guide',
          text: 'Here it is.',
        }),
      ]),
    )
    expect(person.leads[0].submissions).toHaveLength(2)
    // What the webhook was sent about her (created, then updated), payload and all.
    expect(person.leads[0].webhookDeliveries.map((d: any) => [d.event, d.payload.data.lead.email])).toEqual([
      ['lead.created', 'ada@person.example'],
      ['lead.updated', 'ada@person.example'],
    ])
    // Her browsing under the visitor id her submit came from.
    expect(person.visitors).toHaveLength(1)
    expect(person.visitors[0]).toMatchObject({ siteId: h.a.siteId, anonymousId: ada, userIds: ['crm-ada'] })
    expect(person.visitors[0].events.map((e: any) => e.name).sort()).toEqual(['impression', 'page', 'submit'])
    expect(JSON.stringify(person)).not.toContain('bob@person.example')
    expect(JSON.stringify(person)).not.toContain('visitor-bob')
  })

  it('answers an empty export for someone it holds nothing about', async () => {
    expect(await json(await asA().get('/api/v1/leads/person?email=nobody@person.example'))).toEqual({
      email: 'nobody@person.example',
      leads: [],
      visitors: [],
      serverEvents: [],
      mail: [],
      webhookDeliveries: [],
      byEmail: { rsvps: [], sales: { redemptions: [], customerUses: [] } },
    })
    expect((await asA().get('/api/v1/leads/person')).status).toBe(400)
  })

  it('erases the lead, its submissions and its mail, and nothing else (session with CSRF)', async () => {
    const session = await login(h.app, h.a)
    const noCsrf = await client(h.app, { cookie: session.cookie }).delete(
      '/api/v1/leads/person?email=ada@person.example',
    )
    expect(noCsrf.status).toBe(403)

    const res = await client(h.app, session).delete(
      `/api/v1/leads/person?email=ada@person.example&siteId=${h.a.siteId}`,
    )
    const before = await h.database.db.select({ n: count() }).from(events)
    expect(await json(res)).toEqual({
      email: 'ada@person.example',
      deleted: {
        leads: 1,
        submissions: 2,
        mail: 3,
        webhookDeliveries: 2,
        visitors: 1,
        serverEvents: 0,
        byEmail: { rsvps: 0, sales: 0 },
      },
    })
    // Her events stay for the site's counts, under an id nothing links to her, without her user id.
    expect(await visitorEvents(ada)).toEqual([])
    expect(await h.database.db.select({ n: count() }).from(events)).toEqual(before)
    const unlinked = await h.database.db.select().from(events).where(like(events.anonymousId, 'erased-%'))
    expect(unlinked.map((e) => e.name).sort()).toEqual(['impression', 'page', 'submit'])
    expect(new Set(unlinked.map((e) => e.anonymousId)).size).toBe(1)
    expect(unlinked.every((e) => e.userId === null)).toBe(true)
    for (const table of [visitorProfiles, identities, visitorRecentViews]) {
      expect(await h.database.db.select().from(table).where(eq(table.anonymousId, ada))).toEqual([])
    }
    expect(
      await h.database.db.select().from(campaignVisitors).where(eq(campaignVisitors.anonymousId, ada)),
    ).toEqual([])
    // Bob's browsing and the webhook's deliveries about him are untouched.
    expect(await visitorEvents('visitor-bob')).not.toEqual([])
    const left = await h.database.db.select().from(webhookDeliveries)
    expect(left.map((d) => (d.payload as any).data.lead.email)).toEqual(['bob@person.example'])
    const db = h.database.db
    expect(await db.select().from(leads).where(eq(leads.id, leadId))).toEqual([])
    expect(await db.select().from(leadSubmissions).where(eq(leadSubmissions.leadId, leadId))).toEqual([])
    expect(await db.select().from(mailOutbox).where(eq(mailOutbox.to, 'ada@person.example'))).toEqual([])
    // The other person's mail (their confirmation and the one written for them) stays.
    expect(await db.select().from(mailOutbox).where(eq(mailOutbox.leadId, keptId))).toHaveLength(2)
    expect(await db.select().from(leads).where(eq(leads.id, keptId))).toHaveLength(1)

    const again = await asA().delete('/api/v1/leads/person?email=ada@person.example')
    expect(await json(again)).toMatchObject({
      deleted: { leads: 0, submissions: 0, mail: 0, webhookDeliveries: 0, visitors: 0, serverEvents: 0 },
    })
  })
})

describe('tenant isolation', () => {
  let leadOfA: string
  beforeAll(async () => {
    leadOfA = await submit(h.a, guide.campaignId, { email: 'secret@a.example', company: 'A corp' })
    const ofB = await startLeadCampaign(h.app, h.b)
    await submit(h.b, ofB.campaignId, { email: 'own@b.example' })
  })

  describe.each(['secret key', 'session'] as const)("organization B's %s", (kind) => {
    const asB = async () =>
      client(h.app, kind === 'secret key' ? { secretKey: h.b.secretKey } : await login(h.app, h.b))

    it("gets 404 for every lead route naming organization A's site or lead", async () => {
      const b = await asB()
      const site = `siteId=${h.a.siteId}`
      for (const [method, path] of [
        ['GET', `/api/v1/leads?${site}`],
        ['GET', `/api/v1/leads/${leadOfA}`],
        ['GET', `/api/v1/leads/export.csv?${site}`],
        ['GET', `/api/v1/leads/person?email=secret@a.example&${site}`],
        ['DELETE', `/api/v1/leads/person?email=secret@a.example&${site}`],
      ] as const) {
        expect([method, path, (await b.send(method, path)).status]).toEqual([method, path, 404])
      }
    })

    it("sees none of organization A's leads in its own list, export and person requests", async () => {
      const b = await asB()
      const list = await json(await b.get('/api/v1/leads'))
      expect(list.data.map((l: any) => l.email)).toEqual(['own@b.example'])
      const csv = await (await b.get('/api/v1/leads/export.csv')).text()
      expect(csv).not.toContain('a.example')
      expect(await json(await b.get('/api/v1/leads/person?email=secret@a.example'))).toEqual({
        email: 'secret@a.example',
        leads: [],
        visitors: [],
        serverEvents: [],
        mail: [],
        webhookDeliveries: [],
        byEmail: { rsvps: [], sales: { redemptions: [], customerUses: [] } },
      })
      const erased = await json(await b.delete('/api/v1/leads/person?email=secret@a.example'))
      expect(erased.deleted).toEqual({
        leads: 0,
        submissions: 0,
        mail: 0,
        webhookDeliveries: 0,
        visitors: 0,
        serverEvents: 0,
        byEmail: { rsvps: 0, sales: 0 },
      })
    })
  })

  it("leaves organization A's lead as it was", async () => {
    const lead = await json(await asA().get(`/api/v1/leads/${leadOfA}`))
    expect(lead).toMatchObject({ email: 'secret@a.example', fields: { company: 'A corp' } })
  })
})

describe("privacy: a submit naming a stranger's visitor id", () => {
  const carol = 'visitor-carol-3'
  const carolsEvents = async () =>
    (await h.database.db.select().from(events).where(eq(events.anonymousId, carol)))
      .map((e) => `${e.id} ${e.name} ${e.userId}`)
      .sort()
  let before: string[]

  beforeAll(async () => {
    // Carol browses the site; her visitor id is all that Mallory knows of her.
    const batch = ['page', 'page', 'click'].map((name) => ({
      id: crypto.randomUUID(),
      name,
      timestamp: new Date(h.now.value).toISOString(),
      anonymousId: carol,
      userId: 'crm-carol',
      url: 'https://a.example/account/orders',
    }))
    expect(
      (await client(h.app).post('/api/v1/events', { site: h.a.publishableKey, batch })).status,
    ).toBeLessThan(300)
    before = await carolsEvents()
    expect(before).toHaveLength(3)
    const mallory = { email: 'mallory@person.example' }
    // Naming her id bare, with the token of Mallory's own id, and with a made-up token.
    await submit(h.a, guide.campaignId, mallory, { anonymousId: carol })
    await submit(h.a, guide.campaignId, mallory, {
      anonymousId: carol,
      visitorToken: visitorProof(h.a, 'visitor-mallory').visitorToken,
    })
    await submit(h.a, guide.campaignId, mallory, { anonymousId: carol, visitorToken: 'A'.repeat(22) })
  })

  it('takes the lead but links no visitor to it', async () => {
    const [lead] = await h.database.db.select().from(leads).where(eq(leads.email, 'mallory@person.example'))
    expect(lead).toMatchObject({ anonymousId: null, submissions: 3 })
    const submissions = await h.database.db
      .select()
      .from(leadSubmissions)
      .where(eq(leadSubmissions.leadId, lead!.id))
    expect(submissions.map((s) => s.anonymousId)).toEqual([null, null, null])
    // No submit event lands in Carol's stream either.
    expect(await carolsEvents()).toEqual(before)
  })

  it("keeps the stranger's browsing out of the export", async () => {
    const person = await json(await asA().get('/api/v1/leads/person?email=mallory@person.example'))
    expect(person.leads).toHaveLength(1)
    expect(person.visitors).toEqual([])
    expect(JSON.stringify(person)).not.toContain(carol)
    expect(JSON.stringify(person)).not.toContain('account/orders')
  })

  it("leaves the stranger's browsing alone on erasure", async () => {
    const res = await asA().delete('/api/v1/leads/person?email=mallory@person.example')
    expect(await json(res)).toMatchObject({ deleted: { leads: 1, submissions: 3, visitors: 0 } })
    expect(await carolsEvents()).toEqual(before)
    const profile = await h.database.db
      .select()
      .from(visitorProfiles)
      .where(eq(visitorProfiles.anonymousId, carol))
    expect(profile).toHaveLength(1)
  })

  it('links a submit that sends back the token its form was served with', async () => {
    const popup = await startLeadCampaign(h.app, h.a, { display: 'popup' })
    const served = (await (
      await client(h.app).post('/api/v1/serve', {
        site: h.a.publishableKey,
        anonymousId: 'visitor-dan',
        slots: [],
      })
    ).json()) as any
    const form = served.decisions.find((d: any) => d.campaignId === popup.campaignId)
    expect(form.visitorToken).toMatch(/^[\w-]{22}$/)
    await submit(
      h.a,
      popup.campaignId,
      { email: 'dan@person.example' },
      {
        anonymousId: 'visitor-dan',
        visitorToken: form.visitorToken,
      },
    )
    const person = await json(await asA().get('/api/v1/leads/person?email=dan@person.example'))
    expect(person.visitors.map((v: any) => v.anonymousId)).toEqual(['visitor-dan'])
    // The token is the visitor's: it links no other id.
    await submit(
      h.a,
      popup.campaignId,
      { email: 'erin@person.example' },
      {
        anonymousId: 'visitor-erin',
        visitorToken: form.visitorToken,
      },
    )
    expect((await json(await asA().get('/api/v1/leads/person?email=erin@person.example'))).visitors).toEqual(
      [],
    )
  })
})
