/** What serving asks a store to check and record for a visitor at once: the claim, its candidates and why one is skipped. */
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
  /**
   * Judged, never recorded: a held-out visitor's stand-in for a campaign it is not shown (a ghost exposure),
   * passing only where a showing would have (profile, pacing, the interruptive budget as the request found it)
   * while taking nothing a showing takes: no pace, no budget, no cap.
   */
  check?: true
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
