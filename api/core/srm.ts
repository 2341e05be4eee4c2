/**
 * Sample ratio mismatch: when the visitors counted per variant are too far from the split that was configured,
 * assignment or tracking is broken (a redirect dropping one arm, a bot hitting one variant) and the
 * experiment's results cannot be trusted. Pearson's chi-square goodness-of-fit test, flagged at p < 0.001.
 */

export const srmThreshold = 0.001

export interface SampleRatioCheck {
  chiSquare: number
  pValue: number
  mismatch: boolean
}

/**
 * `observed[i]` visitors were counted for the arm configured with `expectedWeights[i]` (any scale: 50/50 and
 * 1/1 are the same split). Arms with weight 0 add no degree of freedom, but a visitor counted in one is a
 * mismatch by itself (chi-square is infinite, p is 0).
 */
export function sampleRatioMismatch(observed: number[], expectedWeights: number[]): SampleRatioCheck {
  if (observed.length !== expectedWeights.length) {
    throw new RangeError('observed and expectedWeights must have the same length')
  }
  if (observed.some((n) => !(n >= 0)) || expectedWeights.some((w) => !(w >= 0))) {
    throw new RangeError('counts and weights must be non-negative numbers')
  }
  const visitors = observed.reduce((sum, n) => sum + n, 0)
  const totalWeight = expectedWeights.reduce((sum, w) => sum + w, 0)
  if (visitors === 0 || totalWeight === 0) return { chiSquare: 0, pValue: 1, mismatch: false }
  let chiSquare = 0
  let arms = 0
  for (let i = 0; i < observed.length; i++) {
    const expected = (visitors * expectedWeights[i]!) / totalWeight
    if (expected === 0) {
      if (observed[i]! > 0) chiSquare = Number.POSITIVE_INFINITY
      continue
    }
    arms++
    chiSquare += (observed[i]! - expected) ** 2 / expected
  }
  const pValue = chiSquare === Number.POSITIVE_INFINITY ? 0 : chiSquareSurvival(chiSquare, arms - 1)
  return { chiSquare, pValue, mismatch: pValue < srmThreshold }
}

/** P(X ≥ x) for X chi-square distributed with `degrees` degrees of freedom; 1 when there are none. */
export function chiSquareSurvival(x: number, degrees: number): number {
  if (degrees < 1 || x <= 0) return 1
  return upperGammaQ(degrees / 2, x / 2)
}

// The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a), after Numerical Recipes' gammq
// (Press et al., 2nd ed., §6.2): the series for P converges fast when x < a + 1 and Q = 1 − P; beyond that the
// continued fraction for Q does, evaluated by the modified Lentz method. Both stop at double precision.
const epsilon = 1e-15
const tiny = 1e-300
const maxIterations = 10_000

function upperGammaQ(a: number, x: number): number {
  return x < a + 1 ? 1 - lowerSeries(a, x) : upperContinuedFraction(a, x)
}

/** P(a, x) = e^−x x^a / Γ(a) · Σ x^n / (a (a+1) … (a+n)). */
function lowerSeries(a: number, x: number): number {
  let term = 1 / a
  let sum = term
  for (let n = 1; n < maxIterations; n++) {
    term *= x / (a + n)
    sum += term
    if (Math.abs(term) < Math.abs(sum) * epsilon) break
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a))
}

/** Q(a, x) = e^−x x^a / Γ(a) · 1 / (x + 1 − a − 1·(1 − a) / (x + 3 − a − 2·(2 − a) / (x + 5 − a − …))). */
function upperContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a
  let c = 1 / tiny
  let d = 1 / b
  let fraction = d
  for (let i = 1; i < maxIterations; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < tiny) d = tiny
    c = b + an / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const delta = d * c
    fraction *= delta
    if (Math.abs(delta - 1) < epsilon) break
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * fraction
}

// Lanczos approximation (g = 7, n = 9) of ln Γ(z), good to about 15 significant digits for z ≥ 0.5, the
// only arguments here (half the degrees of freedom).
const lanczos = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
]

function logGamma(z: number): number {
  const shifted = z - 1
  let series = lanczos[0]!
  for (let i = 1; i < lanczos.length; i++) series += lanczos[i]! / (shifted + i)
  const t = shifted + 7.5
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(series)
}
