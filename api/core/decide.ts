import type { Creative, Experiment, Frequency, Pacing, Schedule, Targeting } from '../../schema/campaign'
import { pageFormats, slotFormats } from '../../schema/serve'
import { type ArmStats, thompson } from './bandit'
import { assignVariant, bucketOf } from './bucket'
import { claimerFor, newSiteState } from './capping'
import type { Cap, ClaimCandidate, ClaimRequest, ProfileRule, SkipReason } from './claims'
import { paceLimit } from './pacing'
import { inSchedule } from './schedule'
import { evalTargeting, explainFailure } from './targeting'
import type { VisitorContext } from './visitor'

/** One item a type's filler put in a decision, as the trace shows it: where it leads and its score's parts. */
export interface TraceItem {
  url: string
  [part: string]: number | string
}

export interface ServableVariant {
  id: string
  weight: number
  creative: Creative
  /** Signed click token for the creative's ctaUrl, made when the campaign was loaded. */
  clickToken?: string
  /** What the bandit learns from, loaded with the campaign when it runs one. */
  stats?: ArmStats
}

export interface ServableCampaign {
  id: string
  name: string
  type: string
  format: string
  priority: number
  weight: number
  placements: string[]
  schedule: Schedule
  targeting: Targeting
  frequency: Frequency
  experiment: Experiment
  pacing: Pacing | null
  config: Record<string, unknown>
  variants: ServableVariant[]
}

export interface DecisionInput {
  slots: string[]
  anonymousId: string
  /** The visitor's session, which bounds the interruptive-unit budget; '' when unknown. */
  sessionId?: string
  now: number
  /** Uniform in [0, 1); handed in so the decision stays a pure function. */
  random: () => number
  visitor: VisitorContext
}

export interface Choice {
  slot?: string
  campaign: ServableCampaign
  variant: ServableVariant
}

/** Why each candidate was or was not chosen, for `?debug=1`. */
export interface TraceEntry {
  campaignId: string
  name: string
  /** The slot, or the page position (`popup`, `sticky_bottom`, …) the campaign competed for. */
  slot?: string
  position?: string
  outcome: 'chosen' | 'skipped'
  reason?: TraceReason
  detail?: string
  /** The items a type filled the decision with (a rail's cards), each with how it was scored. */
  items?: TraceItem[]
}
export type TraceReason =
  | SkipReason
  | 'no_variants'
  | 'out_of_schedule'
  | 'targeting'
  | 'holdout'
  | 'lost_draw'
  | 'lower_priority'
  | 'kv_unavailable'
  /** A decision its type's filler left with nothing to show (a rail whose every card the visitor has read). */
  | 'no_items'

/** How long a serve's claim on a viewable-counted cap holds while its impression is on its way. */
export const leaseMs = 30 * 60_000

export const interruptiveFormats: readonly string[] = ['popup', 'slide_in']
const isSlotFormat = (format: string) => (slotFormats as readonly string[]).includes(format)
const isPageFormat = (format: string) => (pageFormats as readonly string[]).includes(format)

/**
 * The visitor's variant: their bucket for this campaign's experiment (salted with the campaign id, or the
 * experiment's own salt), so it is the same on every request, restart and edge location. Null for the
 * holdout, which is shown nothing from this campaign; undefined when no variant may be shown. With a bandit,
 * visitors outside the holdout get the variant Thompson sampling draws.
 */
export function chooseVariant(
  campaign: ServableCampaign,
  anonymousId: string,
  random?: () => number,
): ServableVariant | null | undefined {
  const { experiment, variants } = campaign
  const bucket = bucketOf(experiment.salt ?? campaign.id, anonymousId)
  if (experiment.bandit && random && variants.every((v) => v.stats)) {
    if (assignVariant([{ id: '', weight: 1 }], bucket, experiment.holdoutPercent) === null) return null
    const arm = thompson(
      variants.map((v) => ({ weight: v.weight, ...v.stats! })),
      random,
    )
    return arm < 0 ? undefined : variants[arm]
  }
  const id = assignVariant(variants, bucket, experiment.holdoutPercent)
  if (id === null) return variants.some((v) => v.weight > 0) ? null : undefined
  return variants.find((v) => v.id === id)
}

/**
 * The campaigns indexed for deciding, highest priority first: per slot name (slot formats only) and per
 * page position. Built once per campaign list, which the cache hands in unchanged until it reloads.
 */
interface Index {
  bySlot: Map<string, ServableCampaign[]>
  byPosition: Map<string, ServableCampaign[]>
}
const indexes = new WeakMap<ServableCampaign[], Index>()

