/**
 * Lift: what showing a campaign (or every campaign of a site) added, read from two groups of visitors, those
 * exposed to it and those its holdout kept from it. Pure: the sums come from api/services/lift.ts.
 *
 * - Conversion rate (visitors who converted after their first exposure): the difference by Newcombe's hybrid
 *   score interval (api/core/compare.ts), which keeps its coverage at the few conversions a holdout has.
 * - Revenue per visitor: Welch's interval for a difference of means with unequal variances, from each group's
 *   per-visitor sums and sums of squares, with Welch–Satterthwaite degrees of freedom.
 * - Relative lift (exposed ÷ held-out − 1), for both: the delta method on the log of the ratio (Katz's log
 *   interval), so the interval stays above −100% and is skewed the way a ratio is.
 * - Incremental conversions and revenue: the differences (and their intervals) scaled to the exposed group,
 *   what the exposed visitors did beyond what they would have done unexposed.
 * - The split against the configured holdout, by the sample ratio mismatch check (api/core/srm.ts).
 */
import { compareRates } from './compare'
import { type SampleRatioCheck, sampleRatioMismatch } from './srm'

/** 97.5th percentile of the standard normal: 95% two-sided. */
const z = 1.959964

/** One group's per-visitor sums: how many visitors, how many converted, their revenue and its squares. */
export interface ArmSums {
  visitors: number
  converters: number
  revenue: number
  /** Σ over visitors of (their revenue)², for the variance of revenue per visitor. */
  revenueSquares: number
}

export interface Interval {
  low: number
  high: number
}

export interface Estimate {
  /** Exposed − held-out; null when a group has no visitors. */
  difference: number | null
  ci95: Interval | null
  /** Exposed ÷ held-out − 1; null when the held-out value is 0 (or a group is empty). */
  relative: number | null
  relativeCi95: Interval | null
}

/** Below either, the readout says it cannot tell yet. */
export const minVisitorsPerArm = 100
export const minConverters = 10

export type LiftVerdict = 'not_enough' | 'added' | 'reduced' | 'unclear'

export interface LiftReadout {
  holdoutPercent: number
  exposed: ArmSummary
  holdout: ArmSummary
  conversionRate: Estimate
  revenuePerVisitor: Estimate
  incrementalConversions: { value: number; ci95: Interval } | null
  incrementalRevenue: { value: number; ci95: Interval } | null
  /** The campaign's cost over the incremental conversions; null without a cost or without a positive estimate. */
  costPerIncrementalConversion: number | null
  /** The split of visitors between the groups against the configured holdout share. */
  srm: SampleRatioCheck
  /**
   * `not_enough` below 100 visitors in either group or 10 converters in both together; else whether the
   * conversion rate's interval lies above 0 (`added`), below it (`reduced`) or spans it (`unclear`).
   */
  verdict: LiftVerdict
}

export interface ArmSummary {
  visitors: number
  converters: number
  conversionRate: number
  revenue: number
  revenuePerVisitor: number
}

const summary = (arm: ArmSums): ArmSummary => ({
  visitors: arm.visitors,
  converters: arm.converters,
  conversionRate: arm.visitors > 0 ? arm.converters / arm.visitors : 0,
  revenue: arm.revenue,
  revenuePerVisitor: arm.visitors > 0 ? arm.revenue / arm.visitors : 0,
})

/**
 * The 97.5th percentile of Student's t with `df` degrees of freedom (df may be fractional, as Welch's is).
 * From 3 on, the Cornish–Fisher expansion of t in powers of 1/df (Abramowitz & Stegun 26.7.5, four terms),
 * within 0.005 of the table at df = 3 and closer beyond; below 3, the exact values at 1 and 2, taking the
 * lower whole df (which gives the wider interval).
 */
