import { and, eq, inArray, lt, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLeadCampaign } from '../../promotions/lead_generation/testing/server'
import { events, leadSubmissions, leads, mailOutbox, webhookDeliveries } from '../../schema/db'
import { rowsOf } from '../ports/database'
import { awarenessCampaign, client, createHarness, type Harness, type Tenant } from '../testing/harness'
import { ensureEventPartitions } from './ingest/partitions'
import { sweepRetention } from './retention'

let h: Harness
const dayMs = 86_400_000
const browser =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'
const admin = (tenant: Tenant) => client(h.app, { secretKey: tenant.secretKey })
let now: number
const ago = (days: number) => new Date(now - days * dayMs)

async function send(tenant: Tenant, batch: Record<string, unknown>[]) {
  const res = await h.app.request('/api/v1/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': browser },
    body: JSON.stringify({ site: tenant.publishableKey, batch }),
  })
  expect(res.status).toBe(200)
  expect(((await res.json()) as { accepted: number }).accepted).toBe(batch.length)
}

/** An impression and a click of the campaign at `at`, from one visitor; answers the events' ids. */
async function touch(tenant: Tenant, campaign: Campaign, at: Date, visitor: string) {
  const batch = ['impression', 'click'].map((name) => ({
    id: crypto.randomUUID(),
    name,
    timestamp: at.toISOString(),
    anonymousId: visitor,
    campaignId: campaign.id,
    variantId: campaign.variants[0]!.id,
  }))
  await send(tenant, batch)
  return batch.map((event) => event.id)
}

async function submitLead(tenant: Tenant, campaignId: string, email: string, at: Date) {
  const saved = h.now.value
  h.now.value = at.getTime()
  try {
    const res = await client(h.app).post('/api/v1/leads', {
      site: tenant.publishableKey,
      campaignId,
      fields: { email },
    })
    expect(res.status).toBe(201)
    return ((await res.json()) as { leadId: string }).leadId
  } finally {
    h.now.value = saved
  }
}

type Campaign = { id: string; variants: { id: string }[] }

const ids = {} as Record<string, string[]>
const stored = async (eventIds: string[]) =>
  (await h.database.db.select({ id: events.id }).from(events).where(inArray(events.id, eventIds))).length

/** Everything dashboards read, as rows in a fixed order. */
async function rollupState() {
  const read = async (query: ReturnType<typeof sql>) => rowsOf(await h.database.db.execute(query))
  return {
    daily: await read(
      sql`select * from rollups_daily order by site_id, campaign_id, variant_id, day, metric`,
    ),
    hourly: await read(
      sql`select * from rollups_hourly order by site_id, campaign_id, variant_id, hour, metric`,
    ),
    dimensions: await read(
      sql`select * from rollups_by_dimension order by site_id, campaign_id, dimension, day, key, metric`,
    ),
    reach: await read(
      sql`select site_id, campaign_id, variant_id, day, encode(sketch, 'hex') as sketch from reach_daily
        order by site_id, campaign_id, variant_id, day`,
    ),
    visitors: await read(sql`select * from campaign_visitors order by campaign_id, anonymous_id`),
    frequency: await read(sql`select * from frequency_histogram order by campaign_id, impressions`),
  }
}

const ranges = [
  ['2025-03-01T00:00:00Z', '2025-04-01T00:00:00Z'],
  ['2026-08-01T00:00:00Z', '2026-11-30T00:00:00Z'],
]
async function totals(tenant: Tenant, campaign: Campaign) {
  const out = []
  for (const [from, to] of ranges) {
    const res = await admin(tenant).get(`/api/v1/campaigns/${campaign.id}/analytics?from=${from}&to=${to}`)
    expect(res.status).toBe(200)
    out.push(((await res.json()) as { totals: Record<string, number> }).totals)
  }
  return out
}

const partitions = async () =>
  rowsOf<{ name: string }>(
    await h.database.db.execute(sql`
      select c.relname as name from pg_inherits i
      join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
      where p.relname = 'events' order by 1`),
  ).map((row) => row.name)

let campaignA: Campaign
let campaignB: Campaign
const leadIds = {} as Record<string, string>
const mailIds = {} as Record<string, string>
const deliveryIds = {} as Record<string, string>
let before: { rollups: Awaited<ReturnType<typeof rollupState>>; a: unknown; b: unknown }

