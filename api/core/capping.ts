/**
 * Capping and fatigue rules: frequency caps per window, leases for impressions not yet viewable, the interruptive
 * budget per session, pacing, profile rules. Pure: each store (memory, Redis scripts mirror these) applies them.
 */
import type { Cap, ClaimCandidate, ClaimRequest, ClaimResult, ProfileRule, SkipReason } from './claims'

const hourMs = 3_600_000
const dayMs = 86_400_000
/** With no session id, one interruptive unit per visitor per half hour (the SDK's session idle timeout). */
export const sessionlessBudgetMs = 30 * 60_000

/** Fixed UTC windows: the hour, the day and the ISO week (from Monday) that `now` falls in. */
export function windowsOf(now: number): { hour: number; day: number; week: number } {
  const day = Math.floor(now / dayMs)
  return { hour: Math.floor(now / hourMs), day, week: Math.floor((day + 3) / 7) }
}

/**
 * One visitor's state for one campaign, flat (it is kept for every capped visitor). Every count moves the
 * hour, day and week together, so the hour of the last count tells which day and week the counts belong to.
 */
export interface CampaignState {
  /** The hour (since the epoch) of the last count; -1 before any. */
  hour: number
  hourly: number
  daily: number
  weekly: number
  lifetime: number
  lastClaim: number
  /** Expiry times of leases not yet turned into counts, oldest first. */
  leases: number[]
}

export interface VisitorState {
  segments: ReadonlySet<string>
  traits: Record<string, string | number | boolean>
  returning: boolean
  campaigns: Map<string, CampaignState>
  interruptive?: { session: string; at: number }
}

/** Everything one site keeps: visitors, pacing claims per campaign, the campaign-set version. */
export interface SiteState {
  visitors: Map<string, VisitorState>
  pace: Map<string, number>
  version: number
}

/** Shared by every visitor without a profile; replaced, never changed, when one arrives. */
const noSegments: ReadonlySet<string> = new Set()
const noTraits: VisitorState['traits'] = Object.freeze({})

/** Visitors kept per site in memory; the longest-standing is dropped first beyond this. */
export const maxMemoryVisitors = 200_000

export function visitorIn(site: SiteState, id: string): VisitorState {
  let visitor = site.visitors.get(id)
  if (!visitor) {
    if (site.visitors.size >= maxMemoryVisitors) site.visitors.delete(site.visitors.keys().next().value!)
    visitor = { segments: noSegments, traits: noTraits, returning: false, campaigns: new Map() }
    site.visitors.set(id, visitor)
  }
  return visitor
}

export const newCampaignState = (): CampaignState => ({
  hour: -1,
  hourly: 0,
  daily: 0,
  weekly: 0,
  lifetime: 0,
  lastClaim: Number.NEGATIVE_INFINITY,
  leases: [],
})

/** The counts that still belong to the windows `w` falls in. */
function current(state: CampaignState, w: ReturnType<typeof windowsOf>) {
  const day = Math.floor(state.hour / 24)
  return {
    hourly: state.hour === w.hour ? state.hourly : 0,
    daily: day === w.day ? state.daily : 0,
    weekly: Math.floor((day + 3) / 7) === w.week ? state.weekly : 0,
  }
}

export function liveLeases(state: CampaignState, now: number): number {
  const { leases } = state
  let expired = 0
  while (expired < leases.length && leases[expired]! <= now) expired++
  if (expired > 0) leases.splice(0, expired)
  return leases.length
}

export function profileMatches(rule: ProfileRule, visitor: VisitorState | undefined): boolean {
  if ('all' in rule) return rule.all.every((child) => profileMatches(child, visitor))
  if ('any' in rule) return rule.any.some((child) => profileMatches(child, visitor))
  if ('not' in rule) return !profileMatches(rule.not, visitor)
  if ('segment' in rule) return visitor?.segments.has(rule.segment) ?? false
  if ('returning' in rule) return (visitor?.returning ?? false) === rule.returning
  const actual = visitor
    ? Object.hasOwn(visitor.traits, rule.trait)
      ? visitor.traits[rule.trait]
      : undefined
    : undefined
  switch (rule.op) {
    case 'exists':
      return actual !== undefined
    case 'equals':
      return actual === rule.value
    case 'in':
      return actual !== undefined && rule.values.includes(actual)
    default:
      if (typeof actual !== 'number') return false
      if (rule.op === 'gt') return actual > rule.value
      if (rule.op === 'gte') return actual >= rule.value
      if (rule.op === 'lt') return actual < rule.value
      return actual <= rule.value
  }
}

