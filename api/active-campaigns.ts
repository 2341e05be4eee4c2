import { and, asc, eq, inArray } from 'drizzle-orm'
import { campaigns, variants } from '../schema/db'
import type { ClickSigner } from './clicks'
import type { Db } from './db'
import type { ServableCampaign } from './engine/decide'
import { serverTypes } from './types'

interface Entry {
  campaigns: ServableCampaign[]
  expires: number
}

/**
 * The active campaigns of a site, ready for the decision engine, cached per site. A write in this process
 * invalidates its site at once; other instances pick the change up within the TTL.
 */
export class ActiveCampaigns {
  private readonly cache = new Map<string, Entry>()
  private readonly loading = new Map<string, Promise<ServableCampaign[]>>()
  /** Bumped by every invalidation, so a load that started before a write never caches what it read. */
  private readonly generation = new Map<string, number>()
  hits = 0
  misses = 0

  constructor(
    private readonly db: Db,
    private readonly signer: ClickSigner,
    private readonly now: () => number,
    private readonly ttlMs = 5_000,
  ) {}

  async forSite(siteId: string): Promise<ServableCampaign[]> {
    const hit = this.cache.get(siteId)
    if (hit && hit.expires > this.now()) {
      this.hits++
      return hit.campaigns
    }
    this.misses++
    // Concurrent misses for one site share a single load.
    let pending = this.loading.get(siteId)
    if (!pending) {
      const load: Promise<ServableCampaign[]> = this.load(siteId).finally(() => {
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

  private async load(siteId: string): Promise<ServableCampaign[]> {
    const startedAt = this.generation.get(siteId) ?? 0
    const rows = await this.db
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.siteId, siteId), eq(campaigns.status, 'active')))
    const servable = rows.filter((row) => serverTypes[row.type])
    const variantRows = servable.length
      ? await this.db
          .select()
          .from(variants)
          .where(
            inArray(
              variants.campaignId,
              servable.map((row) => row.id),
            ),
          )
          .orderBy(asc(variants.position))
      : []
    const result = servable.map((row) => ({
      id: row.id,
      type: row.type,
      format: serverTypes[row.type]!.format(row.config),
      priority: row.priority,
      weight: row.weight,
      placements: row.placements,
      schedule: row.schedule,
      targeting: row.targeting,
      config: row.config,
      variants: variantRows
        .filter((v) => v.campaignId === row.id)
        .map((v) => ({
          id: v.id,
          weight: v.weight,
          creative: v.creative,
          ...(v.creative.ctaUrl
            ? { clickToken: this.signer.sign({ s: siteId, c: row.id, v: v.id, u: v.creative.ctaUrl }) }
            : {}),
        })),
    }))
    if (this.cache.size > 10_000) this.cache.clear()
    if ((this.generation.get(siteId) ?? 0) === startedAt) {
      this.cache.set(siteId, { campaigns: result, expires: this.now() + this.ttlMs })
    }
    return result
  }
}