beforeAll(async () => {
  h = await createHarness()
  now = h.now.value
  // A keeps little; B keeps events as long as the defaults and its mail and deliveries longer.
  const shortA = await admin(h.a).patch(`/api/v1/sites/${h.a.siteId}`, {
    retention: { eventsDays: 30, leadsDays: 60, mailDays: 7, webhookDeliveriesDays: 7 },
  })
  expect(shortA.status).toBe(200)
  const longB = await admin(h.b).patch(`/api/v1/sites/${h.b.siteId}`, {
    retention: { mailDays: 90, webhookDeliveriesDays: 90 },
  })
  expect(longB.status).toBe(200)

  for (const [tenant, set] of [
    [h.a, (c: Campaign) => (campaignA = c)],
    [h.b, (c: Campaign) => (campaignB = c)],
  ] as const) {
    const res = await admin(tenant).post('/api/v1/campaigns', awarenessCampaign())
    expect(res.status).toBe(201)
    set((await res.json()) as Campaign)
  }
  ids.aLongAgo = await touch(h.a, campaignA, new Date('2025-03-10T10:00:00Z'), 'a-ancient')
  ids.bLongAgo = await touch(h.b, campaignB, new Date('2025-03-12T10:00:00Z'), 'b-ancient')
  ids.aOld = [
    ...(await touch(h.a, campaignA, ago(45), 'a-old-1')),
    ...(await touch(h.a, campaignA, ago(40), 'a-old-2')),
    ...(await touch(h.a, campaignA, ago(31), 'a-old-3')),
  ]
  ids.aYoung = await touch(h.a, campaignA, ago(5), 'a-young')
  ids.bOld = await touch(h.b, campaignB, ago(45), 'b-old')
  // Two signed-in readers of A: one last seen 40 days ago, one two days ago.
  for (const [visitor, days] of [
    ['a-gone', 40],
    ['a-here', 2],
  ] as const) {
    const at = ago(days).toISOString()
    await send(h.a, [
      {
        id: crypto.randomUUID(),
        name: 'page',
        timestamp: at,
        anonymousId: visitor,
        url: 'https://a.example/p',
      },
      {
        id: crypto.randomUUID(),
        name: 'identify',
        timestamp: at,
        anonymousId: visitor,
        userId: `user-${visitor}`,
      },
    ])
  }
  // Identities are stamped with the database's clock when written: as if this one had been written then.
  await h.database.db.execute(sql`update identities set last_seen_at = ${ago(40).toISOString()}::timestamptz
    where anonymous_id = 'a-gone'`)
  // First exposures of campaigns with a holdout: A's 40 days ago and 2 days ago, B's 45 days ago.
  for (const [tenant, campaign, visitor, days] of [
    [h.a, campaignA, 'a-gone', 40],
    [h.a, campaignA, 'a-here', 2],
    [h.b, campaignB, 'b-old', 45],
  ] as const)
    await h.database.db.execute(sql`insert into exposures (site_id, campaign_id, anonymous_id, arm, first_at)
      values (${tenant.siteId}, ${campaign.id}, ${visitor}, 'holdout', ${ago(days).toISOString()}::timestamptz)`)
  // Months before this one were made for the ancient events, which move out of the default partition into them.
  await ensureEventPartitions(h.database.db, now)

  const formA = await startLeadCampaign(h.app, h.a)
  const formB = await startLeadCampaign(h.app, h.b)
  leadIds.aOld = await submitLead(h.a, formA.campaignId, 'old@a.example', ago(100))
  await submitLead(h.a, formA.campaignId, 'old@a.example', ago(70))
  leadIds.aReturning = await submitLead(h.a, formA.campaignId, 'back@a.example', ago(200))
  await submitLead(h.a, formA.campaignId, 'back@a.example', ago(3))
  leadIds.bOld = await submitLead(h.b, formB.campaignId, 'old@b.example', ago(100))

  const hooks: Record<string, string> = {}
  for (const tenant of [h.a, h.b]) {
    const hook = await admin(tenant).post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/crm' })
    expect(hook.status).toBe(201)
    hooks[tenant.siteId] = ((await hook.json()) as { id: string }).id
  }
  const mail = (tenant: Tenant, days: number) => ({
    siteId: tenant.siteId,
    to: 'someone@example.com',
    subject: 'Your guide',
    text: 'Here it is.',
    status: 'sent' as const,
    transport: 'smtp' as const,
    createdAt: ago(days),
  })
  const delivery = (tenant: Tenant, days: number) => ({
    webhookId: hooks[tenant.siteId]!,
    siteId: tenant.siteId,
    event: 'lead.created',
    payload: { data: { lead: { email: 'someone@example.com' } } },
    status: 'succeeded' as const,
    createdAt: ago(days),
  })
  const db = h.database.db
  for (const [key, tenant, days] of [
    ['aOld', h.a, 20],
    ['aYoung', h.a, 2],
    ['bOld', h.b, 20],
  ] as const) {
    mailIds[key] = (await db.insert(mailOutbox).values(mail(tenant, days)).returning())[0]!.id
    deliveryIds[key] = (await db.insert(webhookDeliveries).values(delivery(tenant, days)).returning())[0]!.id
  }
  before = { rollups: await rollupState(), a: await totals(h.a, campaignA), b: await totals(h.b, campaignB) }
})
afterAll(() => h.close())