export function tQuantile975(df: number): number {
  if (!(df > 0)) return Number.NaN
  if (df < 2) return 12.7062
  if (df < 3) return 4.3027
  const z2 = z * z
  const z3 = z2 * z
  const z5 = z3 * z2
  const z7 = z5 * z2
  const z9 = z7 * z2
  const g1 = (z3 + z) / 4
  const g2 = (5 * z5 + 16 * z3 + 3 * z) / 96
  const g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384
  const g4 = (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / 92160
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4
}

/**
 * exposed ÷ held-out − 1 with Katz's log interval: log(ratio) ± z·√(varE/mE² + varH/mH²), where `var` is the
 * variance of each estimated mean (the delta method: Var(log m) ≈ Var(m)/m²). Null when either mean is 0.
 */
function relativeOf(
  exposedMean: number,
  exposedVariance: number,
  heldMean: number,
  heldVariance: number,
): { relative: number | null; relativeCi95: Interval | null } {
  if (!(exposedMean > 0 && heldMean > 0)) return { relative: null, relativeCi95: null }
  const ratio = exposedMean / heldMean
  const se = Math.sqrt(exposedVariance / exposedMean ** 2 + heldVariance / heldMean ** 2)
  return {
    relative: ratio - 1,
    relativeCi95: {
      low: Math.exp(Math.log(ratio) - z * se) - 1,
      high: Math.exp(Math.log(ratio) + z * se) - 1,
    },
  }
}

/** The conversion rates' difference (Newcombe) and ratio (Katz): variance of a rate p over n is p(1 − p)/n. */
export function conversionLift(exposed: ArmSums, holdout: ArmSums): Estimate {
  if (exposed.visitors === 0 || holdout.visitors === 0) {
    return { difference: null, ci95: null, relative: null, relativeCi95: null }
  }
  const compared = compareRates(
    { conversions: holdout.converters, visitors: holdout.visitors },
    { conversions: exposed.converters, visitors: exposed.visitors },
  )
  const pE = exposed.converters / exposed.visitors
  const pH = holdout.converters / holdout.visitors
  return {
    difference: compared.difference,
    ci95: compared.ci95,
    ...relativeOf(pE, (pE * (1 - pE)) / exposed.visitors, pH, (pH * (1 - pH)) / holdout.visitors),
  }
}

/** A group's revenue per visitor and the variance of that mean (sample variance ÷ n). */
function meanOf(arm: ArmSums) {
  const mean = arm.revenue / arm.visitors
  const sampleVariance =
    arm.visitors > 1 ? Math.max(0, (arm.revenueSquares - arm.visitors * mean * mean) / (arm.visitors - 1)) : 0
  return { mean, varianceOfMean: sampleVariance / arm.visitors, n: arm.visitors }
}

/** Revenue per visitor: Welch's difference of means, t at the Welch–Satterthwaite degrees of freedom. */
export function revenueLift(exposed: ArmSums, holdout: ArmSums): Estimate {
  if (exposed.visitors === 0 || holdout.visitors === 0) {
    return { difference: null, ci95: null, relative: null, relativeCi95: null }
  }
  const e = meanOf(exposed)
  const h = meanOf(holdout)
  const difference = e.mean - h.mean
  const variance = e.varianceOfMean + h.varianceOfMean
  let ci95: Interval
  if (variance === 0) ci95 = { low: difference, high: difference }
  else {
    const df =
      variance ** 2 /
      ((e.n > 1 ? e.varianceOfMean ** 2 / (e.n - 1) : 0) + (h.n > 1 ? h.varianceOfMean ** 2 / (h.n - 1) : 0))
    const half = tQuantile975(Number.isFinite(df) ? df : 1) * Math.sqrt(variance)
    ci95 = { low: difference - half, high: difference + half }
  }
  return {
    difference,
    ci95,
    ...relativeOf(e.mean, e.varianceOfMean, h.mean, h.varianceOfMean),
  }
}

const scaled = (estimate: Estimate, n: number) =>
  estimate.difference === null || estimate.ci95 === null
    ? null
    : { value: estimate.difference * n, ci95: { low: estimate.ci95.low * n, high: estimate.ci95.high * n } }

/**
 * The whole readout. `holdoutPercent` is the configured share of the held-out group (0–100) for the split
 * check; `cost` the campaign's spend over the same range, if known.
 */
export function liftReadout(
  exposed: ArmSums,
  holdout: ArmSums,
  holdoutPercent: number,
  cost?: number | null,
): LiftReadout {
  const conversionRate = conversionLift(exposed, holdout)
  const revenuePerVisitor = revenueLift(exposed, holdout)
  const incrementalConversions = scaled(conversionRate, exposed.visitors)
  const incrementalRevenue = scaled(revenuePerVisitor, exposed.visitors)
  const enough =
    exposed.visitors >= minVisitorsPerArm &&
    holdout.visitors >= minVisitorsPerArm &&
    exposed.converters + holdout.converters >= minConverters
  const ci = conversionRate.ci95
  const verdict: LiftVerdict =
    !enough || !ci ? 'not_enough' : ci.low > 0 ? 'added' : ci.high < 0 ? 'reduced' : 'unclear'
  return {
    holdoutPercent,
    exposed: summary(exposed),
    holdout: summary(holdout),
    conversionRate,
    revenuePerVisitor,
    incrementalConversions,
    incrementalRevenue,
    costPerIncrementalConversion:
      cost && cost > 0 && incrementalConversions && incrementalConversions.value > 0
        ? cost / incrementalConversions.value
        : null,
    srm: sampleRatioMismatch([exposed.visitors, holdout.visitors], [100 - holdoutPercent, holdoutPercent]),
    verdict,
  }
}

/**
 * One variant's exposed visitors against the campaign's one holdout (held-out visitors see no variant): the
 * readout's estimates and verdict, without the split check and cost, which belong to the campaign as a whole.
 */
export function variantLift(exposed: ArmSums, holdout: ArmSums) {
  const {
    srm: _srm,
    holdoutPercent: _share,
    costPerIncrementalConversion: _cost,
    ...rest
  } = liftReadout(exposed, holdout, 0)
  return rest
}
