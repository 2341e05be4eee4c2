import { eq } from 'drizzle-orm'
import { sites } from '../schema/db'
import type { Db } from './db'

export interface PublicSite {
  id: string
  organizationId: string
  allowedOrigins: string[]
}

interface Entry {
  site: PublicSite | null
  expires: number
}

/**
 * Publishable key → site, cached briefly: every serve and every event batch needs it. Writes in this process
 * invalidate at once; other instances see a change within the TTL.
 */
export class SitesDirectory {
  private readonly cache = new Map<string, Entry>()

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly ttlMs = 30_000,
  ) {}

  async byPublishableKey(key: string): Promise<PublicSite | null> {
    const hit = this.cache.get(key)
    if (hit && hit.expires > this.now()) return hit.site
    const [row] = await this.db
      .select({ id: sites.id, organizationId: sites.organizationId, allowedOrigins: sites.allowedOrigins })
      .from(sites)
      .where(eq(sites.publishableKey, key))
      .limit(1)
    const site = row ?? null
    if (this.cache.size > 10_000) this.cache.clear()
    this.cache.set(key, { site, expires: this.now() + this.ttlMs })
    return site
  }

  invalidate(): void {
    this.cache.clear()
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