describe("a site's retention settings", () => {
  it('shows the defaults until set, and null brings them back', async () => {
    const defaults = { eventsDays: 396, leadsDays: 730, mailDays: 30, webhookDeliveriesDays: 30 }
    const site = async (tenant: Tenant) =>
      (await (await admin(tenant).get(`/api/v1/sites/${tenant.siteId}`)).json()) as { retention: unknown }
    expect((await site(h.b)).retention).toEqual({ ...defaults, mailDays: 90, webhookDeliveriesDays: 90 })
    expect((await site(h.a)).retention).toEqual({
      eventsDays: 30,
      leadsDays: 60,
      mailDays: 7,
      webhookDeliveriesDays: 7,
    })
    const tenant = client(h.app, { secretKey: h.b.secretKey })
    const reset = await tenant.patch(`/api/v1/sites/${h.b.siteId}`, { retention: null })
    expect(((await reset.json()) as { retention: unknown }).retention).toEqual(defaults)
    expect((await site(h.b)).retention).toEqual(defaults)
    await tenant.patch(`/api/v1/sites/${h.b.siteId}`, {
      retention: { mailDays: 90, webhookDeliveriesDays: 90 },
    })
  })

  it.each([
    [{ eventsDays: 7 }, 'retention.eventsDays'],
    [{ eventsDays: 4000 }, 'retention.eventsDays'],
    [{ leadsDays: 1.5 }, 'retention.leadsDays'],
    [{ mailDays: '30' }, 'retention.mailDays'],
    [{ webhookDeliveriesDays: 0 }, 'retention.webhookDeliveriesDays'],
    [{ forever: true }, 'retention.forever'],
    [[30], 'retention'],
  ])('refuses %j at %s and changes nothing', async (retention, path) => {
    const res = await admin(h.a).patch(`/api/v1/sites/${h.a.siteId}`, { name: 'Renamed', retention })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { code: string; details: { path: string }[] } }
    expect(body.error.code).toBe('validation_failed')
    expect(body.error.details.map((d) => d.path)).toContain(path)
    const site = (await (await admin(h.a).get(`/api/v1/sites/${h.a.siteId}`)).json()) as any
    expect([site.name, site.retention.eventsDays]).toEqual(['Site a', 30])
  })
})

