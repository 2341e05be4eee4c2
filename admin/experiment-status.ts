import { visitorsPerArm } from '../schema/power'
import type { Analytics } from './api'
import { formatCount } from './format'

/** The smallest lift worth finding, relative to the control's rate: a test is sized to see 10% either way. */
export const minimumLift = 0.1

export type StatusKind = 'srm' | 'winner' | 'no-difference' | 'keep-running' | 'waiting'

export interface ExperimentStatus {
  kind: StatusKind
  /** One line a marketer reads first. */
  headline: string
  /** What it rests on. */
  detail: string
}

type Experiment = Analytics['experiment']
type Variants = Analytics['byVariant']

/**
 * An experiment's readout in plain words, in order of what matters:
 * 1. a sample ratio mismatch makes everything else untrustworthy;
 * 2. a variant whose difference with the control is significant (its 95% interval leaves out 0) wins; the
 *    control wins when every significant difference is against the variants;
 * 3. otherwise each arm needs enough visitors to detect the larger of the observed difference and a 10% lift
 *    on the control's rate, with 80% power at α = 0.05 two-sided: "keep running" until the smallest arm has them,
 *    "no difference detected" once it does.
 */
export function experimentStatus(experiment: Experiment, variants: Variants): ExperimentStatus {
  if (experiment.srm?.mismatch) {
    return {
      kind: 'srm',
      headline: 'Sample ratio mismatch: check the setup',
      detail: 'The visitors each variant reached do not match its weight, so the results cannot be trusted.',
    }
  }
  const nameOf = (id: string | null) =>
    variants.find((variant) => variant.variantId === id)?.name ?? 'A variant'
  const control = variants.find((variant) => variant.variantId === experiment.control)
  if (!control || variants.length < 2) {
    return {
      kind: 'waiting',
      headline: 'Holdout only: no variants to compare',
      detail: 'Visitors in the holdout see nothing from this campaign; its lift is measured against them.',
    }
  }
  const wins = experiment.comparisons.filter((c) => c.significant && (c.difference ?? 0) > 0)
  if (wins.length > 0) {
    const best = wins.reduce((a, b) => ((b.difference ?? 0) > (a.difference ?? 0) ? b : a))
    const lift = best.lift === null ? '' : ` (${Math.round(best.lift * 100)}% lift)`
    return {
      kind: 'winner',
      headline: `${nameOf(best.variantId)} wins`,
      detail: `It converts better than ${control.name}${lift}, and the 95% interval of the difference leaves out zero.`,
    }
  }
  const losses = experiment.comparisons.filter((c) => c.significant && (c.difference ?? 0) < 0)
  if (losses.length > 0 && losses.length === experiment.comparisons.length) {
    return {
      kind: 'winner',
      headline: `${control.name} wins`,
      detail: `Every variant converts worse than ${control.name}, the control, beyond chance.`,
    }
  }
  const baseline = control.conversionRate
  if (baseline <= 0) {
    return {
      kind: 'waiting',
      headline: 'Keep running: no conversions yet',
      detail: `${control.name}, the control, has converted nobody, so there is no rate to size the test by.`,
    }
  }
  // The arm that is furthest from enough visitors decides.
  let more = 0
  for (const comparison of experiment.comparisons) {
    const variant = variants.find((v) => v.variantId === comparison.variantId)
    if (!variant) continue
    const effect = Math.max(Math.abs(comparison.difference ?? 0), baseline * minimumLift)
    const target = Math.min(1, baseline + effect)
    const needed = visitorsPerArm(baseline, target)
    more = Math.max(more, needed - Math.min(control.reach, variant.reach))
  }
  if (more > 0) {
    return {
      kind: 'keep-running',
      headline: `Keep running: about ${formatCount(roundUp(more))} more visitors per variant for 80% power`,
      detail: `Enough to detect a difference of ${minimumLift * 100}% of ${control.name}’s conversion rate, or the one seen so far if larger, at the 5% level.`,
    }
  }
  return {
    kind: 'no-difference',
    headline: 'No difference detected',
    detail: `Each variant reached enough visitors to detect a ${minimumLift * 100}% lift with 80% power, and none showed.`,
  }
}

/** A count to two significant figures, upwards: 8,158 → 8,200, 1,234 → 1,300, 57 → 57. */
export function roundUp(n: number): number {
  if (n < 100) return Math.ceil(n)
  const unit = 10 ** (Math.floor(Math.log10(n)) - 1)
  return Math.ceil(n / unit) * unit
}