function indexOf(campaigns: ServableCampaign[]): Index {
  let index = indexes.get(campaigns)
  if (!index) {
    index = { bySlot: new Map(), byPosition: new Map() }
    const push = (map: Map<string, ServableCampaign[]>, key: string, c: ServableCampaign) => {
      const list = map.get(key)
      if (list) list.push(c)
      else map.set(key, [c])
    }
    for (const c of [...campaigns].sort((a, b) => b.priority - a.priority)) {
      if (isSlotFormat(c.format)) for (const slot of new Set(c.placements)) push(index.bySlot, slot, c)
      else if (isPageFormat(c.format)) push(index.byPosition, pagePosition(c.format), c)
    }
    indexes.set(campaigns, index)
  }
  return index
}

/** Page-level units compete by position: one popup, one bottom bar, one top bar at most. */
const pagePosition = (format: string) => (format === 'sticky' ? 'sticky_bottom' : format)

/** The cap a campaign's frequency settings describe, or undefined when it has none. */
export function capOf(frequency: Frequency): Cap | undefined {
  const { perHour, perDay, perWeek, lifetime, minHoursBetween } = frequency
  if (perHour === undefined && perDay === undefined && perWeek === undefined && lifetime === undefined) {
    if (!minHoursBetween) return undefined
  }
  const cap: Cap = { countOn: frequency.countOn ?? 'viewable' }
  if (perHour !== undefined) cap.hour = perHour
  if (perDay !== undefined) cap.day = perDay
  if (perWeek !== undefined) cap.week = perWeek
  if (lifetime !== undefined) cap.lifetime = lifetime
  if (minHoursBetween) cap.gapMs = minHoursBetween * 3_600_000
  return cap
}

/** A campaign that passed everything the request can tell, with the variant it would show. */
export interface Candidate {
  campaign: ServableCampaign
  variant: ServableVariant
  claim: ClaimCandidate
}

export interface Group {
  slot?: string
  position?: string
  candidates: Candidate[]
}

/**
 * A campaign the visitor's holdout kept back when it was drawn (in schedule, targeted): in group `group`, after
 * `after` candidates. It stands where it would have been shown if none of those is (a ghost exposure), and if
 * the visitor's profile passes `when`, the targeting the request could not decide (a segment, a trait, a
 * campaign's audience): a held-out visitor outside the audience would not have been shown it either.
 */
export interface Held {
  campaign: ServableCampaign
  group: number
  after: number
  /**
   * What the store must let through for a showing to have happened, judged and never recorded (`check`): the
   * profile rule the request could not decide, the campaign's pacing and the interruptive budget. Absent when
   * nothing stored stands in the way.
   */
  stand?: ClaimCandidate
  /** The claim's group (after the real ones) that asks the store about `stand` alone, recording nothing. */
  shadow?: number
}

/** A decision waiting for the store: the groups to fill and the claim that settles them in one round trip. */
export interface Plan {
  groups: Group[]
  request: ClaimRequest
  /** False when every group's first reachable candidate needs no stored state: the store can be skipped. */
  needsStore: boolean
  trace?: TraceEntry[]
  /** Campaigns held back from this visitor on the way (none when no campaign has a holdout). */
  held?: Held[]
}

type Rejection = { reason: TraceReason; detail?: string; when?: ProfileRule }
type Verdict = Candidate | Rejection

/**
 * Candidates a group hands the store at most. Past this many that each need the store (caps that may be
 * reached), lower ones are not offered: the claim stays small, and a visitor capped out of this many
 * campaigns in a row has seen enough. The decision trace offers every candidate.
 */
export const maxCandidatesPerGroup = 16

/** What a campaign needs from the store regardless of the request, worked out once per loaded campaign. */
interface Prepared {
  cap: Cap | undefined
  interruptive: boolean
  /** The claim for requests that leave no profile rule, when the campaign is not paced: the same every time. */
  plainClaim: ClaimCandidate | undefined
}
const prepared = new WeakMap<ServableCampaign, Prepared>()

function prepare(c: ServableCampaign): Prepared {
  let p = prepared.get(c)
  if (!p) {
    const cap = capOf(c.frequency)
    const interruptive = interruptiveFormats.includes(c.format) && !c.frequency.exemptFromFatigue
    let plainClaim: ClaimCandidate | undefined
    if (!c.pacing) {
      plainClaim = { campaign: c.id }
      if (cap) plainClaim.cap = cap
      if (interruptive) plainClaim.interruptive = true
    }
    p = { cap, interruptive, plainClaim }
    prepared.set(c, p)
  }
  return p
}

