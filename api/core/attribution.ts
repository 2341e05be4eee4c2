import {
  type AttributionModel,
  type AttributionSettings,
  attributionModels,
  type PositionWeights,
} from '../../schema/attribution'

/**
 * Multi-touch attribution: which campaign touches earned a conversion, and what share each one gets.
 *
 * Eligibility, the same for every model, so the models differ only in how they share the credit:
 * - a `click` counts when it happened within the click window before the conversion;
 * - a `viewable` impression counts when it happened within the view window before the conversion, and only
 *   when no click is eligible (below);
 * - any other kind never counts. A plain `impression` was rendered but not necessarily seen (it may have sat
 *   below the fold), so crediting it would reward placements nobody looked at; only the MRC-viewable event
 *   is evidence of exposure. `close` and the rest are not touches either;
 * - nothing after the conversion counts. A touch at the very millisecond of the conversion does (age 0).
 * - Windows are half-open: a touch exactly 7 days old is outside a 7-day window. That makes a view window of
 *   0 mean "view-through off" rather than "views at the conversion's very millisecond".
 *
 * Clicks take precedence over views: when any click is eligible, views earn nothing, in every model. Meta
 * does this for last touch; applying it to the multi-touch models too keeps one rule for all five. Viewable
 * impressions are far more frequent than clicks, so letting them share multi-touch credit would let a
 * visitor's browsing dilute the click that brought them in, and would make the models disagree on which
 * campaigns contributed at all. A view earns credit only for a conversion no click explains.
 *
 * Order: touches are ranked by time, ties by id, so the result never depends on the order they arrive in.
 * "First" and "last" are the two ends of that ranking.
 *
 * Credits are one row per touch that earned a positive share, in that order: last touch yields one row,
 * and a touch weighted to 0 (a position-based middle with `middle: 0`, or a time-decay touch so old against a
 * short half-life that its weight underflows) has no row. No eligible touch means no rows: unattributed.
 */

export interface Touch {
  id: string
  campaignId: string
  variantId?: string
  /** The event name; only `click` and `viewable` can earn credit. */
  kind: string
  /** Epoch milliseconds. */
  at: number
}

export interface Conversion {
  /** Epoch milliseconds. */
  at: number
  value: number
}

export interface Credit {
  campaignId: string
  variantId?: string
  touchId: string
  /** Share of the conversion, 0 < weight ≤ 1; a conversion's weights add up to 1. */
  weight: number
  /** weight × the conversion's value. */
  value: number
}

export type CampaignCredit = Pick<Credit, 'campaignId' | 'weight' | 'value'>

export type CreditsByModel = Record<AttributionModel, Credit[]>

const dayMs = 86_400_000

export function attribute(
  conversion: Conversion,
  touches: readonly Touch[],
  model: AttributionModel,
  settings: AttributionSettings,
): Credit[] {
  return share(model, eligibleTouches(conversion, touches, settings), conversion.value, settings)
}

/** Every model at once, from one pass of eligibility: what ingest stores per conversion. */
export function attributeAll(
  conversion: Conversion,
  touches: readonly Touch[],
  settings: AttributionSettings,
): CreditsByModel {
  const eligible = eligibleTouches(conversion, touches, settings)
  const all = {} as CreditsByModel
  for (const model of attributionModels) all[model] = share(model, eligible, conversion.value, settings)
  return all
}

/** Credit summed per campaign, in the order each campaign first earned credit. */
export function creditByCampaign(credits: readonly Credit[]): CampaignCredit[] {
  const totals = new Map<string, CampaignCredit>()
  for (const credit of credits) {
    const total = totals.get(credit.campaignId)
    if (total) {
      total.weight += credit.weight
      total.value += credit.value
    } else {
      totals.set(credit.campaignId, {
        campaignId: credit.campaignId,
        weight: credit.weight,
        value: credit.value,
      })
    }
  }
  return [...totals.values()]
}

