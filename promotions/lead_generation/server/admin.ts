import { and, asc, desc, eq, exists, gte, inArray, like, lt, or, type SQL, sql } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import { toCsv } from '../../../api/core/csv'
import { ApiError } from '../../../api/core/errors'
import { sitesInScope } from '../../../api/http/auth/admin'
import type { AppEnv } from '../../../api/http/env'
import { parseQuery, pathId } from '../../../api/http/request'
import type { Db } from '../../../api/ports/database'
import { decodeCursor, encodeCursor } from '../../../api/services/cursor'
import type { Services } from '../../../api/services/index'
import {
  campaigns,
  leadSubmissions,
  leads,
  type mailOutbox,
  type webhookDeliveries,
} from '../../../schema/db'
import { isStorableTime, limits, unstorableTimeMessage } from '../../../schema/limits'
import { utmFields } from '../../../schema/targeting'
import { erasePerson, exportPerson, type Visitor } from './person'
import type { LeadRow, SubmissionRow } from './store'

/** An export holds at most this many leads; past it the answer asks for a narrower range. */
export const maxExportRows = 100_000

const grade = z
  .string()
  .trim()
  .toUpperCase()
  .pipe(z.enum(['A', 'B', 'C', 'D']))
const time = z.iso.datetime({ offset: true }).refine(isStorableTime, unstorableTimeMessage)
const filters = {
  siteId: z.uuid().optional(),
  /** Leads with a submission of this campaign. */
  campaignId: z.uuid().optional(),
  grade: grade.optional(),
  /** First captured in [from, to). */
  from: time.optional(),
  to: time.optional(),
  /** The start of the email. */
  q: z.string().trim().toLowerCase().min(1).max(limits.shortText).optional(),
}
type Filters = z.infer<z.ZodObject<typeof filters>>
export const listQuery = z.strictObject({
  ...filters,
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
})
export const exportQuery = z.strictObject(filters)
/** One person, by email as leads store it (trimmed, lower case), on one site or on every site in scope. */
export const personQuery = z.strictObject({
  email: z.string().trim().toLowerCase().min(1).max(limits.name),
  siteId: z.uuid().optional(),
})

interface Cursor {
  createdAt: Date
  id: string
}

const likePrefix = (text: string) => `${text.replace(/[\\%_]/g, '\\$&')}%`

