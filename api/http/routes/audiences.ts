import { and, asc, count, eq, inArray } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import { segments } from '../../../schema/db'
import { segmentCreate, segmentPatch } from '../../../schema/segments'
import { builtInSegments } from '../../../schema/targeting'
import { ApiError } from '../../core/errors'
import type { Services } from '../../services/index'
import { builtInDescriptions } from '../../services/profile/segments'
import { siteInScope, sitesInScope } from '../auth/admin'
import type { AppEnv } from '../env'
import { parseQuery, pathId, readBody } from '../request'

/** Ingest evaluates every custom segment of the site on each batch, so a site keeps at most this many. */
export const maxSegmentsPerSite = 100

export const listQuery = z.strictObject({ siteId: z.uuid().optional() })

const builtIns = builtInSegments.map((key) => ({ key, ...builtInDescriptions[key], builtIn: true as const }))

function audienceJson(row: typeof segments.$inferSelect) {
  return {
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
    return c.json({ data: [...builtIns, ...rows.map(audienceJson)] })
  })

  app.post('/', async (c) => {
    const principal = c.get('principal')
    const body = await readBody(c, segmentCreate)
    const siteId = siteInScope(principal, body.siteId)
    if ((builtInSegments as readonly string[]).includes(body.key)) throw keyTaken(body.key)
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
