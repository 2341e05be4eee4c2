import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { campaignAudienceKey } from '../../schema/audiences'
import { campaigns, events, variants } from '../../schema/db'
import type { Rule, Targeting } from '../../schema/targeting'
import type { ArmStats } from '../core/bandit'
import type { ClickSigner } from '../core/clicks'
import type { ServableCampaign } from '../core/decide'
import { freshOrStale } from '../core/stale'
import { type Db, databaseUnavailable } from '../ports/database'
import type { Kv } from '../ports/kv'
import type { AudienceTypes } from './audiences/kept'

interface Entry {
  campaigns: ServableCampaign[]
  /** The site's campaign-set version in the store when this was loaded. */
  version: number
  loadedAt: number
  /** When the store's version was last compared with ours. */
  checkedAt: number
}

/** The events a bandit on conversions counts as a success, and attribution credits: Meta's standard conversion names, and an app install. */
export const conversionEvents = [
  'Purchase',
  'Lead',
  'CompleteRegistration',
  'Subscribe',
  'StartTrial',
  'SubmitApplication',
  'Schedule',
  'Contact',
  /** An app's install, sent by its backend (`action_source: "app"`); Promo's name, not one of Meta's. */
  'AppInstall',
] as const

/**
 * The active campaigns of a site, ready for the decision engine, cached per site. Every write to a site's
 * campaigns bumps its version in the shared store; a cached set is compared with that version at most once
 * per `checkMs` (in the background, never delaying a serve) and whenever a serve's claim reports it, so every
 * instance drops a stale set within about a second. `maxAgeMs` bounds the age of a set whatever the store says
 * (the bandit's counts refresh with it).
 */
