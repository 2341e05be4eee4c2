import { getTableColumns, sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from '../../../api/ports/database'
import type { StoredEvent } from '../../../api/ports/events'
import { httpUrl } from '../../../schema/campaign'
import { type ProductAvailability, type ProductSource, products } from '../../../schema/db'
import { isStorableText, limits, unstorableMessage } from '../../../schema/limits'

export type ProductRow = typeof products.$inferSelect

export const availabilities = ['in_stock', 'out_of_stock', 'preorder', 'backorder'] as const

const isPlain = (value: string) => !/<[a-z!/?]/i.test(value)
const plain = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine(isPlain, 'must be plain text, not HTML')
    .refine(isStorableText, unstorableMessage)

/** A product id (SKU): what commerce events' `contents[].id` name. */
export const productId = plain(100).min(1)

/** A product as the admin API and CSV imports give it. */
export const productInput = z.strictObject({
  id: productId,
  title: plain(limits.name).min(1),
  url: httpUrl,
  imageUrl: httpUrl.nullish(),
  price: z.number().finite().min(0).max(1_000_000_000).nullish(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 code like EUR')
    .nullish(),
  availability: z.enum(availabilities).nullish(),
  category: plain(limits.shortText).min(1).nullish(),
})
export type ProductInput = z.infer<typeof productInput>

/** A product as the API answers it. */
export function productJson(row: ProductRow) {
  return {
    id: row.id,
    siteId: row.siteId,
    productId: row.productId,
    title: row.title,
    url: row.url,
    imageUrl: row.imageUrl,
    price: row.price,
    currency: row.currency,
    availability: row.availability,
    category: row.category,
    source: row.source,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

export interface ProductWrite {
  productId: string
  title: string
  url: string
  imageUrl: string | null
  price: number | null
  currency: string | null
  availability: ProductAvailability | null
  category: string | null
}

export const writeOfInput = (input: ProductInput): ProductWrite => ({
  productId: input.id,
  title: input.title,
  url: input.url,
  imageUrl: input.imageUrl ?? null,
  price: input.price ?? null,
  currency: input.currency ?? null,
  availability: input.availability ?? null,
  category: input.category ?? null,
})

/**
 * Upserts by product id, in one statement (rows in id order, so two writers lock alike). An admin or an import
 * writes every field; a page (a learned product) never overwrites what an admin or an import entered: on such a
 * row it only fills the image, price, currency, availability and category left empty, and never the title or URL.
 * A learned row is the page's until an admin writes it.
 */
export async function upsertProducts(
  db: Db,
  siteId: string,
  writes: readonly ProductWrite[],
  source: ProductSource,
  now: Date,
): Promise<{ row: ProductRow; created: boolean }[]> {
  if (writes.length === 0) return []
  const ordered = [...writes].sort((a, b) =>
    a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0,
  )
  const learned = source === 'page'
  const pick = (column: string) =>
    learned
      ? sql.raw(
          `case when products.source = 'page' then excluded.${column} else coalesce(products.${column}, excluded.${column}) end`,
        )
      : sql.raw(`excluded.${column}`)
  const keep = (column: string) =>
    learned
      ? sql.raw(`case when products.source = 'page' then excluded.${column} else products.${column} end`)
      : sql.raw(`excluded.${column}`)
  const out: { row: ProductRow; created: boolean }[] = []
  for (let start = 0; start < ordered.length; start += 1_000) {
    const rows = await db
      .insert(products)
      .values(
        ordered
          .slice(start, start + 1_000)
          .map((write) => ({ ...write, siteId, source, createdAt: now, updatedAt: now })),
      )
      .onConflictDoUpdate({
        target: [products.siteId, products.productId],
        set: {
          title: keep('title'),
          url: keep('url'),
          imageUrl: pick('image_url'),
          price: pick('price'),
          currency: pick('currency'),
          availability: pick('availability'),
          category: pick('category'),
          source: learned ? sql`products.source` : sql`excluded.source`,
          updatedAt: now,
        },
      })
      // xmax is 0 on a row this statement inserted.
      .returning({ ...getTableColumns(products), created: sql<boolean>`(xmax = 0)` })
    for (const { created, ...row } of rows) out.push({ row, created: Boolean(created) })
  }
  return out
}

/** What a product page's `product` event carries (sdk/page/product.ts reads it from the page's JSON-LD and Open Graph tags). */
const text = (value: unknown, max: number): string | null => {
  if (typeof value !== 'string') return null
  const trimmed = value.replace(/\s+/g, ' ').trim()
  if (!trimmed || !isPlain(trimmed) || !isStorableText(trimmed)) return null
  return trimmed.slice(0, max)
}
const urlOf = (value: unknown): string | null => {
  if (typeof value !== 'string' || value.length > limits.url) return null
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null
  } catch {
    return null
  }
}
const priceOf = (value: unknown): number | null => {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN
  return typeof value === 'string' && value.trim() === ''
    ? null
    : Number.isFinite(number) && number >= 0 && number <= 1e9
      ? number
      : null
}
/** Open Graph's and schema.org's availability words, as the catalog keeps them. */
const availabilityOf = (value: unknown): ProductAvailability | null => {
  if (typeof value !== 'string') return null
  const word = value
    .replace(/^https?:\/\/schema\.org\//i, '')
    .toLowerCase()
    .replace(/[\s_-]/g, '')
  if (word === 'instock' || word === 'limitedavailability' || word === 'onlineonly' || word === 'instoreonly')
    return 'in_stock'
  if (word === 'outofstock' || word === 'soldout' || word === 'discontinued') return 'out_of_stock'
  if (word === 'preorder' || word === 'presale') return 'preorder'
  if (word === 'backorder') return 'backorder'
  return null
}

/**
 * The product a `product` event (or a `page` event with the same props) describes: it needs an id and a title; its
 * URL must be on the page's own host.
 */
export function learnedProductOf(event: StoredEvent): ProductWrite | undefined {
  const props = event.props ?? {}
  const id = text(props.product_id, 100)
  const title = text(props.product_title, limits.name) ?? text(props.og_title, limits.name)
  const page = urlOf(event.url)
  if (!id || !title || !page) return undefined
  const url = urlOf(props.product_url) ?? urlOf(props.canonical) ?? page
  // A page speaks for its own site only: a product URL on another host is not learned.
  if (new URL(url).host !== new URL(page).host) return undefined
  const currency = text(props.product_currency, 3)?.toUpperCase() ?? null
  return {
    productId: id,
    title,
    url,
    imageUrl: urlOf(props.product_image) ?? urlOf(props.og_image),
    price: priceOf(props.product_price),
    currency: currency && /^[A-Z]{3}$/.test(currency) ? currency : null,
    availability: availabilityOf(props.product_availability),
    category: text(props.product_category, limits.shortText),
  }
}

/**
 * The catalog learns the products of the batch's product pages (`product` events; the latest of each id wins). Runs in
 * ingest's transaction, so a resent batch learns nothing twice.
 */
export async function learnProducts(tx: Db, siteId: string, stored: readonly StoredEvent[], now: number) {
  const latest = new Map<string, { write: ProductWrite; at: number }>()
  for (const event of stored) {
    if (event.name !== 'product' && event.name !== 'page') continue
    const write = learnedProductOf(event)
    if (!write) continue
    const at = new Date(event.timestamp as Date | string).getTime()
    const seen = latest.get(write.productId)
    if (!seen || at >= seen.at) latest.set(write.productId, { write, at })
  }
  if (latest.size === 0) return
  await upsertProducts(
    tx,
    siteId,
    [...latest.values()].map((entry) => entry.write),
    'page',
    new Date(now),
  )
}
