import {
  claimOn,
  count,
  liveLeases,
  newCampaignState,
  newSiteState,
  type SiteState,
  visitorIn,
} from '../../core/capping'
import type { ClaimRequest, ClaimResult, Kv, ProfileUpdate } from '../../ports/kv'

/** At most this many hit counters are kept; when full, closed windows go first, then the oldest. */
const maxHitKeys = 50_000

/** The embedded default: state lives in this process and goes with it. */
export class MemoryKv implements Kv {
  private readonly sites = new Map<string, SiteState>()
  private readonly hits = new Map<string, { count: number; closesAt: number }>()

  /** The site's state, for deciding and claiming in one pass in this process (the engine's `decide`). */
  siteState(id: string): SiteState {
    return this.site(id)
  }

  private site(id: string): SiteState {
    let site = this.sites.get(id)
    if (!site) {
      site = newSiteState()
      this.sites.set(id, site)
    }
    return site
  }

  async claim(request: ClaimRequest): Promise<ClaimResult> {
    return claimOn(this.site(request.site), request)
  }

  async viewed(siteId: string, visitorId: string, campaigns: string[], now: number): Promise<void> {
    const visitor = visitorIn(this.site(siteId), visitorId)
    for (const id of campaigns) {
      let state = visitor.campaigns.get(id)
      if (!state) {
        state = newCampaignState()
        visitor.campaigns.set(id, state)
      }
      liveLeases(state, now)
      state.leases.shift()
      count(state, now)
    }
  }

  async setProfiles(updates: ProfileUpdate[]): Promise<void> {
    for (const update of updates) {
      const visitor = visitorIn(this.site(update.site), update.visitor)
      visitor.segments = new Set(update.segments)
      visitor.traits = { ...update.traits }
      visitor.returning = update.returning
    }
  }

  async version(site: string): Promise<number> {
    return this.sites.get(site)?.version ?? 0
  }

  async bump(site: string): Promise<number> {
    const state = this.site(site)
    state.version++
    return state.version
  }

  async hit(
    site: string,
    key: string,
    limit: number,
    windowMs: number,
    now: number,
    amount = 1,
  ): Promise<number> {
    return this.hitNow(site, key, limit, windowMs, now, amount)
  }

  /** `hit` without a promise, for callers in this process that count on every request (api/limits). */
  hitNow(site: string, key: string, limit: number, windowMs: number, now: number, amount = 1): number {
    const id = `${site}|${key}`
    const window = this.hits.get(id)
    if (!window || window.closesAt <= now) {
      if (this.hits.size >= maxHitKeys) {
        for (const [old, { closesAt }] of this.hits) if (closesAt <= now) this.hits.delete(old)
        // A Map iterates in insertion order: the windows opened longest ago.
        let excess = this.hits.size - maxHitKeys * 0.75
        for (const old of this.hits.keys()) {
          if (excess-- <= 0) break
          this.hits.delete(old)
        }
      }
      this.hits.set(id, { count: amount, closesAt: now + windowMs })
      return amount <= limit ? 0 : windowMs
    }
    window.count += amount
    return window.count <= limit ? 0 : window.closesAt - now
  }

  async close(): Promise<void> {
    this.sites.clear()
    this.hits.clear()
  }
}
