import { and, asc, eq, gt, ilike, inArray, or, type SQL } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import { toCsv } from '../../../api/core/csv'
import { ApiError } from '../../../api/core/errors'
import { siteInScope, sitesInScope } from '../../../api/http/auth/admin'
import type { AppEnv } from '../../../api/http/env'
import { headerOf, parseQuery, pathId, readBody } from '../../../api/http/request'
import type { Services } from '../../../api/services/index'
import { stores } from '../../../schema/db'
import { limits } from '../../../schema/limits'
import { storeInput } from '../store'
import { exportRow, importStores, storeColumns } from './csv-import'
import { type StoreRow, storeJson, upsertStores } from './stores'

/** Rows a CSV export holds at most. */
const maxExportRows = 10_000

export const storeListQuery = z.strictObject({
  siteId: z.uuid().optional(),
  q: z.string().trim().min(1).max(limits.shortText).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The last ref of the previous page. */
  after: z.string().max(64).optional(),
  format: z.enum(['json', 'csv']).default('json'),
})
export const storeSiteQuery = z.strictObject({ siteId: z.uuid().optional() })
export const storePut = storeInput.extend({ siteId: z.uuid().optional() })

/** `%`, `_` and `\` in a search are literal characters, not patterns. */
const literal = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`)

const csvHeaders = {
  'content-type': 'text/csv; charset=utf-8',
  'content-disposition': 'attachment; filename="stores.csv"',
}

/**
 * A site's stores: list (search by name, city or postcode; by ref order; or as CSV), read, create or replace by
 * ref, import a CSV file (all rows or none), delete. Another organization's stores do not exist.
 */
export function storeRoutes(services: Services) {
  const app = new Hono<AppEnv>()
  const db = services.db

  app.get('/', async (c) => {
    const query = parseQuery(c, storeListQuery)
    const siteIds = sitesInScope(c.get('principal'), query.siteId)
    const csv = query.format === 'csv'
    if (siteIds.length === 0) {
      return csv ? c.body(toCsv(storeColumns, []), 200, csvHeaders) : c.json({ data: [], nextCursor: null })
    }
    const pattern = query.q ? `%${literal(query.q)}%` : undefined
    const filters: (SQL | undefined)[] = [
      inArray(stores.siteId, siteIds),
      pattern
        ? or(ilike(stores.name, pattern), ilike(stores.city, pattern), ilike(stores.postalCode, pattern))
        : undefined,
      query.after && !csv ? gt(stores.ref, query.after) : undefined,
    ]
    const limit = csv ? maxExportRows : query.limit
    const rows = await db
      .select()
      .from(stores)
      .where(and(...filters))
      .orderBy(asc(stores.ref), asc(stores.id))
      .limit(limit + 1)
    const page = rows.slice(0, limit)
    if (csv) return c.body(toCsv(storeColumns, page.map(exportRow)), 200, csvHeaders)
    return c.json({
      data: page.map(storeJson),
      nextCursor: rows.length > limit ? (page[page.length - 1]?.ref ?? null) : null,
    })
  })

  app.get('/:id', async (c) => c.json(storeJson(await load(pathId(c), c.get('principal').siteIds))))

  app.put('/', async (c) => {
    const { siteId: requested, ...input } = await readBody(c, storePut)
    const siteId = siteInScope(c.get('principal'), requested)
    const [stored] = await upsertStores(db, siteId, [input], new Date(services.now()))
    return c.json(storeJson(stored!.row), stored!.created ? 201 : 200)
  })

  /** `text/csv`: every row is stored, or none when any line is wrong (each wrong line answered by column). */
  app.post('/import', async (c) => {
    const siteId = siteInScope(c.get('principal'), parseQuery(c, storeSiteQuery).siteId)
    const type = (headerOf(c, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase()
    if (type !== 'text/csv' && type !== 'text/plain') {
      throw new ApiError('unsupported_media_type', 'Content-Type must be text/csv', {
        received: type || null,
      })
    }
    const { inputs, rejected } = importStores(await c.req.text())
    if (rejected.length > 0) {
      const first = rejected[0]!
      const issue = first.errors[0]
      throw new ApiError(
        'validation_failed',
        `line ${first.line}: ${issue ? `${issue.path}: ${issue.message}` : 'invalid'}; nothing was imported`,
        rejected.flatMap(({ line, errors }) => errors.map((error) => ({ line, ...error }))),
      )
    }
    const stored = await upsertStores(db, siteId, inputs, new Date(services.now()))
    return c.json({
      created: stored.filter((entry) => entry.created).length,
      updated: stored.filter((entry) => !entry.created).length,
      rejected: [],
    })
  })

  app.delete('/:id', async (c) => {
    const row = await load(pathId(c), c.get('principal').siteIds)
    await db.delete(stores).where(and(eq(stores.id, row.id), eq(stores.siteId, row.siteId)))
    return c.body(null, 204)
  })

  async function load(id: string, siteIds: string[]): Promise<StoreRow> {
    const [row] = siteIds.length
      ? await db
          .select()
          .from(stores)
          .where(and(eq(stores.id, id), inArray(stores.siteId, siteIds)))
      : []
    if (!row) throw new ApiError('not_found', 'Store not found')
    return row
  }

  return app
}