describe('the retention sweep', () => {
  let result: Awaited<ReturnType<typeof sweepRetention>>
  let oldMail: number
  beforeAll(async () => {
    expect(await partitions()).toContain('events_p202503')
    // Each submit's confirmation is in the outbox too, written at the time of its submit.
    const older = async (tenant: Tenant, days: number) =>
      (
        await h.database.db
          .select()
          .from(mailOutbox)
          .where(and(eq(mailOutbox.siteId, tenant.siteId), lt(mailOutbox.createdAt, ago(days))))
      ).length
    oldMail = (await older(h.a, 7)) + (await older(h.b, 90))
    expect(oldMail).toBe(5)
    // Two rows a statement: every kind needs several batches.
    result = await sweepRetention(h.database.db, now, { batchSize: 2 })
  })

  it("deletes a site's events older than its setting and keeps younger ones and another site's", async () => {
    expect(await stored(ids.aOld!)).toBe(0)
    expect(await stored(ids.aYoung!)).toBe(2)
    expect(await stored(ids.bOld!)).toBe(2)
    expect(result).toMatchObject({ events: 8, complete: true })
  })

  it('forgets the profile, identity, recent views and old first exposures of a visitor not seen since, and keeps the others', async () => {
    const held = async (visitor: string) => {
      const rows = []
      for (const table of ['visitor_profiles', 'identities', 'visitor_recent_views', 'exposures']) {
        const [row] = rowsOf<{ n: number | string }>(
          await h.database.db.execute(
            sql`select count(*) as n from ${sql.identifier(table)} where anonymous_id = ${visitor}`,
          ),
        )
        rows.push(Number(row!.n))
      }
      return rows
    }
    expect(await held('a-gone')).toEqual([0, 0, 0, 0])
    expect(await held('a-here')).toEqual([1, 1, 1, 1])
    expect(await held('b-old')).toEqual([1, 0, 0, 1])
    // a-gone's four rows, the profiles of A's three visitors last seen 31 to 45 days ago, and of the visitors
    // whose events went with their partition (March 2025), on A and on B.
    expect(result.visitors).toBe(9)
    expect(await held('b-ancient')).toEqual([0, 0, 0, 0])
  })

  it('drops the monthly partitions older than every site keeps events, and no younger one', async () => {
    // B keeps 396 days: before 2025-10-29 nothing is kept by anyone; October 2025 still holds days B keeps.
    const left = await partitions()
    expect(left).not.toContain('events_p202503')
    expect(left).not.toContain('events_p202509')
    expect(left).toContain('events_p202510')
    expect(left).toContain('events_p202611')
    expect(result.partitionsDropped).toEqual(
      ['03', '04', '05', '06', '07', '08', '09'].map((month) => `events_p2025${month}`),
    )
    expect(await stored([...ids.aLongAgo!, ...ids.bLongAgo!])).toBe(0)
  })

  it('deletes leads whose last submit is older than the setting, with their submissions, and no other', async () => {
    const db = h.database.db
    const left = (await db.select({ id: leads.id }).from(leads)).map((row) => row.id)
    expect(left).not.toContain(leadIds.aOld)
    expect(left).toEqual(expect.arrayContaining([leadIds.aReturning, leadIds.bOld]))
    expect(await db.select().from(leadSubmissions).where(eq(leadSubmissions.leadId, leadIds.aOld!))).toEqual(
      [],
    )
    // A lead that came back keeps its first submission, with the consent it was given.
    expect(
      await db.select().from(leadSubmissions).where(eq(leadSubmissions.leadId, leadIds.aReturning!)),
    ).toHaveLength(2)
    expect(result.leads).toBe(1)
  })

  it('deletes mail and webhook deliveries older than the setting, and no other', async () => {
    const db = h.database.db
    const mail = (await db.select({ id: mailOutbox.id }).from(mailOutbox)).map((row) => row.id)
    expect(mail).not.toContain(mailIds.aOld)
    expect(mail).toEqual(expect.arrayContaining([mailIds.aYoung, mailIds.bOld]))
    const deliveries = (await db.select({ id: webhookDeliveries.id }).from(webhookDeliveries)).map(
      (r) => r.id,
    )
    expect(deliveries).not.toContain(deliveryIds.aOld)
    expect(deliveries).toEqual(expect.arrayContaining([deliveryIds.aYoung, deliveryIds.bOld]))
    const oldOfA = await db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.siteId, h.a.siteId), lt(mailOutbox.createdAt, ago(7))))
    expect(oldOfA).toEqual([])
    expect(result).toMatchObject({ mail: oldMail, webhookDeliveries: 1 })
  })

  it('keeps every rollup, so analytics answer the same totals', async () => {
    expect(await rollupState()).toEqual(before.rollups)
    expect(await totals(h.a, campaignA)).toEqual(before.a)
    expect(await totals(h.b, campaignB)).toEqual(before.b)
    expect((before.a as { impressions: number }[])[1]!.impressions).toBe(4)
  })

  it('finds nothing more to do the second time', async () => {
    expect(await sweepRetention(h.database.db, now)).toEqual({
      partitionsDropped: [],
      events: 0,
      visitors: 0,
      leads: 0,
      mail: 0,
      webhookDeliveries: 0,
      complete: true,
    })
  })

  it('stops at its deadline and leaves the rest for the next sweep', async () => {
    const later = now + 30 * dayMs
    const stopped = await sweepRetention(h.database.db, later, { deadline: Date.now() - 1 })
    expect(stopped).toMatchObject({ events: 0, complete: false })
    expect(await stored(ids.aYoung!)).toBe(2)
    const finished = await sweepRetention(h.database.db, later)
    expect(finished).toMatchObject({ events: 4, complete: true })
    expect(await stored(ids.aYoung!)).toBe(0)
  })

  it('refuses to credit again the days whose events it deleted, which would lose their credit', async () => {
    const recompute = (from: Date) =>
      admin(h.a).post(`/api/v1/sites/${h.a.siteId}/attribution/recompute`, {
        from: from.toISOString(),
        to: ago(0).toISOString(),
      })
    const res = await recompute(ago(31))
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { details: { path: string }[] } }
    expect(body.error.details.map((d) => d.path)).toEqual(['from'])
    expect((await recompute(ago(29))).status).toBe(200)
  })
})
