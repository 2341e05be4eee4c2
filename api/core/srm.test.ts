import { describe, expect, it } from 'vitest'
import { chiSquareSurvival, sampleRatioMismatch } from './srm'

describe('chiSquareSurvival', () => {
  it('matches the chi-square table’s critical values', () => {
    expect(chiSquareSurvival(3.841, 1)).toBeCloseTo(0.05, 3)
    expect(chiSquareSurvival(10.828, 1)).toBeCloseTo(0.001, 5)
    expect(chiSquareSurvival(5.991, 2)).toBeCloseTo(0.05, 3)
    expect(chiSquareSurvival(7.815, 3)).toBeCloseTo(0.05, 3)
    expect(chiSquareSurvival(13.816, 2)).toBeCloseTo(0.001, 5)
  })

  it('agrees with closed forms and an independent implementation (SciPy) far into both tails', () => {
    // Two degrees of freedom: P(X ≥ x) = e^(−x/2); four: e^(−x/2) (1 + x/2).
    for (const x of [0.01, 0.5, 2, 9, 40, 150]) {
      expect(chiSquareSurvival(x, 2) / Math.exp(-x / 2)).toBeCloseTo(1, 12)
      expect(chiSquareSurvival(x, 4) / (Math.exp(-x / 2) * (1 + x / 2))).toBeCloseTo(1, 12)
    }
    // scipy.stats.chi2.sf(x, df)
    const reference: [x: number, degrees: number, p: number][] = [
      [0.5, 1, 0.47950012218695337],
      [100, 1, 1.5239706048320995e-23],
      [20, 10, 0.029252688076961124],
      [50, 30, 0.01240206071890054],
      [200, 99, 8.19391189142209e-9],
    ]
    for (const [x, degrees, p] of reference) expect(chiSquareSurvival(x, degrees) / p).toBeCloseTo(1, 10)
  })

  it('is 1 at zero and with no degrees of freedom', () => {
    expect(chiSquareSurvival(0, 3)).toBe(1)
    expect(chiSquareSurvival(5, 0)).toBe(1)
  })
})

describe('sampleRatioMismatch', () => {
  it('flags an obvious mismatch: 5,000 against 5,400 where 50/50 was expected', () => {
    const check = sampleRatioMismatch([5_000, 5_400], [50, 50])
    expect(check.chiSquare).toBeCloseTo(15.385, 3)
    expect(check.pValue).toBeCloseTo(8.77e-5, 6)
    expect(check.mismatch).toBe(true)
  })

  it('passes a split within chance, at any scale of weights', () => {
    const check = sampleRatioMismatch([5_000, 5_100], [1, 1])
    expect(check.pValue).toBeCloseTo(0.3197, 4)
    expect(check.mismatch).toBe(false)
    expect(sampleRatioMismatch([5_000, 3_000, 2_000], [50, 30, 20])).toEqual({
      chiSquare: 0,
      pValue: 1,
      mismatch: false,
    })
  })

  it('uses k − 1 degrees of freedom', () => {
    // 3,000 expected per arm: chi-square 0 + 1.2 + 1.2; with 2 degrees of freedom p is e^(−2.4/2).
    const check = sampleRatioMismatch([3_000, 3_060, 2_940], [1, 1, 1])
    expect(check.chiSquare).toBeCloseTo(2.4, 6)
    expect(check.pValue).toBeCloseTo(Math.exp(-1.2), 10)
  })

  it('counts a visitor in an arm weighted 0 as a mismatch, and otherwise leaves that arm out', () => {
    expect(sampleRatioMismatch([500, 500, 1], [1, 1, 0])).toMatchObject({ pValue: 0, mismatch: true })
    expect(sampleRatioMismatch([500, 500, 0], [1, 1, 0])).toEqual({
      chiSquare: 0,
      pValue: 1,
      mismatch: false,
    })
  })

  it('has nothing to say about an empty experiment and rejects malformed input', () => {
    expect(sampleRatioMismatch([0, 0], [1, 1]).mismatch).toBe(false)
    expect(() => sampleRatioMismatch([1, 2], [1])).toThrow(RangeError)
    expect(() => sampleRatioMismatch([1, -2], [1, 1])).toThrow(RangeError)
    expect(() => sampleRatioMismatch([1, 2], [1, Number.NaN])).toThrow(RangeError)
  })
})
