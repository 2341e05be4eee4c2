import { and, desc, eq, sql } from 'drizzle-orm'
import type { Db } from '../../../api/ports/database'
import type { Services } from '../../../api/services/index'
import { contentItems, visitorRecentViews } from '../../../schema/db'
import type { ScoringItem } from './recommend'

/** A catalog item as serving keeps it: what is scored and what a card shows. */
export interface CatalogItem extends ScoringItem {
  title: string
  imageUrl: string | null
  summary: string | null
}

export interface SiteCatalog {
  items: CatalogItem[]
  byUrl: Map<string, CatalogItem>
  /** Clicks over impressions across the items: the mean a new item's CTR is smoothed toward. */
  siteCtr: number
  /** Signed click tokens by variant and destination, made once per loaded catalog. */
  tokens: Map<string, string>
}

interface Entry {
  catalog: SiteCatalog
  loadedAt: number
}

/** The most a visitor's recent views hold: older views are pruned by ingest. */
export const recentViewsKept = 50

/**
 * Each site's content catalog, ready for scoring, cached per instance like the active campaigns: loaded once
 * and kept `maxAgeMs` (so new counters and pages learned from events arrive within it), dropped at once on this
 * instance by an admin write. A site keeps its `maxItems` newest items in the cache; older ones are still in
 * the catalog, just not recommended.
 */
export class CatalogCache {
  private readonly cache = new Map<string, Entry>()
  private readonly loading = new Map<string, Promise<SiteCatalog>>()
  private readonly generation = new Map<string, number>()

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly options: { maxAgeMs?: number; maxItems?: number } = {},
  ) {}

  async forSite(siteId: string): Promise<SiteCatalog> {
    const hit = this.cache.get(siteId)
    if (hit && this.now() - hit.loadedAt < (this.options.maxAgeMs ?? 60_000)) return hit.catalog
    let pending = this.loading.get(siteId)
    if (!pending) {
      const load: Promise<SiteCatalog> = this.load(siteId).finally(() => {
        if (this.loading.get(siteId) === load) this.loading.delete(siteId)
      })
      this.loading.set(siteId, load)
      pending = load
    }
    return pending
  }

  invalidate(siteId: string): void {
    this.cache.delete(siteId)
    this.loading.delete(siteId)
    this.generation.set(siteId, (this.generation.get(siteId) ?? 0) + 1)
  }

  /** The URLs the visitor viewed last, newest first: one read by the primary key's prefix, for traffic only. */
  async recentViews(siteId: string, anonymousId: string): Promise<string[]> {
    const rows = await this.db
      .select({ url: visitorRecentViews.url })
      .from(visitorRecentViews)
      .where(and(eq(visitorRecentViews.siteId, siteId), eq(visitorRecentViews.anonymousId, anonymousId)))
      .orderBy(desc(visitorRecentViews.viewedAt))
      .limit(recentViewsKept)
    return rows.map((row) => row.url)
  }

  private async load(siteId: string): Promise<SiteCatalog> {
    const startedAt = this.generation.get(siteId) ?? 0
    const rows = await this.db
      .select({
        url: contentItems.url,
        title: contentItems.title,
        imageUrl: contentItems.imageUrl,
        summary: contentItems.summary,
        tags: contentItems.tags,
        category: contentItems.category,
        publishedAt: contentItems.publishedAt,
        createdAt: contentItems.createdAt,
        impressions: contentItems.impressions,
        clicks: contentItems.clicks,
      })
      .from(contentItems)
      .where(and(eq(contentItems.siteId, siteId), eq(contentItems.review, 'approved')))
      .orderBy(sql`coalesce(${contentItems.publishedAt}, ${contentItems.createdAt}) desc`)
      .limit(this.options.maxItems ?? 2_000)
    let impressions = 0
    let clicks = 0
    const items = rows.map((row): CatalogItem => {
      impressions += row.impressions
      clicks += row.clicks
      return {
        url: row.url,
        title: row.title,
        imageUrl: row.imageUrl,
        summary: row.summary,
        tags: row.tags,
        category: row.category?.toLowerCase() ?? null,
        publishedAt: (row.publishedAt ?? row.createdAt).getTime(),
        impressions: row.impressions,
        clicks: row.clicks,
      }
    })
    const catalog: SiteCatalog = {
      items,
      byUrl: new Map(items.map((item) => [item.url, item])),
      siteCtr: impressions > 0 ? Math.min(1, clicks / impressions) : 0,
      tokens: new Map(),
    }
    if (this.cache.size > 10_000) this.cache.clear()
    if ((this.generation.get(siteId) ?? 0) === startedAt) {
      this.cache.set(siteId, { catalog, loadedAt: this.now() })
    }
    return catalog
  }
}

const catalogs = new WeakMap<Services, CatalogCache>()

/** The app's one catalog cache: serving reads it, the content routes invalidate it. */
export function catalogOf(services: Services): CatalogCache {
  let catalog = catalogs.get(services)
  if (!catalog) {
    catalog = new CatalogCache(services.db, services.now)
    catalogs.set(services, catalog)
  }
  return catalog
}
