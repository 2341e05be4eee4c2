import { type ExposureArm, exposures } from '../../schema/db'
import type { Choice, ServableCampaign } from '../core/decide'
import { errorSummary } from '../core/errors'
import type { Db } from '../ports/database'
import type { Logger } from '../ports/log'

type ExposureRow = typeof exposures.$inferInsert

const campaignsWithHoldout = new WeakMap<readonly ServableCampaign[], boolean>()

/** Whether any of a loaded campaign list has a holdout (worked out once per list the cache hands in). */
export function anyHoldout(campaigns: readonly ServableCampaign[]): boolean {
  let known = campaignsWithHoldout.get(campaigns)
  if (known === undefined) {
    known = campaigns.some((c) => c.experiment.holdoutPercent > 0)
    campaignsWithHoldout.set(campaigns, known)
  }
  return known
}

export interface ExposureOptions {
  /** On Workers: hand each write to the request's `waitUntil` instead of batching across requests. */
  defer?: (task: Promise<unknown>) => void
  flushMs?: number
  maxPending?: number
  /** Visitor × campaign pairs this process remembers as written, so a returning visitor writes nothing. */
  maxRemembered?: number
}

/**
 * Writes serve's exposure records off the request's path: the first time a visitor is shown a campaign that has
 * a holdout (`exposed`) or is held back from one that would have been shown (`holdout`), one row per visitor
 * and campaign. Rows wait up to a second (or 500 rows) and go in one `insert … on conflict do nothing`, so the
 * first one stored stays; pairs written lately are remembered and skipped. A failed write is logged and its
 * pairs forgotten, so their next serve tries again. Campaigns without a holdout are never recorded.
 */
export class ExposureRecorder {
  private pending: ExposureRow[] = []
  private readonly remembered = new Set<string>()
  private timer: ReturnType<typeof setTimeout> | undefined
  private inFlight = new Set<Promise<void>>()
  private readonly flushMs: number
  private readonly maxPending: number
  private readonly maxRemembered: number

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly options: ExposureOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 1_000
    this.maxPending = options.maxPending ?? 500
    this.maxRemembered = options.maxRemembered ?? 200_000
  }

  /** What one answer showed and held back, for a visitor of a site, at `now`. */
  record(
    siteId: string,
    anonymousId: string,
    now: number,
    shown: readonly Choice[],
    held: readonly ServableCampaign[],
  ) {
    let added = false
    for (const { campaign, variant } of shown) {
      if (campaign.experiment.holdoutPercent > 0) {
        added = this.add(siteId, campaign.id, anonymousId, 'exposed', variant.id, now) || added
      }
    }
    for (const campaign of held)
      added = this.add(siteId, campaign.id, anonymousId, 'holdout', null, now) || added
    if (!added) return
    if (this.options.defer) this.options.defer(this.flush())
    else if (this.pending.length >= this.maxPending) void this.flush()
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushMs)
      this.timer.unref?.()
    }
  }

  private add(
    siteId: string,
    campaignId: string,
    anonymousId: string,
    arm: ExposureArm,
    variantId: string | null,
    now: number,
  ): boolean {
    const key = `${campaignId}|${anonymousId}`
    if (this.remembered.has(key)) return false
    if (this.remembered.size >= this.maxRemembered) this.remembered.clear()
    this.remembered.add(key)
    this.pending.push({ siteId, campaignId, anonymousId, arm, variantId, firstAt: new Date(now) })
    return true
  }

  /** Writes what waits; resolves when it is stored (or its failure logged). Never rejects. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    const rows = this.pending
    if (rows.length === 0) return Promise.all(this.inFlight).then(() => undefined)
    this.pending = []
    const write = this.write(rows).finally(() => this.inFlight.delete(write))
    this.inFlight.add(write)
    return Promise.all(this.inFlight).then(() => undefined)
  }

  private async write(rows: ExposureRow[]) {
    try {
      await this.db
        .insert(exposures)
        .values(rows)
        .onConflictDoNothing({ target: [exposures.campaignId, exposures.anonymousId] })
    } catch (error) {
      for (const row of rows) this.remembered.delete(`${row.campaignId}|${row.anonymousId}`)
      this.log.error('exposures not stored', { rows: rows.length, ...errorSummary(error) })
    }
  }

  /**
   * Forgets the pairs it remembers of these visitors (a privacy erasure: their next serve may record them anew,
   * under the id they come back with), or everything (tests). Erasures are rare; this walks what is remembered.
   */
  forget(anonymousIds?: readonly string[]): void {
    if (!anonymousIds) {
      this.remembered.clear()
      return
    }
    const erased = new Set(anonymousIds)
    for (const key of this.remembered) {
      if (erased.has(key.slice(key.indexOf('|') + 1))) this.remembered.delete(key)
    }
    this.pending = this.pending.filter((row) => !erased.has(row.anonymousId))
  }

  close(): Promise<void> {
    return this.flush()
  }
}
