/** 95% two-sided. */
const z = 1.959964

/** Wilson score interval of a proportion: sound at small counts and at 0 or 1, where the normal one is not. */
export function wilson(successes: number, trials: number): { low: number; high: number } {
  if (trials <= 0) return { low: 0, high: 1 }
  const p = Math.min(1, Math.max(0, successes / trials))
  const z2 = z * z
  const denominator = 1 + z2 / trials
  const center = (p + z2 / (2 * trials)) / denominator
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) }
}

export interface Arm {
  conversions: number
  visitors: number
}

/**
 * The difference of two conversion rates (treatment − control) with a 95% confidence interval by Newcombe's
 * hybrid score method (his method 10, 1998), built from each arm's Wilson interval: it keeps good coverage with
 * few conversions, where the textbook normal interval is too narrow. Credit under a multi-touch model can be
 * fractional; a rate is capped at 1.
 */
export function compareRates(control: Arm, treatment: Arm) {
  const rate = (arm: Arm) => (arm.visitors > 0 ? Math.min(1, arm.conversions / arm.visitors) : 0)
  const p1 = rate(control)
  const p2 = rate(treatment)
  const w1 = wilson(control.conversions, control.visitors)
  const w2 = wilson(treatment.conversions, treatment.visitors)
  const difference = p2 - p1
  const low = difference - Math.sqrt((p2 - w2.low) ** 2 + (w1.high - p1) ** 2)
  const high = difference + Math.sqrt((w2.high - p2) ** 2 + (p1 - w1.low) ** 2)
  const known = control.visitors > 0 && treatment.visitors > 0
  return {
    difference: known ? difference : null,
    ci95: known ? { low, high } : null,
    /** Relative to the control's rate; null when the control converted nobody. */
    lift: known && p1 > 0 ? difference / p1 : null,
    /** The interval leaves out 0: the difference is unlikely to be chance at the 5% level. */
    significant: known && (low > 0 || high < 0),
  }
}
