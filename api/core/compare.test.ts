import { describe, expect, it } from 'vitest'
import { compareRates, wilson } from './compare'

/** Published figures are given to four decimals. */
const close = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThan(5e-5)

describe('wilson', () => {
  // Newcombe RG, "Two-sided confidence intervals for the single proportion: comparison of seven methods",
  // Statistics in Medicine 1998;17:857–872, Table I, method 3 (score interval without continuity correction).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i → (%f, %f) as published', (successes, trials, low, high) => {
    const interval = wilson(successes, trials)
    close(interval.low, low)
    close(interval.high, high)
  })

  it('is 0 below at a rate of 0 and 1 above at a rate of 1, never outside [0, 1]', () => {
    expect(wilson(0, 10).low).toBe(0)
    close(wilson(0, 10).high, 0.2775)
    expect(wilson(10, 10).high).toBeCloseTo(1, 12)
    close(wilson(10, 10).low, 0.7225)
    // Fractional credit above the trials (several models' shares) is read as a rate of 1.
    expect(wilson(12.5, 10)).toEqual(wilson(10, 10))
  })

  it('knows nothing without trials', () => {
    expect(wilson(0, 0)).toEqual({ low: 0, high: 1 })
  })
})

describe('compareRates (treatment − control, Newcombe hybrid score interval)', () => {
  // Newcombe RG, "Interval estimation for the difference between independent proportions: comparison of eleven
  // methods", Statistics in Medicine 1998;17:873–890, Table II, method 10. Each example is p1 − p2 with p1 the
  // first proportion; ours is treatment − control, so the first proportion is the treatment.
  it.each([
    ['(a)', 56, 70, 48, 80, 0.0524, 0.3339],
    ['(b)', 9, 10, 3, 10, 0.1705, 0.809],
    ['(c)', 6, 7, 2, 7, 0.0582, 0.8062],
    ['(d)', 5, 56, 0, 29, -0.0381, 0.1926],
    ['(e)', 0, 10, 0, 20, -0.1611, 0.2775],
    ['(f)', 0, 10, 0, 10, -0.2775, 0.2775],
    ['(g)', 10, 10, 0, 20, 0.6791, 1],
    ['(h)', 10, 10, 0, 10, 0.6075, 1],
  ])('example %s: %i/%i − %i/%i → (%f, %f)', (_, x1, n1, x2, n2, low, high) => {
    const result = compareRates({ conversions: x2, visitors: n2 }, { conversions: x1, visitors: n1 })
    expect(result.difference).toBeCloseTo(x1 / n1 - x2 / n2, 12)
    close(result.ci95!.low, low)
    close(result.ci95!.high, high)
    expect(result.significant).toBe(low > 0 || high < 0)
  })

  it('reads the treatment minus the control: swapping the arms mirrors the interval', () => {
    const better = compareRates({ conversions: 48, visitors: 80 }, { conversions: 56, visitors: 70 })
    expect(better.difference).toBeCloseTo(0.2, 12)
    close(better.ci95!.low, 0.0524)
    close(better.ci95!.high, 0.3339)
    // 0.2 / 0.6 of the control's rate.
    expect(better.lift).toBeCloseTo(1 / 3, 12)
    expect(better.significant).toBe(true)
    const worse = compareRates({ conversions: 56, visitors: 70 }, { conversions: 48, visitors: 80 })
    expect(worse.difference).toBeCloseTo(-0.2, 12)
    close(worse.ci95!.low, -0.3339)
    close(worse.ci95!.high, -0.0524)
    expect(worse.lift).toBeCloseTo(-0.25, 12)
    expect(worse.significant).toBe(true)
  })

  it('answers 0% against 100% at the edges of [−1, 1], with no lift from a control that converted nobody', () => {
    const all = compareRates({ conversions: 0, visitors: 10 }, { conversions: 10, visitors: 10 })
    expect(all.difference).toBe(1)
    close(all.ci95!.low, 0.6075)
    expect(all.ci95!.high).toBeCloseTo(1, 12)
    expect(all.lift).toBeNull()
    expect(all.significant).toBe(true)
    const none = compareRates({ conversions: 10, visitors: 10 }, { conversions: 0, visitors: 10 })
    expect(none.difference).toBe(-1)
    expect(none.ci95!.low).toBeCloseTo(-1, 12)
    close(none.ci95!.high, -0.6075)
    expect(none.lift).toBe(-1)
  })

  it('calls two equal rates not significant, with an interval around 0', () => {
    const same = compareRates({ conversions: 0, visitors: 10 }, { conversions: 0, visitors: 10 })
    expect(same).toMatchObject({ difference: 0, lift: null, significant: false })
    close(same.ci95!.low, -0.2775)
    close(same.ci95!.high, 0.2775)
    expect(compareRates({ conversions: 5, visitors: 50 }, { conversions: 5, visitors: 50 })).toMatchObject({
      difference: 0,
      lift: 0,
      significant: false,
    })
  })

  it('knows nothing when either arm has no visitors', () => {
    const unknown = { difference: null, ci95: null, lift: null, significant: false }
    expect(compareRates({ conversions: 0, visitors: 0 }, { conversions: 3, visitors: 10 })).toEqual(unknown)
    expect(compareRates({ conversions: 3, visitors: 10 }, { conversions: 0, visitors: 0 })).toEqual(unknown)
    expect(compareRates({ conversions: 0, visitors: 0 }, { conversions: 0, visitors: 0 })).toEqual(unknown)
  })
})