/** One call's working state; the helpers below are plain functions so nothing is allocated per candidate. */
interface Round {
  input: DecisionInput
  debug: boolean
  verdicts: Map<ServableCampaign, Verdict>
  /** Campaigns some earlier group may pick, so a stateless candidate there is not a sure thing here. */
  earlier: Set<string>
  needsStore: boolean
  trace: TraceEntry[]
  /** Made on the first held-back campaign, so a site without holdouts allocates nothing. */
  held: Held[] | undefined
}

function verdictOf(round: Round, c: ServableCampaign): Verdict {
  const known = round.verdicts.get(c)
  if (known) return known
  const verdict = judge(round, c)
  round.verdicts.set(c, verdict)
  return verdict
}

function judge(round: Round, c: ServableCampaign): Verdict {
  const { input } = round
  if (c.variants.length === 0) return { reason: 'no_variants' }
  if (!inSchedule(c.schedule, input.now)) return { reason: 'out_of_schedule' }
  const targeted = evalTargeting(c.targeting, input.visitor)
  if (targeted === false) {
    const detail = round.debug ? explainFailure(c.targeting, input.visitor) : undefined
    return detail ? { reason: 'targeting', detail } : { reason: 'targeting' }
  }
  const variant = chooseVariant(c, input.anonymousId, input.random)
  if (variant === null)
    return targeted === true ? { reason: 'holdout' } : { reason: 'holdout', when: targeted }
  if (variant === undefined) return { reason: 'no_variants' }
  const { cap, interruptive, plainClaim } = prepare(c)
  if (targeted === true && plainClaim) return { campaign: c, variant, claim: plainClaim }
  const claim: ClaimCandidate = { campaign: c.id }
  if (targeted !== true) claim.when = targeted
  if (cap) claim.cap = cap
  if (interruptive) claim.interruptive = true
  const limit = c.pacing ? paceLimit(c.pacing, c.schedule, input.now) : undefined
  if (limit !== undefined) claim.pace = { limit }
  return { campaign: c, variant, claim }
}

const needsState = (claim: ClaimCandidate) =>
  claim.when !== undefined ||
  claim.cap !== undefined ||
  claim.interruptive === true ||
  claim.pace !== undefined

/**
 * A held-back campaign's stand-in: what stored state decides about a showing of it, to be judged only. Caps are
 * left out (a visitor held out of a campaign has no showings of it to count); undefined when nothing stored
 * could stand in the way.
 */
function standIn(
  c: ServableCampaign,
  when: ProfileRule | undefined,
  now: number,
): ClaimCandidate | undefined {
  const { interruptive } = prepare(c)
  const limit = c.pacing ? paceLimit(c.pacing, c.schedule, now) : undefined
  if (when === undefined && !interruptive && limit === undefined) return undefined
  const stand: ClaimCandidate = { campaign: c.id, check: true }
  if (when !== undefined) stand.when = when
  if (interruptive) stand.interruptive = true
  if (limit !== undefined) stand.pace = { limit }
  return stand
}

/** Takes one campaign from `tier[from..]` by weight and swaps it to position `from`. */
function drawNext(tier: ServableCampaign[], from: number, random: () => number): void {
  let total = 0
  for (let i = from; i < tier.length; i++) total += tier[i]!.weight
  let target = random() * total
  let pick = tier.length - 1
  for (let i = from; i < tier.length; i++) {
    target -= tier[i]!.weight
    if (target < 0) {
      pick = i
      break
    }
  }
  const chosen = tier[pick]!
  tier[pick] = tier[from]!
  tier[from] = chosen
}

/**
 * One group's candidates in order, produced on demand. Within a priority tier campaigns are drawn by weight
 * one at a time and judged (schedule, targeting, variant) only once drawn; one that fails is set aside and the
 * draw repeats among the rest. That is the same as a weighted draw among the eligible, but usually judges one
 * campaign instead of the whole tier.
 */
class Cursor {
  private start = 0
  /** The current tier's campaigns not yet drawn, from `at` on. */
  private tier: ServableCampaign[] = []
  private at = 0
  /** Candidates handed out so far. */
  private given = 0

  constructor(
    private readonly round: Round,
    private readonly list: ServableCampaign[] | undefined,
    readonly where: { slot?: string; position?: string },
    private readonly group: number,
  ) {}

