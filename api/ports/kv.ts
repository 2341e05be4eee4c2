import type { SiteState } from '../core/capping'
/**
 * The key-value port: everything serving needs from shared, fast state (frequency caps, the interruptive-unit
 * budget, pacing, the visitor's segments and traits, the site's campaign-set version), as domain operations
 * rather than raw commands. Three adapters implement it with the same semantics, proven by one contract test:
 * in memory (the embedded default), Redis over TCP (Node) and Upstash over REST (Workers). Each Redis
 * operation is one round trip: a single Lua script, so a claim is atomic however many servers run it.
 */

/** A condition on the visitor's profile that only the store can answer, left over after the request's own data. */
export type ProfileRule =
  | { all: ProfileRule[] }
  | { any: ProfileRule[] }
  | { not: ProfileRule }
  | { segment: string }
  | { returning: boolean }
  | { trait: string; op: 'exists' }
  | { trait: string; op: 'equals'; value: string | number | boolean }
  | { trait: string; op: 'in'; values: (string | number | boolean)[] }
  | { trait: string; op: 'gt' | 'gte' | 'lt' | 'lte'; value: number }

/**
 * Per visitor and campaign. Windows are fixed UTC calendar windows: the hour, the day and the ISO week
 * (Monday 00:00 UTC) that `now` falls in. A limit counts what was shown (`serve`) or what became viewable
 * (`viewable`): then each claim also holds a lease for `leaseMs`, counted against every limit until the
 * viewable event arrives (which turns one lease into a count) or the lease expires, so concurrent serves
 * cannot overshoot a limit while their impressions are still on their way.
 */
export interface Cap {
  hour?: number
  day?: number
  week?: number
  lifetime?: number
  /** At least this long between two claims of the campaign for the visitor. */
  gapMs?: number
  countOn: 'viewable' | 'serve'
}

export interface ClaimCandidate {
  campaign: string
  /** Absent: no profile condition. */
  when?: ProfileRule
  /** Absent: uncapped. */
  cap?: Cap
  /** Takes the visitor's interruptive budget: at most one such unit per session. */
  interruptive?: boolean
  /** Even pacing: claimable only while the campaign's claims so far are below `limit`; a claim adds one. */
  pace?: { limit: number }
}

export interface ClaimRequest {
  site: string
  visitor: string
  /** The visitor's session; '' when unknown (the interruptive budget then lasts as long as the lease). */
  session: string
  now: number
  leaseMs: number
  /**
   * One group per slot or page position, in the order they are filled, each with its candidates in order of
   * preference. Every group gets its first candidate that passes, and a campaign chosen for one group is
   * skipped by the later ones.
   */
  groups: ClaimCandidate[][]
}

/** Why a candidate examined before the chosen one was passed over. */
export type SkipReason =
  | 'profile'
  | 'cap_hour'
  | 'cap_day'
  | 'cap_week'
  | 'cap_lifetime'
  | 'gap'
  | 'fatigue'
  | 'paced'
  | 'used'

export interface ClaimResult {
  /** Per group, the index of the chosen candidate or -1. */
  chosen: number[]
  /**
   * Per group, the reason each candidate examined before the chosen one was skipped (null for the chosen
   * one). Candidates after it were never examined and may have no entry.
   */
  skipped: (SkipReason | null)[][]
  /** The site's campaign-set version (0 until first bumped). */
  version: number
}

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
