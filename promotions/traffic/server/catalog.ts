import { getTableColumns, sql } from 'drizzle-orm'
import type { Db } from '../../../api/ports/database'
import type { ContentItemInput } from '../../../schema/content'
import { type ContentSource, contentItems } from '../../../schema/db'
import { visitParam } from '../../../schema/landing'
import { limits } from '../../../schema/limits'

export type ContentRow = typeof contentItems.$inferSelect

/**
 * The catalog key of a page: an absolute http(s) URL without its fragment and without the parameters that name
 * a visit (utm_*, promo_variant, fbclid, gclid…), so every link to one page finds one item. Undefined for anything else.
 */
export function normaliseUrl(value: string | null | undefined, base?: string): string | undefined {
  if (!value) return undefined
  let url: URL
  try {
    url = new URL(value, base)
  } catch {
    return undefined
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
  url.hash = ''
  for (const key of [...url.searchParams.keys()]) {
    if (visitParam.test(key)) url.searchParams.delete(key)
  }
  // `searchParams.delete` re-encodes what is left; a URL without parameters keeps no bare "?".
  if (url.search === '?') url.search = ''
  const href = url.href
  return href.length <= limits.url ? href : undefined
}

/** Tags as matched and stored: lower case, each once, in the order given. */
export function tagsOf(tags: readonly string[]): string[] {
  return [...new Set(tags.map((tag) => tag.toLowerCase()))].slice(0, limits.tags)
}

export function contentJson(row: ContentRow) {
  return {
    id: row.id,
    siteId: row.siteId,
    url: row.url,
    title: row.title,
    imageUrl: row.imageUrl,
    summary: row.summary,
    tags: row.tags,
    category: row.category,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    source: row.source,
    review: row.review,
    impressions: row.impressions,
    clicks: row.clicks,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

/** An item ready to store: its URL normalised, its tags folded. */
export interface CatalogWrite {
  url: string
  title: string
  imageUrl: string | null
  summary: string | null
  tags: string[]
  category: string | null
  publishedAt: Date | null
}

/** The write for an admin's item, or undefined when its URL cannot be a catalog key. */
export function writeOf(input: ContentItemInput): CatalogWrite | undefined {
  const url = normaliseUrl(input.url)
  if (!url) return undefined
  return {
    url,
    title: input.title,
    imageUrl: input.imageUrl ?? null,
    summary: input.summary ?? null,
    tags: tagsOf(input.tags),
    category: input.category ?? null,
    publishedAt: input.publishedAt ? new Date(input.publishedAt) : null,
  }
}

/** Rows per insert statement: a few thousand parameters, far under PostgreSQL's 65,535. */
const chunk = 500

/**
 * Stores admin or CSV items by URL in one transaction: a new URL is a new item, a known one takes every field
 * given (an omitted field is cleared, as PUT replaces) and becomes the admin's, keeping its counters. Either is
 * trusted at once: an admin's word needs no corroboration, so a learned page it rewrites is approved with it. URLs must
 * be unique within `items`. Returns the stored rows in the order given, and which were new.
 */
export async function upsertItems(
  db: Db,
  siteId: string,
  items: CatalogWrite[],
  source: Exclude<ContentSource, 'page'>,
  now: Date,
): Promise<{ row: ContentRow; created: boolean }[]> {
  if (items.length === 0) return []
  const stored = await db.transaction(async (tx) => {
    const out: { row: ContentRow; created: boolean }[] = []
    // In URL order, as ingest locks items, so an import and a busy ingest wait for each other, not deadlock.
    const ordered = [...items].sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0))
    for (let start = 0; start < ordered.length; start += chunk) {
      const rows = await tx
        .insert(contentItems)
        .values(
          ordered.slice(start, start + chunk).map((item) => ({
            ...item,
            siteId,
            source,
            review: 'approved' as const,
            createdAt: now,
            updatedAt: now,
          })),
        )
        .onConflictDoUpdate({
          target: [contentItems.siteId, contentItems.url],
          set: {
            title: sql`excluded.title`,
            imageUrl: sql`excluded.image_url`,
            summary: sql`excluded.summary`,
            tags: sql`excluded.tags`,
            category: sql`excluded.category`,
            publishedAt: sql`excluded.published_at`,
            source: sql`excluded.source`,
            review: sql`excluded.review`,
            updatedAt: sql`excluded.updated_at`,
          },
        })
        // xmax is 0 on a row this statement inserted, and the updating transaction's id on one it updated.
        .returning({ ...getTableColumns(contentItems), created: sql<boolean>`(xmax = 0)` })
      for (const { created, ...row } of rows) out.push({ row, created: Boolean(created) })
    }
    return out
  })
  const byUrl = new Map(stored.map((entry) => [entry.row.url, entry]))
  return items.map((item) => byUrl.get(item.url)!)
}
