// @vitest-environment happy-dom
import { render } from 'preact'
import { describe, expect, it } from 'vitest'
import { liftReadout, variantLift } from '../api/core/lift'
import type { Lift } from './api'
import { LiftReadout, liftSentences, splitWarning, variantLiftSentence } from './lift-readout'

const arm = (visitors: number, converters: number, each = 40) => ({
  visitors,
  converters,
  revenue: converters * each,
  revenueSquares: converters * each * each,
})
const lift = (...args: Parameters<typeof liftReadout>): Lift => ({ ...liftReadout(...args), windowDays: 7 })

describe('the lift in sentences', () => {
  it('says what the campaign added, with its interval, when the interval leaves out zero', () => {
    // 0.10 − 0.05 over 9,000 exposed: 450 conversions, at 900 ÷ 450 = 2 each.
    const [added, rates, cost] = liftSentences(lift(arm(9000, 900), arm(1000, 50), 10, 900), 'campaign')
    expect(added).toMatch(/^Showing this campaign added 450 conversions \(95% interval [\d,]+ to [\d,]+\)/)
    expect(added).toContain('among the 9,000 visitors who saw it')
    expect(added).toMatch(/and 18,000\.00 in revenue \(95% interval/)
    expect(rates).toContain(
      'Conversion rate 10% for visitors who saw it against 5% for those held out from it, +100%',
    )
    expect(cost).toBe('Each incremental conversion cost 2.00.')
  })

  it('says it cannot be told apart from no effect when the interval holds zero, with a real minus', () => {
    const [unclear] = liftSentences(lift(arm(18000, 1080), arm(2000, 100), 10), 'campaign')
    expect(unclear).toMatch(
      /^Showing this campaign may have added 180 conversions \(95% interval \u221218 to 350\)/,
    )
    expect(unclear).toContain('cannot be told apart from no effect yet')
  })

  it('says there are not enough visitors yet, for the site too', () => {
    const sentences = liftSentences(lift(arm(80, 8), arm(20, 1), 20), 'site')
    expect(sentences).toEqual([
      'Not enough visitors yet to tell: 80 who could see campaigns and 20 held out from every campaign so far, with 9 conversions between them. The readout needs at least 100 visitors on each side and 10 conversions.',
    ])
  })

  it('warns when the split is not the holdout that was set, and renders it as an alert', () => {
    const skewed = lift(arm(1500, 60), arm(500, 20), 10)
    expect(splitWarning(skewed, 'campaign')).toMatch(
      /^Split check failed \(p < 0\.0001\): 25% of these visitors were held out from it where 10% was set\./,
    )
    expect(splitWarning(lift(arm(1800, 60), arm(200, 8), 10), 'campaign')).toBeNull()
    const host = document.createElement('div')
    render(<LiftReadout lift={skewed} scope="campaign" />, host)
    expect(host.querySelector('[role="alert"]')?.textContent).toContain('Split check failed')
    expect(host.querySelector('h2')?.textContent).toBe('Lift')
    expect(host.textContent).toContain('within 7 days of it')
    render(null, host)
  })

  it('lists each variant against the one holdout when there are two or more', () => {
    const holdout = arm(2000, 100)
    const variant = (variantId: string, name: string, exposed: ReturnType<typeof arm>) => ({
      variantId,
      name,
      ...variantLift(exposed, holdout),
    })
    // A: (0.12 − 0.05) × 9,000 = 630 added; B: (0 − 0.05) × 9,000 = 450 fewer; C: too few visitors.
    const variants = [
      variant('a', 'Free shipping', arm(9000, 1080)),
      variant('b', 'Ten percent', arm(9000, 0)),
      variant('c', 'Late', arm(40, 1)),
    ]
    expect(variantLiftSentence(variants[0]!)).toMatch(
      /^Free shipping: added 630 conversions \(95% interval [\d,]+ to [\d,]+\) among 9,000 visitors who saw it\.$/,
    )
    expect(variantLiftSentence(variants[1]!)).toMatch(
      /^Ten percent: led to 450 fewer conversions \(95% interval/,
    )
    expect(variantLiftSentence(variants[2]!)).toBe('Late: not enough visitors yet (40 saw it).')
    const host = document.createElement('div')
    render(
      <LiftReadout lift={lift(arm(18040, 1081), holdout, 10)} scope="campaign" variants={variants} />,
      host,
    )
    expect(
      [...host.querySelectorAll('.lift-variants li')].map((li) => li.textContent?.split(':')[0]),
    ).toEqual(['Free shipping', 'Ten percent', 'Late'])
    render(
      <LiftReadout
        lift={lift(arm(18040, 1081), holdout, 10)}
        scope="campaign"
        variants={variants.slice(0, 1)}
      />,
      host,
    )
    expect(host.querySelector('.lift-variants')).toBeNull()
    render(null, host)
  })
})
