/**
 * Thompson sampling over a campaign's variants: each variant's success rate is a Beta(1 + successes,
 * 1 + failures) belief, one draw is taken from each, and the highest draw is shown. Variants that are
 * clearly worse are shown less and less, but never ruled out, so the answer keeps adjusting. Pure: the
 * randomness is handed in.
 */
export interface ArmStats {
  trials: number
  successes: number
}

/** A standard normal draw (Box–Muller; one of the pair is enough here). */
function normal(random: () => number): number {
  const u = 1 - random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
}

/** Gamma(shape, 1) by Marsaglia and Tsang's method; shapes below 1 are boosted and scaled back. */
export function gamma(shape: number, random: () => number): number {
  if (shape < 1) return gamma(shape + 1, random) * (1 - random()) ** (1 / shape)
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    const x = normal(random)
    const v = (1 + c * x) ** 3
    if (v <= 0) continue
    const u = 1 - random()
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v
  }
}

export function beta(a: number, b: number, random: () => number): number {
  const x = gamma(a, random)
  return x / (x + gamma(b, random))
}

/** The index of the arm to play. Arms with weight 0 are never played; -1 when none may be. */
export function thompson(arms: readonly (ArmStats & { weight: number })[], random: () => number): number {
  let best = -1
  let bestDraw = -1
  for (const [i, arm] of arms.entries()) {
    if (!(arm.weight > 0)) continue
    const successes = Math.min(arm.successes, arm.trials)
    const draw = beta(1 + successes, 1 + arm.trials - successes, random)
    if (draw > bestDraw) {
      best = i
      bestDraw = draw
    }
  }
  return best
}
