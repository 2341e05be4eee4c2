import { and, desc, eq, ilike, inArray, lt, or, type SQL, sql } from 'drizzle-orm'
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { toCsv } from '../../../api/core/csv'
import { ApiError, validationError } from '../../../api/core/errors'
import { siteInScope, sitesInScope } from '../../../api/http/auth/admin'
import type { AppEnv } from '../../../api/http/env'
import { headerOf, parseQuery, pathId, readBody } from '../../../api/http/request'
import { decodeCursor, encodeCursor } from '../../../api/services/cursor'
import type { Services } from '../../../api/services/index'
import { contentItemInput } from '../../../schema/content'
import { type ContentReview, contentItems, contentSightings } from '../../../schema/db'
import { limits } from '../../../schema/limits'
import { catalogOf } from './cache'
import { type CatalogWrite, type ContentRow, contentJson, upsertItems, writeOf } from './catalog'
import { importRows } from './csv-import'

/** Items one PUT may upsert. */
export const maxPutItems = 500
/** Rows a CSV export holds at most (the whole catalog of all but the largest sites). */
const maxExportRows = 10_000

export const listQuery = z.strictObject({
  siteId: z.uuid().optional(),
  q: z.string().trim().min(1).max(limits.shortText).optional(),
  tag: z.string().trim().min(1).max(limits.tag).optional(),
  category: z.string().trim().min(1).max(limits.shortText).optional(),
  source: z.enum(['admin', 'csv', 'page']).optional(),
  review: z.enum(['pending', 'approved', 'rejected']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
  format: z.enum(['json', 'csv']).default('json'),
})

export const siteQuery = z.strictObject({ siteId: z.uuid().optional() })

export const putOne = contentItemInput.extend({ siteId: z.uuid().optional() })
export const putMany = z.strictObject({
  siteId: z.uuid().optional(),
  items: z.array(contentItemInput).min(1).max(maxPutItems),
})

/** `%`, `_` and `\` in a search are literal characters, not patterns. */
const literal = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`)

/** The columns of an import, so an export can be edited and imported again. */
const csvHeader = ['url', 'title', 'image', 'summary', 'tags', 'category', 'published_at'] as const
const csvRow = (row: ContentRow) => [
  row.url,
  row.title,
  row.imageUrl,
  row.summary,
  row.tags.join(';'),
  row.category,
  row.publishedAt?.toISOString() ?? null,
]

/**
 * The content catalog recommendation rails choose from: list (search, tag, category, source, review; by cursor;
 * or as CSV), upsert by URL (one item or up to 500), import a CSV file, approve or reject, delete. Another organization's items do not
 * exist. Every write drops this instance's cached catalog of the site; other instances reload within a minute.
 */
export function contentRoutes(services: Services) {
  const app = new Hono<AppEnv>()
  const db = services.db

  app.get('/', async (c) => {
    const principal = c.get('principal')
    const query = parseQuery(c, listQuery)
    const siteIds = sitesInScope(principal, query.siteId)
    const csv = query.format === 'csv'
    if (siteIds.length === 0) {
      return csv ? c.body(toCsv(csvHeader, []), 200, csvHeaders) : c.json({ data: [], nextCursor: null })
    }
    const after = query.cursor && !csv ? decodeCursor(query.cursor) : undefined
    const filters: (SQL | undefined)[] = [
      inArray(contentItems.siteId, siteIds),
      query.q
        ? or(
            ilike(contentItems.title, `%${literal(query.q)}%`),
            ilike(contentItems.url, `%${literal(query.q)}%`),
          )
        : undefined,
      query.tag
        ? sql`${contentItems.tags} @> ${JSON.stringify([query.tag.toLowerCase()])}::jsonb`
        : undefined,
      query.category ? sql`lower(${contentItems.category}) = ${query.category.toLowerCase()}` : undefined,
      query.source ? eq(contentItems.source, query.source) : undefined,
      query.review ? eq(contentItems.review, query.review) : undefined,
      after
        ? or(
            lt(contentItems.createdAt, after.createdAt),
            and(eq(contentItems.createdAt, after.createdAt), lt(contentItems.id, after.id)),
          )
        : undefined,
    ]
    const limit = csv ? maxExportRows : query.limit
    const rows = await db
      .select()
      .from(contentItems)
      .where(and(...filters))
      .orderBy(desc(contentItems.createdAt), desc(contentItems.id))
      .limit(limit + 1)
    const page = rows.slice(0, limit)
    if (csv) return c.body(toCsv(csvHeader, page.map(csvRow)), 200, csvHeaders)
    const last = page[page.length - 1]
    return c.json({
      data: page.map(contentJson),
      nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
    })
  })

  app.get('/:id', async (c) => {
    return c.json(contentJson(await load(pathId(c), c.get('principal').siteIds)))
  })

  /**
   * Upserts by URL: one item (answered as itself, 201 when new) or `{items:[…]}` (answered with every stored
   * item, and how many were new). The whole request is checked first; nothing is stored if any item is wrong.
   */
  app.put('/', async (c) => {
    const principal = c.get('principal')
    const raw = await readBody(c, z.unknown())
    const many = typeof raw === 'object' && raw !== null && 'items' in raw
    const parsed = (many ? putMany : putOne).safeParse(raw)
    if (!parsed.success) throw validationError(parsed.error)
    const siteId = siteInScope(principal, parsed.data.siteId)
    const inputs = 'items' in parsed.data ? parsed.data.items : [parsed.data]
    const writes: CatalogWrite[] = []
    const firstOfUrl = new Map<string, number>()
    for (const [i, input] of inputs.entries()) {
      const path = many ? `items.${i}.url` : 'url'
      const write = writeOf(input)
      if (!write) throw fieldError(path, 'too long once normalised')
      const earlier = firstOfUrl.get(write.url)
      if (earlier !== undefined) throw fieldError(path, `the same URL as items.${earlier}`)
      firstOfUrl.set(write.url, i)
      writes.push(write)
    }
    const stored = await upsertItems(db, siteId, writes, 'admin', new Date(services.now()))
    catalogOf(services).invalidate(siteId)
    if (!many) return c.json(contentJson(stored[0]!.row), stored[0]!.created ? 201 : 200)
    return c.json({
      data: stored.map((entry) => contentJson(entry.row)),
      created: stored.filter((entry) => entry.created).length,
      updated: stored.filter((entry) => !entry.created).length,
    })
  })

  /**
   * `text/csv`, limited by the admin body size: the valid rows are stored together (all or none), the invalid
   * ones are answered with their line numbers and what is wrong, by column.
   */
  app.post('/import', async (c) => {
    const principal = c.get('principal')
    const siteId = siteInScope(principal, parseQuery(c, siteQuery).siteId)
    const type = (headerOf(c, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase()
    if (type !== 'text/csv' && type !== 'text/plain') {
      throw new ApiError('unsupported_media_type', 'Content-Type must be text/csv', {
        received: type || null,
      })
    }
    const { writes, rejected } = importRows(await c.req.text())
    const stored = await upsertItems(db, siteId, writes, 'csv', new Date(services.now()))
    if (stored.length > 0) catalogOf(services).invalidate(siteId)
    return c.json({
      created: stored.filter((entry) => entry.created).length,
      updated: stored.filter((entry) => !entry.created).length,
      rejected,
    })
  })

  /**
   * An admin's word on an item: `approve` lets rails recommend it now, `reject` keeps it out of them for good
   * (pages reporting it again change nothing). Either ends the wait for corroboration.
   */
  const review = (verdict: ContentReview) => async (c: Context<AppEnv>) => {
    const row = await load(pathId(c), c.get('principal').siteIds)
    const [updated] = await db.transaction(async (tx) => {
      await tx
        .delete(contentSightings)
        .where(and(eq(contentSightings.siteId, row.siteId), eq(contentSightings.url, row.url)))
      return tx
        .update(contentItems)
        .set({ review: verdict, updatedAt: new Date(services.now()) })
        .where(and(eq(contentItems.id, row.id), eq(contentItems.siteId, row.siteId)))
        .returning()
    })
    if (!updated) throw new ApiError('not_found', 'Content item not found')
    catalogOf(services).invalidate(row.siteId)
    return c.json(contentJson(updated))
  }
  app.post('/:id/approve', review('approved'))
  app.post('/:id/reject', review('rejected'))

  app.delete('/:id', async (c) => {
    const row = await load(pathId(c), c.get('principal').siteIds)
    await db.delete(contentItems).where(and(eq(contentItems.id, row.id), eq(contentItems.siteId, row.siteId)))
    catalogOf(services).invalidate(row.siteId)
    return c.body(null, 204)
  })

  async function load(id: string, siteIds: string[]): Promise<ContentRow> {
    const [row] = siteIds.length
      ? await db
          .select()
          .from(contentItems)
          .where(and(eq(contentItems.id, id), inArray(contentItems.siteId, siteIds)))
      : []
    if (!row) throw new ApiError('not_found', 'Content item not found')
    return row
  }

  return app
}

const csvHeaders = {
  'content-type': 'text/csv; charset=utf-8',
  'content-disposition': 'attachment; filename="content.csv"',
}

const fieldError = (path: string, message: string) =>
  new ApiError('validation_failed', `${path}: ${message}`, [{ path, message }])
