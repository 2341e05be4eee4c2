import type { SiteState } from '../core/capping'
import type { ClaimRequest, ClaimResult } from '../core/claims'

export type { Cap, ClaimCandidate, ClaimRequest, ClaimResult, ProfileRule, SkipReason } from '../core/claims'
/**
 * The key-value port: everything serving needs from shared, fast state (frequency caps, the interruptive-unit
 * budget, pacing, the visitor's segments and traits, the site's campaign-set version), as domain operations
 * rather than raw commands. Three adapters implement it with the same semantics, proven by one contract test:
 * in memory (the embedded default), Redis over TCP (Node) and Upstash over REST (Workers). Each Redis
 * operation is one round trip: a single Lua script, so a claim is atomic however many servers run it.
 */

/** The visitor's profile as ingest computes it; replaces what was there. */
export interface ProfileUpdate {
  site: string
  visitor: string
  segments: string[]
  traits: Record<string, string | number | boolean>
  returning: boolean
}

export interface Kv {
  /** Atomically: evaluate the profile rules, check caps, budget and pacing, and record the claims made. */
  claim(request: ClaimRequest): Promise<ClaimResult>
  /**
   * Viewable impressions that arrived (each once: ingest calls this for new events only), for campaigns whose
   * cap counts on viewable: each adds one to every window count and releases one lease.
   */
  viewed(site: string, visitor: string, campaigns: string[], now: number): Promise<void>
  setProfiles(updates: ProfileUpdate[]): Promise<void>
  /** The site's campaign-set version, for caches that hold its active campaigns. */
  version(site: string): Promise<number>
  /** Bumps and returns the site's campaign-set version: called after every write to its campaigns. */
  bump(site: string): Promise<number>
  /**
   * Counts `amount` hits (default 1) for `key` of the site in a fixed window of `windowMs` that opens at the
   * key's first hit: 0 while the window has had at most `limit`, else the milliseconds until it closes. Shared
   * by every server on the same store (a rate limit that holds across instances and Workers isolates); an
   * amount above one is a server's own count since it last reported (api/limits' pre-count).
   */
  hit(
    site: string,
    key: string,
    limit: number,
    windowMs: number,
    now: number,
    amount?: number,
  ): Promise<number>
  /**
   * For a store that lives in this process: the site's state, so serving decides and claims in one pass
   * (the engine's `decide`) instead of ranking, then claiming through a round trip.
   */
  siteState?(site: string): SiteState
  /** For a store that lives in this process: `hit` without a promise, for callers that count every request. */
  hitNow?(site: string, key: string, limit: number, windowMs: number, now: number, amount?: number): number
  close(): Promise<void>
}
