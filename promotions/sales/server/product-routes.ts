import { and, desc, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import { type CsvRecord, parseCsv, toCsv } from '../../../api/core/csv'
import { ApiError, type FieldIssue, issuesOf, validationError } from '../../../api/core/errors'
import { siteInScope, sitesInScope } from '../../../api/http/auth/admin'
import type { AppEnv } from '../../../api/http/env'
import { headerOf, parseQuery, pathId, readBody } from '../../../api/http/request'
import { olderThan, page } from '../../../api/services/cursor'
import type { Services } from '../../../api/services/index'
import { products } from '../../../schema/db'
import { isStorableText, limits, unstorableMessage } from '../../../schema/limits'
import {
  availabilities,
  type ProductInput,
  type ProductRow,
  type ProductWrite,
  productInput,
  productJson,
  upsertProducts,
  writeOfInput,
} from './products'

/** Products one PUT may upsert. */
export const maxPutProducts = 500
/** Rows one CSV import holds at most. */
export const maxImportProducts = 5_000
const maxExportRows = 10_000

export const productListQuery = z.strictObject({
  siteId: z.uuid().optional(),
  q: z.string().trim().min(1).max(limits.shortText).optional(),
  category: z.string().trim().min(1).max(limits.shortText).optional(),
  source: z.enum(['admin', 'csv', 'page']).optional(),
  availability: z.enum(availabilities).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
  format: z.enum(['json', 'csv']).default('json'),
})
export const productSiteQuery = z.strictObject({ siteId: z.uuid().optional() })
export const putProduct = productInput.extend({ siteId: z.uuid().optional() })
export const putProducts = z.strictObject({
  siteId: z.uuid().optional(),
  products: z.array(productInput).min(1).max(maxPutProducts),
})

/** `%`, `_` and `\` in a search are literal characters. */
const literal = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`)

/** The columns of an import and an export (an export can be edited and imported again). */
const columns = {
  id: 'id',
  title: 'title',
  url: 'url',
  image: 'imageUrl',
  price: 'price',
  currency: 'currency',
  availability: 'availability',
  category: 'category',
} as const
type Column = keyof typeof columns
const csvHeader = Object.keys(columns) as Column[]
const csvRow = (row: ProductRow) => [
  row.productId,
  row.title,
  row.url,
  row.imageUrl,
  row.price,
  row.currency,
  row.availability,
  row.category,
]
const csvHeaders = {
  'content-type': 'text/csv; charset=utf-8',
  'content-disposition': 'attachment; filename="products.csv"',
}

export interface ProductRowError {
  line: number
  errors: FieldIssue[]
}

/**
 * A CSV file as product writes and the lines that cannot be stored, each with what is wrong by column. The header
 * names the columns in any order: id, title and url are required; image, price (a number with a dot), currency,
 * availability and category are optional; an empty cell is no value. An id given twice is an error on the later line.
 */
export function importProducts(text: string): { writes: ProductWrite[]; rejected: ProductRowError[] } {
  const { records, unterminatedAt } = parseCsv(text.startsWith('\uFEFF') ? text.slice(1) : text)
  const [head, ...rows] = records.filter((record) => record.cells.some((cell) => cell.trim() !== ''))
  if (!head) {
    throw new ApiError('validation_failed', 'header: the file is empty', [
      { path: 'header', message: 'a header row is required' },
    ])
  }
  const header = csvColumns(head)
  if (rows.length > maxImportProducts) {
    throw new ApiError('payload_too_large', `at most ${maxImportProducts} rows per import`, [
      { path: 'rows', message: `at most ${maxImportProducts}` },
    ])
  }
  const writes: ProductWrite[] = []
  const rejected: ProductRowError[] = []
  const firstLine = new Map<string, number>()
  for (const record of rows) {
    const errors: FieldIssue[] = []
    const input: Record<string, unknown> = {}
    header.forEach((column, i) => {
      const cell = (record.cells[i] ?? '').trim()
      if (cell === '') return
      if (!isStorableText(cell)) {
        errors.push({ path: column, message: unstorableMessage })
        return
      }
      if (column === 'price') {
        const price = /^\d+(\.\d+)?$/.test(cell) ? Number(cell) : Number.NaN
        if (Number.isNaN(price)) errors.push({ path: column, message: 'a number like 19.90' })
        else input.price = price
      } else input[columns[column]] = cell
    })
    if (record.cells.length > header.length) {
      errors.push({ path: 'row', message: `${record.cells.length} cells for ${header.length} columns` })
    }
    const parsed = productInput.safeParse(input)
    if (!parsed.success) {
      const byField = Object.fromEntries(Object.entries(columns).map(([column, field]) => [field, column]))
      for (const issue of issuesOf(parsed.error)) {
        errors.push({ path: byField[issue.path.split('.')[0]!] ?? issue.path, message: issue.message })
      }
    }
    if (errors.length === 0 && parsed.success) {
      const earlier = firstLine.get(parsed.data.id)
      if (earlier !== undefined) errors.push({ path: 'id', message: `the same id as line ${earlier}` })
      else firstLine.set(parsed.data.id, record.line)
    }
    if (errors.length > 0 || !parsed.success) rejected.push({ line: record.line, errors })
    else writes.push(writeOfInput(parsed.data))
  }
  if (unterminatedAt !== undefined) {
    rejected.push({ line: unterminatedAt, errors: [{ path: 'row', message: 'a quote is never closed' }] })
  }
  return { writes, rejected }
}

function csvColumns(record: CsvRecord): Column[] {
  const names = record.cells.map((cell) => cell.trim().toLowerCase())
  const issues: FieldIssue[] = [
    ...names
      .filter((name) => !Object.hasOwn(columns, name))
      .map((name) => ({ path: 'header', message: `unknown column "${name.slice(0, 40)}"` })),
    ...names
      .filter((name, i) => names.indexOf(name) !== i)
      .map((name) => ({ path: 'header', message: `column "${name}" appears twice` })),
    ...(['id', 'title', 'url'] as const)
      .filter((name) => !names.includes(name))
      .map((name) => ({ path: 'header', message: `column "${name}" is required` })),
  ]
  if (issues.length > 0) {
    throw new ApiError(
      'validation_failed',
      `header: ${issues[0]!.message} (columns: ${csvHeader.join(', ')})`,
      issues,
    )
  }
  return names as Column[]
}

const fieldError = (path: string, message: string) =>
  new ApiError('validation_failed', `${path}: ${message}`, [{ path, message }])

/**
 * A site's product catalog (`/api/v1/products`, admin): list (search by title or id, category, source,
 * availability; by cursor; or as formula-safe CSV), get, upsert by product id (one or up to 500), import a CSV
 * file, delete. Another organization's products do not exist (404).
 */
export function productRoutes(services: Services) {
  const app = new Hono<AppEnv>()
  const db = services.db

  app.get('/', async (c) => {
    const query = parseQuery(c, productListQuery)
    const siteIds = sitesInScope(c.get('principal'), query.siteId)
    const csv = query.format === 'csv'
    if (siteIds.length === 0) {
      return csv ? c.body(toCsv(csvHeader, []), 200, csvHeaders) : c.json({ data: [], nextCursor: null })
    }
    const filters: (SQL | undefined)[] = [
      inArray(products.siteId, siteIds),
      query.q
        ? or(
            ilike(products.title, `%${literal(query.q)}%`),
            ilike(products.productId, `%${literal(query.q)}%`),
          )
        : undefined,
      query.category ? sql`lower(${products.category}) = ${query.category.toLowerCase()}` : undefined,
      query.source ? eq(products.source, query.source) : undefined,
      query.availability ? eq(products.availability, query.availability) : undefined,
      csv ? undefined : olderThan(products, query.cursor),
    ]
    const limit = csv ? maxExportRows : query.limit
    const rows = await db
      .select()
      .from(products)
      .where(and(...filters))
      .orderBy(desc(products.createdAt), desc(products.id))
      .limit(limit + 1)
    if (csv) return c.body(toCsv(csvHeader, rows.slice(0, limit).map(csvRow)), 200, csvHeaders)
    return c.json(page(rows, limit, productJson))
  })

  app.get('/:id', async (c) => c.json(productJson(await load(pathId(c), c.get('principal').siteIds))))

  /**
   * Upserts by product id: one product (answered as itself, 201 when new) or `{products:[…]}` (every stored
   * product, and how many were new). Checked whole first: nothing is stored if any product is wrong.
   */
  app.put('/', async (c) => {
    const raw = await readBody(c, z.unknown())
    const many = typeof raw === 'object' && raw !== null && 'products' in raw
    const parsed = (many ? putProducts : putProduct).safeParse(raw)
    if (!parsed.success) throw validationError(parsed.error)
    const siteId = siteInScope(c.get('principal'), parsed.data.siteId)
    const inputs: ProductInput[] = 'products' in parsed.data ? parsed.data.products : [parsed.data]
    const first = new Map<string, number>()
    for (const [i, input] of inputs.entries()) {
      const earlier = first.get(input.id)
      if (earlier !== undefined) throw fieldError(`products.${i}.id`, `the same id as products.${earlier}`)
      first.set(input.id, i)
    }
    const stored = await db.transaction((tx) =>
      upsertProducts(tx, siteId, inputs.map(writeOfInput), 'admin', new Date(services.now())),
    )
    if (!many) return c.json(productJson(stored[0]!.row), stored[0]!.created ? 201 : 200)
    return c.json({
      data: stored.map((entry) => productJson(entry.row)),
      created: stored.filter((entry) => entry.created).length,
      updated: stored.filter((entry) => !entry.created).length,
    })
  })

  /** `text/csv`: the valid lines are stored together (all or none), the others answered by line and column. */
  app.post('/import', async (c) => {
    const siteId = siteInScope(c.get('principal'), parseQuery(c, productSiteQuery).siteId)
    const type = (headerOf(c, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase()
    if (type !== 'text/csv' && type !== 'text/plain') {
      throw new ApiError('unsupported_media_type', 'Content-Type must be text/csv', {
        received: type || null,
      })
    }
    const { writes, rejected } = importProducts(await c.req.text())
    const stored = await db.transaction((tx) =>
      upsertProducts(tx, siteId, writes, 'csv', new Date(services.now())),
    )
    return c.json({
      created: stored.filter((entry) => entry.created).length,
      updated: stored.filter((entry) => !entry.created).length,
      rejected,
    })
  })

  app.delete('/:id', async (c) => {
    const row = await load(pathId(c), c.get('principal').siteIds)
    await db.delete(products).where(and(eq(products.id, row.id), eq(products.siteId, row.siteId)))
    return c.body(null, 204)
  })

  async function load(id: string, siteIds: string[]): Promise<ProductRow> {
    const [row] = siteIds.length
      ? await db
          .select()
          .from(products)
          .where(and(eq(products.id, id), inArray(products.siteId, siteIds)))
      : []
    if (!row) throw new ApiError('not_found', 'Product not found')
    return row
  }

  return app
}