  next(): Candidate | undefined {
    const { list, round } = this
    for (;;) {
      while (this.at >= this.tier.length) {
        if (!list || this.start >= list.length) return undefined
        const priority = list[this.start]!.priority
        this.tier = []
        this.at = 0
        let end = this.start
        for (; end < list.length && list[end]!.priority === priority; end++) {
          const c = list[end]!
          if (c.weight > 0) this.tier.push(c)
          else if (round.debug) this.trace(c, { reason: 'lost_draw' })
        }
        this.start = end
      }
      drawNext(this.tier, this.at, round.input.random)
      const c = this.tier[this.at++]!
      const verdict = verdictOf(round, c)
      if ('claim' in verdict) {
        this.given++
        return verdict
      }
      if (verdict.reason === 'holdout') {
        round.held ??= []
        const h: Held = { campaign: c, group: this.group, after: this.given }
        const stand = standIn(c, verdict.when, round.input.now)
        if (stand) h.stand = stand
        round.held.push(h)
      }
      if (round.debug) this.trace(c, verdict)
    }
  }

  private trace(c: ServableCampaign, rejection: Rejection) {
    this.round.trace.push({ ...entry(c, this.where), outcome: 'skipped', ...rejection })
  }
}

function plan(round: Round, cursor: Cursor): Group {
  const group: Group = { ...cursor.where, candidates: [] }
  const limit = round.debug ? Number.POSITIVE_INFINITY : maxCandidatesPerGroup
  while (group.candidates.length < limit) {
    const candidate = cursor.next()
    if (!candidate) break
    group.candidates.push(candidate)
    const stateful = needsState(candidate.claim)
    if (stateful) round.needsStore = true
    // The first candidate that needs no stored state and no earlier group can take is a sure pick: nothing
    // after it can be reached, so (outside debugging) it ends the group.
    if (!stateful && !round.earlier.has(candidate.campaign.id) && !round.debug) break
  }
  for (const candidate of group.candidates) round.earlier.add(candidate.campaign.id)
  return group
}

function cursors(round: Round, campaigns: ServableCampaign[]): Cursor[] {
  const index = indexOf(campaigns)
  const list: Cursor[] = []
  for (const slot of new Set(round.input.slots))
    list.push(new Cursor(round, index.bySlot.get(slot), { slot }, list.length))
  for (const [position, campaigns] of index.byPosition)
    list.push(new Cursor(round, campaigns, { position }, list.length))
  return list
}

const newRound = (input: DecisionInput, debug: boolean): Round => ({
  input,
  debug,
  verdicts: new Map(),
  earlier: new Set(),
  needsStore: false,
  trace: [],
  held: undefined,
})

const claimRequest = (input: DecisionInput, groups: ClaimCandidate[][]): ClaimRequest => ({
  site: '',
  visitor: input.anonymousId,
  session: input.sessionId ?? '',
  now: input.now,
  leaseMs,
  groups,
})

const entry = (c: ServableCampaign, where: { slot?: string; position?: string }) => ({
  campaignId: c.id,
  name: c.name,
  ...where,
})

/**
 * Everything the request itself can decide: per requested slot and per page position, the campaigns in
 * schedule whose targeting holds (or waits on the visitor's profile), each with its variant, highest priority
 * tier first and in weighted-draw order within a tier. What is left (profile rules, caps, the interruptive
 * budget, pacing, one campaign per page) is the store's claim. Pure.
 */
export function rank(campaigns: ServableCampaign[], input: DecisionInput, debug = false): Plan {
  const round = newRound(input, debug)
  const groups = cursors(round, campaigns).map((cursor) => plan(round, cursor))
  const request = claimRequest(
    input,
    groups.map((g) => g.candidates.map((c) => c.claim)),
  )
  const result: Plan = { groups, request, needsStore: round.needsStore }
  if (debug) result.trace = round.trace
  if (round.held) {
    result.held = round.held
    // A held-back campaign that stored state could have kept from showing (a profile rule, pacing, the
    // interruptive budget) gets a group of its own after the real ones: its stand-in alone, which the store
    // judges and records nothing for.
    const shadows = new Map<string, number>()
    for (const h of round.held) {
      if (!h.stand) continue
      let at = shadows.get(h.campaign.id)
      if (at === undefined) {
        at = request.groups.push([h.stand]) - 1
        shadows.set(h.campaign.id, at)
        result.needsStore = true
      }
      h.shadow = at
    }
  }
  return result
}

/** A claim's outcome as the trace reads it; the store's answer is one, a local settlement another. */
export interface Settled {
  chosen: number[]
  skipped: (TraceReason | null)[][]
}

/**
 * Settles a plan here, without the store: every group takes its first candidate that no earlier group took
 * and `reject` lets pass. With the default, what a plan that needs no stored state comes to.
 */
