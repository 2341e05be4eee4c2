import { eq } from 'drizzle-orm'
import { sites } from '../../schema/db'
import { freshOrStale } from '../core/stale'
import { type Db, databaseUnavailable } from '../ports/database'

export interface PublicSite {
  id: string
  organizationId: string
  allowedOrigins: string[]
  /** The share of visitors shown no campaign at all (0–50). */
  globalHoldoutPercent: number
}

/** While the database is away, how often a stale entry is looked up again. */
const staleRetryMs = 1_000

interface Entry {
  site: PublicSite | null
  expires: number
}

/**
 * Publishable key → site, cached briefly: every serve and every event batch needs it. Writes in this process
 * invalidate at once; other instances see a change within the TTL. While the database is away, what was known
 * stays in use (asked again every second): serving goes on through an outage.
 */
export class SitesDirectory {
  private readonly cache = new Map<string, Entry>()
  private readonly loading = new Map<string, Promise<PublicSite | null>>()

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly ttlMs = 30_000,
  ) {}

  async byPublishableKey(key: string): Promise<PublicSite | null> {
    const hit = this.cache.get(key)
    if (hit && hit.expires > this.now()) return hit.site
    // One lookup per key at a time; while it runs, what was known answers the others.
    let pending = this.loading.get(key)
    if (pending && hit) return hit.site
    if (!pending) {
      const lookup = this.lookUp(key, hit).finally(() => {
        if (this.loading.get(key) === lookup) this.loading.delete(key)
      })
      this.loading.set(key, lookup)
      pending = lookup
    }
    return hit ? freshOrStale(pending, hit.site) : pending
  }

  private async lookUp(key: string, hit: Entry | undefined): Promise<PublicSite | null> {
    let row: PublicSite | undefined
    try {
      ;[row] = await this.db
        .select({
          id: sites.id,
          organizationId: sites.organizationId,
          allowedOrigins: sites.allowedOrigins,
          globalHoldoutPercent: sites.globalHoldoutPercent,
        })
        .from(sites)
        .where(eq(sites.publishableKey, key))
        .limit(1)
    } catch (error) {
      if (!hit || !databaseUnavailable(error)) throw error
      hit.expires = this.now() + staleRetryMs
      return hit.site
    }
    const site = row ?? null
    if (this.cache.size > 10_000) this.cache.clear()
    this.cache.set(key, { site, expires: this.now() + this.ttlMs })
    return site
  }

  invalidate(): void {
    this.cache.clear()
    this.loading.clear()
  }
}

/** Normalises an origin the way browsers send it: scheme://host[:port], lowercase, no path. */
export function normalizeOrigin(value: string): string | null {
  try {
    const url = new URL(value)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
    return url.origin
  } catch {
    return null
  }
}
