import type { Creative, Schedule, Targeting } from '../../schema/campaign'
import { pageFormats, slotFormats } from '../../schema/serve'
import { assignVariant, bucketOf } from './bucket'
import { inSchedule } from './schedule'
import { matches } from './targeting'
import type { VisitorContext } from './visitor'

export interface ServableVariant {
  id: string
  weight: number
  creative: Creative
  /** Signed click token for the creative's ctaUrl, made when the campaign was loaded. */
  clickToken?: string
}

export interface ServableCampaign {
  id: string
  type: string
  format: string
  priority: number
  weight: number
  placements: string[]
  schedule: Schedule
  targeting: Targeting
  config: Record<string, unknown>
  variants: ServableVariant[]
}

export interface DecisionInput {
  slots: string[]
  anonymousId: string
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

const isSlotFormat = (format: string) => (slotFormats as readonly string[]).includes(format)
const isPageFormat = (format: string) => (pageFormats as readonly string[]).includes(format)

function pickWeighted<T extends { weight: number }>(items: T[], unit: number): T | undefined {
  const total = items.reduce((sum, item) => sum + Math.max(0, item.weight), 0)
  if (total <= 0) return items[0]
  let target = unit * total
  for (const item of items) {
    target -= Math.max(0, item.weight)
    if (target < 0) return item
  }
  return items[items.length - 1]
}

/**
 * The visitor's variant: their bucket for this campaign's experiment, salted with the campaign id, so it is the
 * same on every request, restart and edge location. An `experiment.salt` (to reshuffle visitors without a new
 * campaign) and a holdout percentage, once the campaign schema has them, go in as bucketOf's salt and
 * assignVariant's third argument. Undefined (every weight 0; the holdout, later) means show nothing.
 */
export function chooseVariant(campaign: ServableCampaign, anonymousId: string): ServableVariant | undefined {
  const id = assignVariant(campaign.variants, bucketOf(campaign.id, anonymousId))
  return id === null ? undefined : campaign.variants.find((v) => v.id === id)
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

/** One call's working state; the helpers below are plain functions so nothing is allocated per candidate. */
interface Round {
  input: DecisionInput
  eligible: Map<ServableCampaign, boolean>
  used: Set<string>
  choices: Choice[]
}

function isEligible(round: Round, c: ServableCampaign): boolean {
  let ok = round.eligible.get(c)
  if (ok === undefined) {
    ok =
      c.variants.length > 0 &&
      inSchedule(c.schedule, round.input.now) &&
      matches(c.targeting, round.input.visitor)
    round.eligible.set(c, ok)
  }
  return ok
}

/** The highest tier's eligible, unused candidates, drawn by weight; the chosen one is added. */
function fill(round: Round, candidates: ServableCampaign[] | undefined, slot?: string): void {
  if (!candidates) return
  const tier: ServableCampaign[] = []
  for (const c of candidates) {
    if (tier.length > 0 && c.priority < tier[0]!.priority) break
    if (!round.used.has(c.id) && isEligible(round, c)) tier.push(c)
  }
  const campaign = tier.length ? pickWeighted(tier, round.input.random()) : undefined
  if (!campaign) return
  const variant = chooseVariant(campaign, round.input.anonymousId)
  if (!variant) return
  round.used.add(campaign.id)
  round.choices.push(slot === undefined ? { campaign, variant } : { slot, campaign, variant })
}

/**
 * Chooses what to render: one campaign per requested slot and the page-level units, never the same campaign
 * twice on one page. Candidates are walked from the highest priority down and a campaign's schedule and
 * targeting are checked only when its tier is reached, at most once per call: the first tier with an eligible
 * candidate wins, by a weighted draw. Pure: everything it needs is in its arguments.
 */
export function decide(campaigns: ServableCampaign[], input: DecisionInput): Choice[] {
  const round: Round = { input, eligible: new Map(), used: new Set(), choices: [] }
  const index = indexOf(campaigns)
  for (const slot of new Set(input.slots)) fill(round, index.bySlot.get(slot), slot)
  for (const candidates of index.byPosition.values()) fill(round, candidates)
  return round.choices
}