export function settleLocally(
  plan: Plan,
  reject: (candidate: ClaimCandidate) => TraceReason | null = () => null,
): Settled {
  const used = new Set<string>()
  const chosen: number[] = []
  const skipped: Settled['skipped'] = []
  for (const group of plan.request.groups) {
    const reasons: (TraceReason | null)[] = group.map(() => null)
    let pick = -1
    for (const [i, candidate] of group.entries()) {
      const reason = used.has(candidate.campaign) ? 'used' : reject(candidate)
      if (reason) {
        reasons[i] = reason
        continue
      }
      pick = i
      used.add(candidate.campaign)
      break
    }
    chosen.push(pick)
    skipped.push(reasons)
  }
  return { chosen, skipped }
}

/**
 * The campaigns held back that would have been shown: those drawn before the candidate their group showed, or
 * in a group that showed nothing. Each once, however many groups it was drawn in.
 */
export function heldExposures(
  held: readonly Held[] | undefined,
  chosen: readonly number[],
): ServableCampaign[] {
  if (!held) return []
  const out: ServableCampaign[] = []
  for (const h of held) {
    const pick = chosen[h.group] ?? -1
    // Outside the targeting its profile rule asks for (the store turned its shadow down): no stand-in.
    if (h.shadow !== undefined && chosen[h.shadow] !== 0) continue
    if ((pick < 0 || pick >= h.after) && !out.includes(h.campaign)) out.push(h.campaign)
  }
  return out
}

/**
 * Applies the store's answer: the chosen candidate of each group and, when debugging, why every other one
 * was passed over.
 */
export function finish(plan: Plan, result: Settled): { choices: Choice[]; trace?: TraceEntry[] } {
  const choices: Choice[] = []
  for (const [g, group] of plan.groups.entries()) {
    const pick = result.chosen[g] ?? -1
    const chosen = pick >= 0 ? group.candidates[pick] : undefined
    if (chosen) {
      choices.push(
        group.slot === undefined
          ? { campaign: chosen.campaign, variant: chosen.variant }
          : { slot: group.slot, campaign: chosen.campaign, variant: chosen.variant },
      )
    }
    if (!plan.trace) continue
    const where = group.slot === undefined ? { position: group.position } : { slot: group.slot }
    for (const [i, candidate] of group.candidates.entries()) {
      const base = entry(candidate.campaign, where)
      if (i === pick) {
        plan.trace.push({ ...base, outcome: 'chosen' })
        continue
      }
      const skip = result.skipped[g]?.[i]
      const reason: TraceReason =
        skip ??
        (chosen && candidate.campaign.priority === chosen.campaign.priority ? 'lost_draw' : 'lower_priority')
      const detail =
        skip === 'profile' && candidate.claim.when ? JSON.stringify(candidate.claim.when) : undefined
      plan.trace.push(
        detail ? { ...base, outcome: 'skipped', reason, detail } : { ...base, outcome: 'skipped', reason },
      )
    }
  }
  return plan.trace ? { choices, trace: plan.trace } : { choices }
}

/**
 * The whole decision over plain data, in one pass: each group walks its candidates in order and claims the
 * first that the visitor's state lets through, so it judges only as many campaigns as it needs. This is what
 * the in-process store does; a remote store gets the same walk as a plan (`rank`) and settles it in one round
 * trip, with the same outcome. Pure but for the state it is handed (a first-time visitor by default), which
 * the claims update.
 */
export function decide(
  campaigns: ServableCampaign[],
  input: DecisionInput,
  state = newSiteState(),
  held?: ServableCampaign[],
): Choice[] {
  const round = newRound(input, false)
  const claimer = claimerFor(state, claimRequest(input, []))
  const choices: Choice[] = []
  for (const cursor of cursors(round, campaigns)) {
    let candidate = cursor.next()
    for (let tried = 0; candidate && tried < maxCandidatesPerGroup; tried++, candidate = cursor.next()) {
      if (claimer.attempt(candidate.claim) !== null) continue
      const { slot } = cursor.where
      choices.push(
        slot === undefined
          ? { campaign: candidate.campaign, variant: candidate.variant }
          : { slot, campaign: candidate.campaign, variant: candidate.variant },
      )
      break
    }
  }
  // Every campaign held back on the way was drawn before whatever its group showed: each stood in for a showing,
  // where the visitor's state would have let one through (profile, pacing, the budget as the request found it).
  if (held && round.held) {
    for (const h of round.held) {
      if (held.includes(h.campaign)) continue
      if (h.stand && claimer.attempt(h.stand) !== null) continue
      held.push(h.campaign)
    }
  }
  return choices
}
