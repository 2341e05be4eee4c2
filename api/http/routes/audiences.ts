import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import { campaignAudienceKey } from '../../../schema/audiences'
import { audienceMemberships, audienceRuns, auditLog, campaigns, segments } from '../../../schema/db'
import { segmentCreate, segmentPatch } from '../../../schema/segments'
import { builtInSegments } from '../../../schema/targeting'
import { ApiError } from '../../core/errors'
import { isCampaignAudienceKey } from '../../services/audiences/kept'
import { audienceSize, exportCsv, refreshedAt, sizeSeries } from '../../services/audiences/read'
import type { Services } from '../../services/index'
import { builtInDescriptions } from '../../services/profile/segments'
import { siteInScope, sitesInScope } from '../auth/admin'
import type { AppEnv } from '../env'
import { parseQuery, pathId, readBody } from '../request'

/** Ingest evaluates every custom segment of the site on each batch, so a site keeps at most this many. */
export const maxSegmentsPerSite = 100

export const listQuery = z.strictObject({ siteId: z.uuid().optional() })

const day = z.iso.date()
/** The size series' days (UTC): the last 30 by default, at most a year and a day. */
export const sizeQuery = z
  .strictObject({ from: day.optional(), to: day.optional() })
  .superRefine((query, ctx) => {
    if (query.from && query.to && query.from > query.to) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' })
    }
  })
export const exportQuery = z.strictObject({ format: z.enum(['meta', 'google']) })
const maxSeriesDays = 366
const dayMs = 86_400_000

const builtIns = builtInSegments.map((key) => ({ key, ...builtInDescriptions[key], builtIn: true as const }))

