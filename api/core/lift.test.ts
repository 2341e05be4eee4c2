import { describe, expect, it } from 'vitest'
import { conversionLift, liftReadout, revenueLift, tQuantile975 } from './lift'

const arm = (visitors: number, converters: number, revenue = 0, revenueSquares = 0) => ({
  visitors,
  converters,
  revenue,
  revenueSquares,
})

describe('conversion lift', () => {
  it('matches Newcombe and Katz worked by hand: 60 of 1,000 exposed against 50 of 1,000 held out', () => {
    // Wilson 95% (z = 1.959964) of 60/1000: centre (0.06 + z²/2000)/(1 + z²/1000) = 0.061832,
    //   half z·√(0.06·0.94/1000 + z²/4·10⁶)/(1 + z²/1000) = 0.014787 → [0.046896, 0.076471].
    // Wilson of 50/1000 → [0.038130, 0.065314].
    // Newcombe: d = 0.01; low = d − √((0.06 − 0.046896)² + (0.065314 − 0.05)²) = −0.010155,
    //   high = d + √((0.076471 − 0.06)² + (0.05 − 0.038130)²) = 0.030302.
    // Katz: ratio 1.2; se(log) = √(0.94/(1000·0.06) + 0.95/(1000·0.05)) = 0.186190;
    //   exp(log 1.2 ∓ z·0.186190) − 1 = [−0.166902, 0.728488].
    const lift = conversionLift(arm(1000, 60), arm(1000, 50))
    expect(lift.difference).toBeCloseTo(0.01, 10)
    expect(lift.ci95!.low).toBeCloseTo(-0.010155, 5)
    expect(lift.ci95!.high).toBeCloseTo(0.030302, 5)
    expect(lift.relative).toBeCloseTo(0.2, 10)
    expect(lift.relativeCi95!.low).toBeCloseTo(-0.166902, 5)
    expect(lift.relativeCi95!.high).toBeCloseTo(0.728488, 5)
  })

  it('has no relative lift when the holdout converted nobody, and nothing when a group is empty', () => {
    expect(conversionLift(arm(100, 5), arm(100, 0)).relative).toBeNull()
    expect(conversionLift(arm(100, 5), arm(100, 0)).difference).toBeCloseTo(0.05, 10)
    expect(conversionLift(arm(100, 5), arm(0, 0))).toEqual({
      difference: null,
      ci95: null,
      relative: null,
      relativeCi95: null,
    })
  })
})

describe('revenue per visitor lift', () => {
  it('matches Welch worked by hand on five and four visitors', () => {
    // Exposed: 0, 0, 0, 10, 20 → n 5, Σ 30, Σ² 500, mean 6, s² = (500 − 5·36)/4 = 80, var of mean 16.
    // Held out: 0, 0, 0, 5 → n 4, Σ 5, Σ² 25, mean 1.25, s² = (25 − 4·1.5625)/3 = 6.25, var of mean 1.5625.
    // d = 4.75; se = √17.5625 = 4.190763; df = 17.5625² / (16²/4 + 1.5625²/3) = 4.758885;
    // t(0.975, 4.7589) = 2.610254 (table, by interpolation in df) → d ∓ 10.938958 = [−6.188958, 15.688958].
    const lift = revenueLift(arm(5, 2, 30, 500), arm(4, 1, 5, 25))
    expect(lift.difference).toBeCloseTo(4.75, 10)
    // The t expansion is within 0.001 of the table here: the interval ends within 0.005.
    expect(lift.ci95!.low).toBeCloseTo(-6.188958, 2)
    expect(lift.ci95!.high).toBeCloseTo(15.688958, 2)
    // Katz: ratio 4.8; se(log) = √(16/36 + 1.5625/1.5625) = 1.202082 → [−0.544777, 49.612545] (z, not t).
    expect(lift.relative).toBeCloseTo(3.8, 10)
    expect(lift.relativeCi95!.low).toBeCloseTo(-0.544777, 5)
    expect(lift.relativeCi95!.high).toBeCloseTo(49.612545, 3)
  })

  it('is a point when neither group varies', () => {
    const lift = revenueLift(arm(10, 10, 100, 1000), arm(10, 10, 50, 250))
    expect(lift.difference).toBe(5)
    expect(lift.ci95).toEqual({ low: 5, high: 5 })
  })
})

describe('t quantile', () => {
  it('follows the table of the 97.5th percentile', () => {
    // Student's t table, two-sided 95%.
    const table: [number, number][] = [
      [1, 12.706],
      [2, 4.303],
      [3, 3.182],
      [5, 2.571],
      [10, 2.228],
      [30, 2.042],
      [120, 1.98],
      [2556.047, 1.960893],
    ]
    for (const [df, t] of table) expect(Math.abs(tQuantile975(df) - t)).toBeLessThan(0.005)
  })
})

describe('the readout', () => {
  it('says not enough below 100 visitors a group or 10 converters, whatever the rates', () => {
    expect(liftReadout(arm(99, 50), arm(1000, 10), 10).verdict).toBe('not_enough')
    expect(liftReadout(arm(1000, 5), arm(1000, 4), 10).verdict).toBe('not_enough')
    expect(liftReadout(arm(1000, 6), arm(1000, 4), 10).verdict).toBe('unclear')
  })

  it('says added or reduced when the interval leaves out 0, and scales the increment to the exposed group', () => {
    const added = liftReadout(arm(9000, 900, 0, 0), arm(1000, 50), 10, 450)
    expect(added.verdict).toBe('added')
    // 0.10 − 0.05 over 9,000 exposed visitors: 450 conversions the campaign added, at 450 ÷ 450 = 1 each.
    expect(added.incrementalConversions!.value).toBeCloseTo(450, 6)
    expect(added.incrementalConversions!.ci95.low).toBeCloseTo(added.conversionRate.ci95!.low * 9000, 6)
    expect(added.costPerIncrementalConversion).toBeCloseTo(1, 6)
    expect(liftReadout(arm(9000, 450), arm(1000, 100), 10).verdict).toBe('reduced')
    // No cost per incremental conversion when the campaign added none.
    expect(liftReadout(arm(9000, 450), arm(1000, 100), 10, 450).costPerIncrementalConversion).toBeNull()
  })

  it('flags a split that is not the configured holdout', () => {
    expect(liftReadout(arm(9000, 540), arm(1000, 50), 10).srm.mismatch).toBe(false)
    // 20% held out where 10% was configured: chi-square = 1000²/9000 + 1000²/1000 → p ≈ 0.
    const skewed = liftReadout(arm(8000, 480), arm(2000, 100), 10)
    expect(skewed.srm.chiSquare).toBeCloseTo(1000 ** 2 / 9000 + 1000 ** 2 / 1000, 6)
    expect(skewed.srm.mismatch).toBe(true)
  })
})