/** A campaign's decision format by its type and config; undefined when its type cannot be served. */
export type FormatOf = (type: string, config: Record<string, unknown>) => string | undefined

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
    private readonly kv: Kv,
    private readonly now: () => number,
    private readonly formatOf: FormatOf,
    private readonly options: {
      checkMs?: number
      maxAgeMs?: number
      onError?: (error: unknown) => void
      /** Campaigns with an audience of their own are served only to its members (their profiles carry its key). */
      audiences?: AudienceTypes
    } = {},
  ) {}

  /** Share of lookups answered from the cache since start. */
  get hitRate(): number {
    const total = this.hits + this.misses
    return total === 0 ? 0 : this.hits / total
  }

  async forSite(siteId: string): Promise<ServableCampaign[]> {
    const hit = this.cache.get(siteId)
    const now = this.now()
    if (hit && now - hit.loadedAt < (this.options.maxAgeMs ?? 60_000)) {
      this.hits++
      if (now - hit.checkedAt >= (this.options.checkMs ?? 1_000)) {
        hit.checkedAt = now
        this.kv.version(siteId).then(
          (version) => this.observe(siteId, version),
          (error) => this.options.onError?.(error),
        )
      }
      return hit.campaigns
    }
    this.misses++
    // Concurrent misses for one site share a single load; while it runs, a set in hand answers the others.
    let pending = this.loading.get(siteId)
    if (pending && hit) return hit.campaigns
    if (!pending) {
      const load: Promise<ServableCampaign[]> = this.load(siteId)
        .catch((error) => this.stale(siteId, error))
        .finally(() => {
          if (this.loading.get(siteId) === load) this.loading.delete(siteId)
        })
      this.loading.set(siteId, load)
      pending = load
    }
    return hit ? freshOrStale(pending, hit.campaigns) : pending
  }

  /**
   * A load that failed because the database is away answers the set loaded last, if there is one, and asks
   * again after a second: serving goes on through an outage with what was active when it began.
   */
  private stale(siteId: string, error: unknown): ServableCampaign[] {
    const last = this.cache.get(siteId)
    if (!last || !databaseUnavailable(error)) throw error
    last.loadedAt = this.now() - (this.options.maxAgeMs ?? 60_000) + 1_000
    return last.campaigns
  }

  /** A version seen in the store (from a claim or a check): newer than ours means our set is stale. */
  observe(siteId: string, version: number): void {
    const hit = this.cache.get(siteId)
    if (hit && version > hit.version) this.drop(siteId)
  }

  /** After a write to the site's campaigns: drop our copy and tell every other instance through the store. */
  async invalidate(siteId: string): Promise<void> {
    this.drop(siteId)
    try {
      await this.kv.bump(siteId)
    } catch (error) {
      // Others still reload within maxAgeMs.
      this.options.onError?.(error)
    }
  }

  private drop(siteId: string): void {
    this.cache.delete(siteId)
    this.loading.delete(siteId)
    this.generation.set(siteId, (this.generation.get(siteId) ?? 0) + 1)
  }

  private async load(siteId: string): Promise<ServableCampaign[]> {
    const startedAt = this.generation.get(siteId) ?? 0
    const version = await this.kv.version(siteId).catch((error) => {
      this.options.onError?.(error)
      return 0
    })
    const rows = await this.db
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.siteId, siteId), eq(campaigns.status, 'active')))
    const servable = rows.filter((row) => this.formatOf(row.type, row.config) !== undefined)
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
    const stats = await this.banditStats(servable)
    const result: ServableCampaign[] = servable.map((row) => ({
      id: row.id,
      name: row.name,
      type: row.type,
      format: this.formatOf(row.type, row.config)!,
      priority: row.priority,
      weight: row.weight,
      placements: row.placements,
      schedule: row.schedule,
      targeting: this.withAudience(row),
      frequency: row.frequency,
      experiment: row.experiment,
      pacing: row.pacing,
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
          ...(row.experiment.bandit ? { stats: stats.get(v.id) ?? { trials: 0, successes: 0 } } : {}),
        })),
    }))
    if (this.cache.size > 10_000) this.cache.clear()
    if ((this.generation.get(siteId) ?? 0) === startedAt) {
      const now = this.now()
      this.cache.set(siteId, { campaigns: result, version, loadedAt: now, checkedAt: now })
    }
    return result
  }

  /**
   * The campaign's targeting, and, when its type gives it an audience, membership in it: its key among the
   * visitor's segments, ANDed into the include rule (serve asks the store, like any segment condition).
   */
  private withAudience(row: typeof campaigns.$inferSelect): Targeting {
    const audiences = this.options.audiences
    if (!audiences?.types.includes(row.type) || !audiences.of(row.type, row.config)) return row.targeting
    const member: Rule = { field: 'segment', op: 'in', values: [campaignAudienceKey(row.id)] }
    const include = row.targeting.include
    return { ...row.targeting, include: include ? { all: [member, include] } : member }
  }

  /**
   * Trials and successes per variant for campaigns running a bandit: viewable impressions, and clicks or
   * conversions by the campaign's metric. One grouped query over the campaigns' events.
   */
  private async banditStats(rows: (typeof campaigns.$inferSelect)[]): Promise<Map<string, ArmStats>> {
    const stats = new Map<string, ArmStats>()
    const bandits = rows.filter((row) => row.experiment.bandit)
    if (bandits.length === 0) return stats
    const onConversion = bandits
      .filter((row) => row.experiment.bandit?.metric === 'conversion')
      .map((r) => r.id)
    const conversionNames = sql.join(
      conversionEvents.map((name) => sql`${name}`),
      sql`, `,
    )
    const success = onConversion.length
      ? sql`case when ${events.campaignId} in (${sql.join(
          onConversion.map((id) => sql`${id}::uuid`),
          sql`, `,
        )}) then ${events.name} in (${conversionNames}) else ${events.name} = 'click' end`
      : sql`${events.name} = 'click'`
    const counted = await this.db
      .select({
        variantId: events.variantId,
        trials: sql<number>`count(*) filter (where ${events.name} = 'viewable')`.mapWith(Number),
        successes: sql<number>`count(*) filter (where ${success})`.mapWith(Number),
      })
      .from(events)
      .where(
        inArray(
          events.campaignId,
          bandits.map((row) => row.id),
        ),
      )
      .groupBy(events.variantId)
    for (const row of counted) {
      if (row.variantId) stats.set(row.variantId, { trials: row.trials, successes: row.successes })
    }
    return stats
  }
}
