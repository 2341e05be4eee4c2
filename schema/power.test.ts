import { describe, expect, it } from 'vitest'
import { normalQuantile, visitorsPerArm } from './power'

describe('normalQuantile', () => {
  it('matches the table values of the standard normal', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6)
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621, 6)
    expect(normalQuantile(0.5)).toBe(0)
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 6)
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232, 6)
  })

  it('refuses probabilities outside (0, 1)', () => {
    expect(() => normalQuantile(0)).toThrow(RangeError)
    expect(() => normalQuantile(1)).toThrow(RangeError)
  })
})

describe('visitorsPerArm', () => {
  it('gives the textbook sample sizes (Fleiss, no continuity correction; α = 0.05 two-sided, 80% power)', () => {
    // 5% against 6%: 8,158 per arm (R's power.prop.test, a close variant, says 8,156).
    expect(visitorsPerArm(0.05, 0.06)).toBe(8158)
    // 10% against 15%: 686 per arm, the value in Fleiss' tables.
    expect(visitorsPerArm(0.1, 0.15)).toBe(686)
    // The order of the rates does not matter.
    expect(visitorsPerArm(0.15, 0.1)).toBe(686)
  })

  it('needs more visitors for more power or a stricter level, and none can detect no difference', () => {
    expect(visitorsPerArm(0.1, 0.15, { power: 0.9 })).toBeGreaterThan(686)
    expect(visitorsPerArm(0.1, 0.15, { alpha: 0.01 })).toBeGreaterThan(686)
    expect(visitorsPerArm(0.1, 0.1)).toBe(Number.POSITIVE_INFINITY)
  })

  it('refuses rates outside [0, 1]', () => {
    expect(() => visitorsPerArm(-0.1, 0.2)).toThrow(RangeError)
    expect(() => visitorsPerArm(0.1, 1.2)).toThrow(RangeError)
    expect(() => visitorsPerArm(0.1, 0.2, { power: 1 })).toThrow(RangeError)
  })
})