function capReason(
  cap: Cap,
  state: CampaignState | undefined,
  now: number,
  w: ReturnType<typeof windowsOf>,
): SkipReason | null {
  if (!state) return null
  const pending = cap.countOn === 'viewable' ? liveLeases(state, now) : 0
  const day = Math.floor(state.hour / 24)
  if (cap.hour !== undefined && (state.hour === w.hour ? state.hourly : 0) + pending >= cap.hour)
    return 'cap_hour'
  if (cap.day !== undefined && (day === w.day ? state.daily : 0) + pending >= cap.day) return 'cap_day'
  if (
    cap.week !== undefined &&
    (Math.floor((day + 3) / 7) === w.week ? state.weekly : 0) + pending >= cap.week
  ) {
    return 'cap_week'
  }
  if (cap.lifetime !== undefined && state.lifetime + pending >= cap.lifetime) return 'cap_lifetime'
  if (cap.gapMs !== undefined && now - state.lastClaim < cap.gapMs) return 'gap'
  return null
}

export function count(state: CampaignState, now: number): void {
  const w = windowsOf(now)
  const counts = current(state, w)
  state.hour = w.hour
  state.hourly = counts.hourly + 1
  state.daily = counts.daily + 1
  state.weekly = counts.weekly + 1
  state.lifetime++
}

const largestLimit = (cap: Cap) => Math.max(cap.hour ?? 0, cap.day ?? 0, cap.week ?? 0, cap.lifetime ?? 0, 1)

function fatigued(visitor: VisitorState | undefined, session: string, now: number): boolean {
  const held = visitor?.interruptive
  if (!held || held.session !== session) return false
  return session !== '' || now - held.at < sessionlessBudgetMs
}

function reasonFor(
  site: SiteState,
  visitor: VisitorState | undefined,
  candidate: ClaimCandidate,
  request: ClaimRequest,
  used: Set<string>,
  w: ReturnType<typeof windowsOf>,
): SkipReason | null {
  if (used.has(candidate.campaign)) return 'used'
  if (candidate.when && !profileMatches(candidate.when, visitor)) return 'profile'
  if (candidate.pace && (site.pace.get(candidate.campaign) ?? 0) >= candidate.pace.limit) return 'paced'
  if (candidate.cap) {
    const reason = capReason(candidate.cap, visitor?.campaigns.get(candidate.campaign), request.now, w)
    if (reason) return reason
  }
  if (candidate.interruptive && fatigued(visitor, request.session, request.now)) return 'fatigue'
  return null
}

function record(site: SiteState, request: ClaimRequest, candidate: ClaimCandidate): void {
  const { now } = request
  if (candidate.pace) site.pace.set(candidate.campaign, (site.pace.get(candidate.campaign) ?? 0) + 1)
  if (!candidate.cap && !candidate.interruptive) return
  const visitor = visitorIn(site, request.visitor)
  if (candidate.interruptive) visitor.interruptive = { session: request.session, at: now }
  const cap = candidate.cap
  if (!cap) return
  let state = visitor.campaigns.get(candidate.campaign)
  if (!state) {
    state = newCampaignState()
    visitor.campaigns.set(candidate.campaign, state)
  }
  state.lastClaim = now
  if (cap.countOn === 'serve') count(state, now)
  else {
    liveLeases(state, now)
    state.leases.push(now + request.leaseMs)
    if (state.leases.length > largestLimit(cap)) state.leases.shift()
  }
}

/**
 * Claims one candidate at a time against a site's state, remembering the campaigns already claimed: what
 * `claimOn` does per group, and what the engine's one-pass decision calls as it walks. Synchronous, so in
 * one process it is atomic by construction.
 */
export function claimerFor(site: SiteState, request: ClaimRequest) {
  const used = new Set<string>()
  const w = windowsOf(request.now)
  // The interruptive budget as the request found it, for check-only candidates: a unit this request shows
  // later does not stand in the way of a held-back one drawn ahead of it.
  const found = site.visitors.get(request.visitor)?.interruptive
  return {
    /** Null when claimed (and recorded, unless only checked), else why not. */
    attempt(candidate: ClaimCandidate): SkipReason | null {
      const visitor = site.visitors.get(request.visitor)
      const reason = candidate.check
        ? reasonFor(site, visitor && { ...visitor, interruptive: found }, candidate, request, used, w)
        : reasonFor(site, visitor, candidate, request, used, w)
      if (reason) return reason
      if (!candidate.check) record(site, request, candidate)
      used.add(candidate.campaign)
      return null
    },
  }
}

/** The claim over plain state. The Redis scripts implement exactly this; the contract test holds them to it. */
export function claimOn(site: SiteState, request: ClaimRequest): ClaimResult {
  const claimer = claimerFor(site, request)
  const chosen: number[] = []
  const skipped: (SkipReason | null)[][] = []
  for (const group of request.groups) {
    const reasons: (SkipReason | null)[] = []
    let pick = -1
    for (let i = 0; i < group.length; i++) {
      const reason = claimer.attempt(group[i]!)
      reasons.push(reason)
      if (reason === null) {
        pick = i
        break
      }
    }
    chosen.push(pick)
    skipped.push(reasons)
  }
  return { chosen, skipped, version: site.version }
}

export const newSiteState = (): SiteState => ({ visitors: new Map(), pace: new Map(), version: 0 })