/** The touches that may earn credit, ranked by (time, id). */
function eligibleTouches(
  conversion: Conversion,
  touches: readonly Touch[],
  settings: AttributionSettings,
): Touch[] {
  const within = (touch: Touch, windowDays: number) => {
    const age = conversion.at - touch.at
    return age >= 0 && age < windowDays * dayMs
  }
  const clicks = touches.filter((t) => t.kind === 'click' && within(t, settings.clickWindowDays))
  const chosen =
    clicks.length > 0
      ? clicks
      : touches.filter((t) => t.kind === 'viewable' && within(t, settings.viewWindowDays))
  // Event ids are unique once stored, so a repeat is a caller's bug; tolerating it would credit a touch twice.
  const ids = new Set<string>()
  for (const touch of chosen) {
    if (ids.has(touch.id)) throw new RangeError(`touch id ${touch.id} appears more than once`)
    ids.add(touch.id)
  }
  return chosen.sort(byTimeThenId)
}

function byTimeThenId(a: Touch, b: Touch): number {
  if (a.at !== b.at) return a.at - b.at
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

function share(
  model: AttributionModel,
  ranked: readonly Touch[],
  value: number,
  settings: AttributionSettings,
): Credit[] {
  if (ranked.length === 0) return []
  const weights = weightsFor(model, ranked, settings)
  const credits: Credit[] = []
  ranked.forEach((touch, i) => {
    const weight = weights[i]!
    if (weight <= 0) return
    const credit: Credit = { campaignId: touch.campaignId, touchId: touch.id, weight, value: weight * value }
    if (touch.variantId !== undefined) credit.variantId = touch.variantId
    credits.push(credit)
  })
  return credits
}

/** One weight per ranked touch, adding up to 1. */
function weightsFor(
  model: AttributionModel,
  ranked: readonly Touch[],
  settings: AttributionSettings,
): number[] {
  const n = ranked.length
  switch (model) {
    case 'last_touch':
      return ranked.map((_, i) => (i === n - 1 ? 1 : 0))
    case 'first_touch':
      return ranked.map((_, i) => (i === 0 ? 1 : 0))
    case 'linear':
      return ranked.map(() => 1 / n)
    case 'time_decay':
      return timeDecay(ranked, settings.halfLifeDays)
    case 'position_based':
      return positionBased(n, settings.positionWeights)
  }
}

/**
 * Each touch weighs 2^(−age / halfLife), normalized, age being the time from the touch to the conversion.
 * Ages are measured here from the youngest touch instead: the offset they all share cancels out in the
 * normalization, and the youngest then weighs exactly 1. Measured from the conversion, with a short half-life
 * and old touches, every weight could underflow to 0 and the normalization divide 0 by 0.
 */
function timeDecay(ranked: readonly Touch[], halfLifeDays: number): number[] {
  const youngestAt = ranked[ranked.length - 1]!.at
  const raw = ranked.map((t) => 2 ** (-(youngestAt - t.at) / (halfLifeDays * dayMs)))
  const total = raw.reduce((sum, w) => sum + w, 0)
  return raw.map((w) => w / total)
}

/**
 * One touch takes everything. Two touches have no middle, so they share in the ratio first : last: 50/50 with
 * the default 40/20/40, rather than leaving the middle's 20% unassigned. Three or more: the first and last take
 * their shares and the middle share is split evenly among the touches between them.
 */
function positionBased(n: number, { first, middle, last }: PositionWeights): number[] {
  if (n === 1) return [1]
  if (n === 2) return [first / (first + last), last / (first + last)]
  // Settings add up to 1 only within a tolerance for typed-in decimals; dividing by their sum makes it exact.
  const total = first + middle + last
  const each = middle / (n - 2)
  return Array.from({ length: n }, (_, i) => (i === 0 ? first : i === n - 1 ? last : each) / total)
}
