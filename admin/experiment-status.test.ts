import { describe, expect, it } from 'vitest'
import type { Analytics, Comparison } from './api'
import { experimentStatus, roundUp } from './experiment-status'

type Variant = Analytics['byVariant'][number]

function arm(variantId: string, name: string, reach: number, conversions: number): Variant {
  return {
    variantId,
    name,
    reach,
    conversions,
    conversionRate: reach > 0 ? conversions / reach : 0,
    impressions: reach,
    viewableImpressions: reach,
    clicks: 0,
    ctr: 0,
    revenue: 0,
  }
}

function comparison(variantId: string, difference: number, significant: boolean): Comparison {
  return {
    variantId,
    metric: 'conversionRate',
    difference,
    ci95: significant ? { low: difference / 2, high: difference * 1.5 } : { low: -0.01, high: 0.02 },
    lift: null,
    significant,
  }
}

function experiment(comparisons: Comparison[], overrides: Partial<Analytics['experiment']> = {}) {
  return {
    holdoutPercent: 0,
    bandit: null,
    srm: { chiSquare: 0.1, pValue: 0.75, mismatch: false },
    control: 'a',
    comparisons,
    lift: null,
    ...overrides,
  }
}

describe('experimentStatus', () => {
  it('puts a sample ratio mismatch before anything else', () => {
    const status = experimentStatus(
      experiment([comparison('b', 0.2, true)], { srm: { chiSquare: 40, pValue: 1e-9, mismatch: true } }),
      [arm('a', 'A', 1000, 50), arm('b', 'B', 600, 150)],
    )
    expect(status).toMatchObject({ kind: 'srm', headline: 'Sample ratio mismatch: check the setup' })
  })

  it('names the variant that converts better beyond chance, the best of several', () => {
    const status = experimentStatus(experiment([comparison('b', 0.02, true), comparison('c', 0.04, true)]), [
      arm('a', 'A', 5000, 250),
      arm('b', 'B', 5000, 350),
      arm('c', 'C', 5000, 450),
    ])
    expect(status).toMatchObject({ kind: 'winner', headline: 'C wins' })
  })

  it('names the control when every variant converts worse beyond chance', () => {
    const status = experimentStatus(experiment([comparison('b', -0.03, true)]), [
      arm('a', 'A', 5000, 400),
      arm('b', 'B', 5000, 250),
    ])
    expect(status).toMatchObject({ kind: 'winner', headline: 'A wins' })
  })

  it('asks for the visitors still missing for 80% power: 5% against 6% needs 8,158 per arm', () => {
    // 2,000 visitors per arm so far; the observed point (1 point) is larger than 10% of 5% (0.5 points).
    const status = experimentStatus(experiment([comparison('b', 0.01, false)]), [
      arm('a', 'A', 2000, 100),
      arm('b', 'B', 2000, 120),
    ])
    expect(status).toMatchObject({
      kind: 'keep-running',
      headline: 'Keep running: about 6,200 more visitors per variant for 80% power',
    })
  })

  it('sizes by the smaller arm', () => {
    const status = experimentStatus(experiment([comparison('b', 0.01, false)]), [
      arm('a', 'A', 2000, 100),
      arm('b', 'B', 1000, 60),
    ])
    expect(status.headline).toBe('Keep running: about 7,200 more visitors per variant for 80% power')
  })

  it('finds no difference once each arm could have seen a 10% lift and none did', () => {
    // 10% against 11% needs 14,751 per arm; both have 20,000.
    const status = experimentStatus(experiment([comparison('b', 0.001, false)]), [
      arm('a', 'A', 20_000, 2000),
      arm('b', 'B', 20_000, 2020),
    ])
    expect(status).toMatchObject({ kind: 'no-difference', headline: 'No difference detected' })
    // One arm short of it: keep running.
    const short = experimentStatus(experiment([comparison('b', 0.001, false)]), [
      arm('a', 'A', 20_000, 2000),
      arm('b', 'B', 14_000, 1414),
    ])
    expect(short.headline).toBe('Keep running: about 760 more visitors per variant for 80% power')
  })

  it('waits for a first conversion of the control, and has nothing to compare with a holdout only', () => {
    expect(
      experimentStatus(experiment([comparison('b', 0, false)]), [
        arm('a', 'A', 300, 0),
        arm('b', 'B', 300, 0),
      ]),
    ).toMatchObject({ kind: 'waiting', headline: 'Keep running: no conversions yet' })
    expect(
      experimentStatus(experiment([], { holdoutPercent: 10, srm: null }), [arm('a', 'A', 300, 3)]),
    ).toMatchObject({ kind: 'waiting', headline: 'Holdout only: no variants to compare' })
  })
})

describe('roundUp', () => {
  it('rounds counts up to two significant figures, small ones to the unit', () => {
    expect(roundUp(8158)).toBe(8200)
    expect(roundUp(1234)).toBe(1300)
    expect(roundUp(1200)).toBe(1200)
    expect(roundUp(751)).toBe(760)
    expect(roundUp(57.2)).toBe(58)
  })
})