function leadJson(row: LeadRow) {
  return {
    id: row.id,
    siteId: row.siteId,
    email: row.email,
    fields: row.fields,
    score: row.score,
    grade: row.grade,
    consent: row.consent,
    firstCampaignId: row.firstCampaignId,
    lastCampaignId: row.lastCampaignId,
    anonymousId: row.anonymousId,
    source: row.source,
    submissionCount: row.submissions,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

function submissionJson(row: SubmissionRow) {
  return {
    id: row.id,
    campaignId: row.campaignId,
    variantId: row.variantId,
    anonymousId: row.anonymousId,
    fields: row.fields,
    consent: row.consent,
    source: row.source,
    score: row.score,
    createdAt: row.createdAt.toISOString(),
  }
}

function mailJson(row: typeof mailOutbox.$inferSelect) {
  return {
    id: row.id,
    to: row.to,
    subject: row.subject,
    text: row.text,
    status: row.status,
    transport: row.transport,
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  }
}

function leadFilter(db: Db, siteIds: string[], f: Filters): SQL | undefined {
  return and(
    inArray(leads.siteId, siteIds),
    f.campaignId
      ? exists(
          db
            .select({ one: sql`1` })
            .from(leadSubmissions)
            .where(and(eq(leadSubmissions.leadId, leads.id), eq(leadSubmissions.campaignId, f.campaignId))),
        )
      : undefined,
    f.grade ? eq(leads.grade, f.grade) : undefined,
    f.from ? gte(leads.createdAt, new Date(f.from)) : undefined,
    f.to ? lt(leads.createdAt, new Date(f.to)) : undefined,
    f.q ? like(leads.email, likePrefix(f.q)) : undefined,
  )
}

const after = (cursor: Cursor | undefined) =>
  cursor
    ? or(
        lt(leads.createdAt, cursor.createdAt),
        and(eq(leads.createdAt, cursor.createdAt), lt(leads.id, cursor.id)),
      )
    : undefined

/** A lead's CSV row: fixed columns first, then one `fields.<name>` column per form field any lead has. */
function csvOf(rows: LeadRow[], campaignNames: Map<string, string>) {
  const fieldNames = [...new Set(rows.flatMap((r) => Object.keys(r.fields)))]
    .filter((n) => n !== 'email')
    .sort()
  const header = [
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
    ...utmFields,
    'referrer',
    'url',
    'consent_granted',
    'consent_text',
    'consent_at',
    ...fieldNames.map((n) => `fields.${n}`),
  ]
  const lines = rows.map((r) => [
    r.id,
    r.email,
    r.grade,
    r.score,
    r.submissions,
    r.firstCampaignId,
    r.lastCampaignId,
    r.lastCampaignId ? (campaignNames.get(r.lastCampaignId) ?? null) : null,
    r.createdAt.toISOString(),
    r.updatedAt.toISOString(),
    ...utmFields.map((f) => r.source.utm[f] ?? null),
    r.source.referrer,
    r.source.url,
    r.consent?.granted ?? null,
    r.consent?.text ?? null,
    r.consent?.at ?? null,
    ...fieldNames.map((n) => r.fields[n] ?? null),
  ])
  return toCsv(header, lines)
}

type DeliveryRow = typeof webhookDeliveries.$inferSelect
const leadIdOf = (delivery: DeliveryRow) =>
  (delivery.payload as { data?: { lead?: { id?: string } } }).data?.lead?.id
const deliveryJson = ({ id, event, status, createdAt, deliveredAt, payload }: DeliveryRow) => ({
  id,
  event,
  status,
  createdAt,
  deliveredAt,
  payload,
})

/**
 * The lead list, one lead with its submissions, the CSV export, and the privacy endpoints: everything stored
 * about one person by email, and erasing it. Another organization's lead does not exist.
 */
export function leadAdminRoutes(services: Services) {
  const app = new Hono<AppEnv>()
  const db = services.db

  app.get('/', async (c) => {
    const query = parseQuery(c, listQuery)
    const siteIds = sitesInScope(c.get('principal'), query.siteId)
    if (siteIds.length === 0) return c.json({ data: [], nextCursor: null })
    const cursor = query.cursor ? decodeCursor(query.cursor) : undefined
    const rows = await db
      .select()
      .from(leads)
      .where(and(leadFilter(db, siteIds, query), after(cursor)))
      .orderBy(desc(leads.createdAt), desc(leads.id))
      .limit(query.limit + 1)
    const page = rows.slice(0, query.limit)
    const last = page[page.length - 1]
    return c.json({
      data: page.map(leadJson),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    })
  })

  app.get('/export.csv', async (c) => {
    const query = parseQuery(c, exportQuery)
    const siteIds = sitesInScope(c.get('principal'), query.siteId)
    const rows: LeadRow[] = []
    let cursor: Cursor | undefined
    while (siteIds.length > 0) {
      const page = await db
        .select()
        .from(leads)
        .where(and(leadFilter(db, siteIds, query), after(cursor)))
        .orderBy(desc(leads.createdAt), desc(leads.id))
        .limit(1_000)
      rows.push(...page)
      if (rows.length > maxExportRows) {
        throw new ApiError('unprocessable', `An export holds at most ${maxExportRows} leads: narrow from/to`)
      }
      const last = page[page.length - 1]
      if (!last || page.length < 1_000) break
      cursor = last
    }
    const campaignIds = [...new Set(rows.flatMap((r) => (r.lastCampaignId ? [r.lastCampaignId] : [])))]
    const names = campaignIds.length
      ? await db
          .select({ id: campaigns.id, name: campaigns.name })
          .from(campaigns)
          .where(and(inArray(campaigns.id, campaignIds), inArray(campaigns.siteId, siteIds)))
      : []
    const day = new Date(services.now()).toISOString().slice(0, 10)
    return c.body(csvOf(rows, new Map(names.map((n) => [n.id, n.name]))), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="leads-${day}.csv"`,
    })
  })

  app.get('/person', async (c) => {
    const query = parseQuery(c, personQuery)
    const siteIds = sitesInScope(c.get('principal'), query.siteId)
    const { found, submissions, mail, deliveries, visitors, serverEvents, byEmail } = await exportPerson(
      db,
      siteIds,
      query.email,
      services.personalData,
    )
    return c.json({
      email: query.email,
      leads: found.map((lead) => ({
        ...leadJson(lead),
        submissions: submissions.filter((s) => s.leadId === lead.id).map(submissionJson),
        mail: mail.filter((m) => m.leadId === lead.id).map(mailJson),
        webhookDeliveries: deliveries.filter((d) => leadIdOf(d) === lead.id).map(deliveryJson),
      })),
      // Mail and deliveries about the person whose lead is gone (the retention sweep deleted it first).
      mail: mail.filter((m) => !found.some((lead) => lead.id === m.leadId)).map(mailJson),
      webhookDeliveries: deliveries
        .filter((d) => !found.some((lead) => lead.id === leadIdOf(d)))
        .map(deliveryJson),
      visitors,
      serverEvents,
      ...(byEmail ? { byEmail } : {}),
    })
  })

  /** Erasure (see `erasePerson`): the person's leads and everything that links anything to them. */
  app.delete('/person', async (c) => {
    const query = parseQuery(c, personQuery)
    const siteIds = sitesInScope(c.get('principal'), query.siteId)
    // The serving store keeps each visitor's traits and segments for targeting: they are emptied first.
    const forget = async (visitors: Visitor[]) => {
      try {
        await services.kv.setProfiles(
          visitors.map(({ siteId, anonymousId }) => ({
            site: siteId,
            visitor: anonymousId,
            segments: [],
            traits: {},
            returning: false,
          })),
        )
      } catch {
        throw new ApiError('unavailable', 'The serving store did not answer: nothing was erased, try again')
      }
      // Serve's exposure records still waiting, and the pairs it remembers as written, go with them.
      services.exposures.forget(visitors.map((visitor) => visitor.anonymousId))
    }
    return c.json({
      email: query.email,
      deleted: await erasePerson(db, siteIds, query.email, forget, services.personalData),
    })
  })

  app.get('/:id', async (c) => {
    const id = pathId(c)
    const siteIds = c.get('principal').siteIds
    const [lead] = siteIds.length
      ? await db
          .select()
          .from(leads)
          .where(and(eq(leads.id, id), inArray(leads.siteId, siteIds)))
      : []
    if (!lead) throw new ApiError('not_found', 'Lead not found')
    const submissions = await db
      .select()
      .from(leadSubmissions)
      .where(eq(leadSubmissions.leadId, lead.id))
      .orderBy(asc(leadSubmissions.createdAt), asc(leadSubmissions.id))
    return c.json({ ...leadJson(lead), submissions: submissions.map(submissionJson) })
  })

  return app
}
