/**
 * Sample sizes for comparing two conversion rates: pure arithmetic with no dependency, so the admin (which may
 * not run server code) and the API can both use it.
 */

/**
 * The standard normal quantile Φ⁻¹(p) for 0 < p < 1, by Acklam's rational approximation (relative error below
 * 1.2e-9, far finer than any sample size needs).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError('p must be between 0 and 1, exclusive')
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ]
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572]
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ]
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
  const low = 0.02425
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p))
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    )
  }
  if (p > 1 - low) return -normalQuantile(1 - p)
  const q = p - 0.5
  const r = q * q
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  )
}

export interface PowerOptions {
  /** Two-sided significance level; 0.05 by default. */
  alpha?: number
  /** The chance of detecting the difference when it is real; 0.8 by default. */
  power?: number
}

/**
 * Visitors needed in each of two equal arms for a two-sided test of p1 against p2 (the pooled-variance normal
 * approximation, Fleiss, Levin & Paik, "Statistical Methods for Rates and Proportions", 3rd ed., eq. 4.14,
 * without continuity correction):
 *
 *   n = (z₁₋α/₂ √(2 p̄ q̄) + z₁₋β √(p1 q1 + p2 q2))² / (p1 − p2)²,  p̄ = (p1 + p2) / 2
 *
 * 5% against 6% at α = 0.05 and 80% power needs 8,158 per arm. Infinite when the rates are equal, rounded up.
 */
export function visitorsPerArm(
  p1: number,
  p2: number,
  { alpha = 0.05, power = 0.8 }: PowerOptions = {},
): number {
  if (![p1, p2].every((p) => p >= 0 && p <= 1)) throw new RangeError('rates must be between 0 and 1')
  if (!(alpha > 0 && alpha < 1) || !(power > 0 && power < 1))
    throw new RangeError('alpha and power must be in (0, 1)')
  const difference = Math.abs(p1 - p2)
  if (difference === 0) return Number.POSITIVE_INFINITY
  const zAlpha = normalQuantile(1 - alpha / 2)
  const zBeta = normalQuantile(power)
  const mean = (p1 + p2) / 2
  const root = zAlpha * Math.sqrt(2 * mean * (1 - mean)) + zBeta * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
  // A hair below an integer from floating-point error is that integer, not the next one.
  return Math.ceil((root * root) / (difference * difference) - 1e-9)
}