function audienceJson(
  row: typeof segments.$inferSelect,
  state?: { size: number; refreshedAt: string | null },
) {
  return {
    ...state,
    id: row.id,
    siteId: row.siteId,
    key: row.key,
    name: row.name,
    rule: row.rule,
    lookbackDays: row.lookbackDays,
    builtIn: false as const,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

/** The members and last refresh of each of the site's audiences (saved and campaign), by key. */
async function statesOf(db: Services['db'], siteIds: string[]) {
  const states = new Map<string, { size: number; refreshedAt: string | null }>()
  if (siteIds.length === 0) return states
  const sizes = await db
    .select({ siteId: audienceMemberships.siteId, key: audienceMemberships.audienceKey, n: count() })
    .from(audienceMemberships)
    .where(and(inArray(audienceMemberships.siteId, siteIds), isNull(audienceMemberships.exitedAt)))
    .groupBy(audienceMemberships.siteId, audienceMemberships.audienceKey)
  const runs = await db
    .select({ siteId: audienceRuns.siteId, key: audienceRuns.audienceKey, at: audienceRuns.refreshedAt })
    .from(audienceRuns)
    .where(and(inArray(audienceRuns.siteId, siteIds), sql`${audienceRuns.definition} <> ''`))
  const at = (siteId: string, key: string) => states.get(`${siteId}\n${key}`)
  for (const row of sizes) states.set(`${row.siteId}\n${row.key}`, { size: row.n, refreshedAt: null })
  for (const row of runs) {
    const state = at(row.siteId, row.key)
    if (state) state.refreshedAt = row.at.toISOString()
    else states.set(`${row.siteId}\n${row.key}`, { size: 0, refreshedAt: row.at.toISOString() })
  }
  return states
}

const keyTaken = (key: string) =>
  new ApiError('conflict', `key: ${key} is already a segment of this site`, [
    { path: 'key', message: 'already in use' },
  ])

/**
 * Audiences: the built-in segments, which every site has, and a site's custom segments (rules over traits and
 * event counts), which ingest evaluates for each visitor it updates. Another organization's segment does not
 * exist.
 */
export function audienceRoutes(services: Services) {
  const app = new Hono<AppEnv>()
  const db = services.db

  async function load(id: string, siteIds: string[]) {
    const [row] = siteIds.length
      ? await db
          .select()
          .from(segments)
          .where(and(eq(segments.id, id), inArray(segments.siteId, siteIds)))
      : []
    if (!row) throw new ApiError('not_found', 'Audience not found')
    return row
  }

  app.get('/', async (c) => {
    const principal = c.get('principal')
    const query = parseQuery(c, listQuery)
    const siteIds = sitesInScope(principal, query.siteId)
    const rows = siteIds.length
      ? await db
          .select()
          .from(segments)
          .where(inArray(segments.siteId, siteIds))
          .orderBy(asc(segments.siteId), asc(segments.key))
      : []
    const states = await statesOf(db, siteIds)
    const stateOf = (row: typeof segments.$inferSelect) =>
      states.get(`${row.siteId}\n${row.key}`) ?? { size: 0, refreshedAt: null }
    return c.json({ data: [...builtIns, ...rows.map((row) => audienceJson(row, stateOf(row)))] })
  })

  app.post('/', async (c) => {
    const principal = c.get('principal')
    const body = await readBody(c, segmentCreate)
    const siteId = siteInScope(principal, body.siteId)
    if ((builtInSegments as readonly string[]).includes(body.key)) throw keyTaken(body.key)
    if (isCampaignAudienceKey(body.key)) {
      throw new ApiError('validation_failed', 'key: c_ and 32 hex digits name a campaign’s own audience', [
        { path: 'key', message: 'reserved for campaign audiences' },
      ])
    }
    const [held] = await db.select({ n: count() }).from(segments).where(eq(segments.siteId, siteId))
    if ((held?.n ?? 0) >= maxSegmentsPerSite) {
      throw new ApiError('unprocessable', `A site has at most ${maxSegmentsPerSite} custom segments`)
    }
    const [row] = await db
      .insert(segments)
      .values({ siteId, key: body.key, name: body.name, rule: body.rule, lookbackDays: body.lookbackDays })
      .onConflictDoNothing({ target: [segments.siteId, segments.key] })
      .returning()
    if (!row) throw keyTaken(body.key)
    return c.json(audienceJson(row), 201)
  })

  /** A saved audience's id or a campaign's id (its own audience), within the principal's sites. */
  async function audienceOf(id: string, siteIds: string[]) {
    const [saved] = siteIds.length
      ? await db
          .select({ siteId: segments.siteId, key: segments.key })
          .from(segments)
          .where(and(eq(segments.id, id), inArray(segments.siteId, siteIds)))
      : []
    if (saved) return saved
    const types = services.audiences.types
    const [campaign] =
      siteIds.length && types.length
        ? await db
            .select({ siteId: campaigns.siteId, type: campaigns.type, config: campaigns.config })
            .from(campaigns)
            .where(
              and(
                eq(campaigns.id, id),
                inArray(campaigns.siteId, siteIds),
                inArray(campaigns.type, [...types]),
              ),
            )
        : []
    if (!campaign || !services.audiences.of(campaign.type, campaign.config)) {
      throw new ApiError('not_found', 'Audience not found')
    }
    return { siteId: campaign.siteId, key: campaignAudienceKey(id) }
  }

  app.get('/campaigns', async (c) => {
    const principal = c.get('principal')
    const siteIds = sitesInScope(principal, parseQuery(c, listQuery).siteId)
    const types = services.audiences.types
    const rows =
      siteIds.length && types.length
        ? await db
            .select()
            .from(campaigns)
            .where(and(inArray(campaigns.siteId, siteIds), inArray(campaigns.type, [...types])))
            .orderBy(asc(campaigns.siteId), asc(campaigns.name), asc(campaigns.id))
        : []
    const states = await statesOf(db, siteIds)
    const data = rows.flatMap((row) => {
      const audience = services.audiences.of(row.type, row.config)
      if (!audience) return []
      const key = campaignAudienceKey(row.id)
      const state = states.get(`${row.siteId}\n${key}`) ?? { size: 0, refreshedAt: null }
      return [
        {
          campaignId: row.id,
          siteId: row.siteId,
          name: row.name,
          status: row.status,
          key,
          audience: audience.audience,
          exclude: audience.exclude,
          ...state,
        },
      ]
    })
    return c.json({ data })
  })

  app.get('/:id/size', async (c) => {
    const { siteId, key } = await audienceOf(pathId(c), c.get('principal').siteIds)
    const query = parseQuery(c, sizeQuery)
    const now = services.now()
    const to = query.to ?? new Date(now).toISOString().slice(0, 10)
    const from = query.from ?? new Date(Date.parse(to) - 29 * dayMs).toISOString().slice(0, 10)
    if ((Date.parse(to) - Date.parse(from)) / dayMs + 1 > maxSeriesDays) {
      throw new ApiError('validation_failed', `from: at most ${maxSeriesDays} days`, [
        { path: 'from', message: `at most ${maxSeriesDays} days before to` },
      ])
    }
    if (from > to) {
      throw new ApiError('validation_failed', 'from: must not be after to', [
        { path: 'from', message: 'must not be after to' },
      ])
    }
    const [size, refreshed, series] = await Promise.all([
      audienceSize(db, siteId, key),
      refreshedAt(db, siteId, key),
      sizeSeries(db, siteId, key, from, to, now),
    ])
    return c.json({ key, siteId, size, refreshedAt: refreshed, series })
  })

  /**
   * The current members as Meta's or Google's customer list: hashes only, people whose stored consent allows
   * marketing only. Each download is written to the audit log (who, which audience, how many rows).
   */
  app.get('/:id/export', async (c) => {
    const id = pathId(c)
    const principal = c.get('principal')
    const { siteId, key } = await audienceOf(id, principal.siteIds)
    const { format } = parseQuery(c, exportQuery)
    const { csv, rows } = await exportCsv(db, siteId, key, format)
    await db.insert(auditLog).values({
      organizationId: principal.organizationId,
      siteId,
      actor: principal.actor,
      actorEmail: principal.kind === 'user' ? principal.email : null,
      method: 'GET',
      route: '/api/v1/audiences/{id}/export',
      entityId: id,
      status: 200,
      before: null,
      after: { format, key, rows },
    })
    c.header('Content-Type', 'text/csv; charset=utf-8')
    c.header('Content-Disposition', `attachment; filename="audience-${key}-${format}.csv"`)
    return c.body(csv)
  })

  app.get('/:id', async (c) => {
    return c.json(audienceJson(await load(pathId(c), c.get('principal').siteIds)))
  })

  app.patch('/:id', async (c) => {
    const id = pathId(c)
    const row = await load(id, c.get('principal').siteIds)
    const patch = await readBody(c, segmentPatch)
    const [updated] = await db
      .update(segments)
      .set({ ...patch, updatedAt: new Date(services.now()) })
      .where(and(eq(segments.id, id), eq(segments.siteId, row.siteId)))
      .returning()
    if (!updated) throw new ApiError('not_found', 'Audience not found')
    return c.json(audienceJson(updated))
  })

  app.delete('/:id', async (c) => {
    const id = pathId(c)
    const row = await load(id, c.get('principal').siteIds)
    await db.delete(segments).where(and(eq(segments.id, id), eq(segments.siteId, row.siteId)))
    return c.body(null, 204)
  })

  return app
}
