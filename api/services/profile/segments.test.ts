import { describe, expect, it } from 'vitest'
import type { SegmentRule } from '../../../schema/segments'
import { segmentRule } from '../../../schema/segments'
import { builtInSegments } from '../../../schema/targeting'
import {
  ageOf,
  builtInDescriptions,
  builtInSegmentsOf,
  engagementScore,
  eventNamesOf,
  type ProfileFacts,
  segmentMatches,
} from './segments'

const now = Date.parse('2026-11-29T12:00:00Z')
const daysAgo = (days: number) => new Date(now - days * 86_400_000)

const profile = (overrides: Partial<ProfileFacts> = {}): ProfileFacts => ({
  sessions: 1,
  pageViews: 1,
  clicks: 0,
  engagements: 0,
  purchases: 0,
  revenue: 0,
  previousVisitAt: null,
  traits: {},
  ...overrides,
})

const has = (facts: ProfileFacts, segment: string) => builtInSegmentsOf(facts, now).includes(segment as never)

describe('gen_z', () => {
  it('is age 18 to 24, inclusive', () => {
    for (const age of [18, 21, 24, '20']) expect(has(profile({ traits: { age } }), 'gen_z')).toBe(true)
    for (const age of [17, 25, 'twenty', true]) expect(has(profile({ traits: { age } }), 'gen_z')).toBe(false)
  })

  it('takes the age reached this year from birthYear or birth_year, and age over either', () => {
    expect(ageOf({ birthYear: 2005 }, now)).toBe(21)
    expect(ageOf({ birth_year: '2008' }, now)).toBe(18)
    expect(has(profile({ traits: { birthYear: 2002 } }), 'gen_z')).toBe(true)
    expect(has(profile({ traits: { birth_year: 2001 } }), 'gen_z')).toBe(false)
    expect(has(profile({ traits: { age: 40, birthYear: 2005 } }), 'gen_z')).toBe(false)
  })

  it('needs a trait to say so', () => {
    expect(has(profile(), 'gen_z')).toBe(false)
  })
})

describe('engagement score', () => {
  it('stays within 0 to 100 however large the counters', () => {
    const huge = profile({ sessions: 1e6, pageViews: 1e9, clicks: 1e9, engagements: 1e9, purchases: 1e6 })
    expect(engagementScore(huge, now)).toBe(100)
    expect(engagementScore(profile({ sessions: 0, pageViews: 0, previousVisitAt: daysAgo(400) }), now)).toBe(
      0,
    )
  })

  it('gives a first visit with one page about a quarter: neither at risk nor highly engaged', () => {
    const first = profile()
    expect(engagementScore(first, now)).toBe(26)
    expect(has(first, 'at_risk')).toBe(false)
    expect(has(first, 'highly_engaged')).toBe(false)
  })

  it('marks a regular visitor who reads and acts as highly engaged (above 80)', () => {
    const regular = profile({
      sessions: 10,
      pageViews: 50,
      clicks: 4,
      engagements: 3,
      previousVisitAt: daysAgo(2),
    })
    expect(engagementScore(regular, now)).toBe(85)
    expect(has(regular, 'highly_engaged')).toBe(true)
    expect(has({ ...regular, engagements: 2 }, 'highly_engaged')).toBe(false)
  })

  it('marks a thin history followed by weeks away as at risk (below 20)', () => {
    const lapsed = profile({ sessions: 2, pageViews: 3, previousVisitAt: daysAgo(40) })
    expect(engagementScore(lapsed, now)).toBeLessThan(20)
    expect(has(lapsed, 'at_risk')).toBe(true)
    expect(has({ ...lapsed, previousVisitAt: daysAgo(3) }, 'at_risk')).toBe(false)
  })

  it('loses recency linearly between 7 and 30 days away', () => {
    const at = (days: number) =>
      engagementScore(profile({ sessions: 0, pageViews: 0, previousVisitAt: daysAgo(days) }), now)
    expect([at(0), at(7), at(18.5), at(30), at(60)]).toEqual([20, 20, 10, 0, 0])
  })
})

describe('purchase segments', () => {
  it('has prospects until the first purchase, then customers', () => {
    expect(builtInSegmentsOf(profile(), now)).toContain('prospect')
    const buyer = builtInSegmentsOf(profile({ purchases: 1, revenue: 40 }), now)
    expect(buyer).toContain('customer')
    expect(buyer).not.toContain('prospect')
    expect(buyer).not.toContain('loyal_customer')
  })

  it('calls more than five purchases loyal', () => {
    expect(has(profile({ purchases: 5, revenue: 50 }), 'loyal_customer')).toBe(false)
    expect(has(profile({ purchases: 6, revenue: 60 }), 'loyal_customer')).toBe(true)
  })

  it('calls an average order above 100 high value', () => {
    expect(has(profile({ purchases: 2, revenue: 200 }), 'high_value_customer')).toBe(false)
    expect(has(profile({ purchases: 2, revenue: 200.02 }), 'high_value_customer')).toBe(true)
    expect(has(profile({ purchases: 1, revenue: 150 }), 'high_value_customer')).toBe(true)
  })
})

describe('recency segments', () => {
  it('counts a first-time visitor as active', () => {
    expect(builtInSegmentsOf(profile(), now)).toContain('active')
  })

  it('measures from the previous visit: under 7 days active, over 30 inactive, neither between', () => {
    const segmentsAfter = (days: number) =>
      builtInSegmentsOf(profile({ sessions: 2, previousVisitAt: daysAgo(days) }), now).filter(
        (s) => s === 'active' || s === 'inactive',
      )
    expect(segmentsAfter(6.9)).toEqual(['active'])
    expect(segmentsAfter(7)).toEqual([])
    expect(segmentsAfter(30)).toEqual([])
    expect(segmentsAfter(30.1)).toEqual(['inactive'])
  })
})

it('lists the built-ins in their declared order, each with a name and a one-line description', () => {
  const all = profile({ sessions: 10, pageViews: 50, clicks: 10, engagements: 5, purchases: 6, revenue: 900 })
  const segments = builtInSegmentsOf({ ...all, traits: { age: 20 } }, now)
  expect(segments).toEqual(builtInSegments.filter((s) => segments.includes(s)))
  for (const key of builtInSegments) {
    expect(builtInDescriptions[key].name).toBeTruthy()
    expect(builtInDescriptions[key].description).not.toContain('\n')
  }
})

describe('custom segment rules', () => {
  const rule = (input: unknown) => segmentRule.parse(input) as SegmentRule
  const counts =
    (table: Record<string, number>) =>
    (name: string): number =>
      table[name] ?? 0

  it('compares traits with the same semantics as targeting: comparisons on numbers only', () => {
    const spender = rule({ field: 'trait', key: 'ltv', op: 'gte', value: 500 })
    expect(segmentMatches(spender, { ltv: 500 }, counts({}))).toBe(true)
    expect(segmentMatches(spender, { ltv: '900' }, counts({}))).toBe(false)
    expect(segmentMatches(spender, {}, counts({}))).toBe(false)
    const plan = rule({ field: 'trait', key: 'plan', op: 'in', values: ['pro', 'team'] })
    expect(segmentMatches(plan, { plan: 'team' }, counts({}))).toBe(true)
    expect(segmentMatches(rule({ field: 'trait', key: 'toString', op: 'exists' }), {}, counts({}))).toBe(
      false,
    )
  })

  it('counts events by name against gte, lte and equals', () => {
    const cart = (op: string, count: number) => rule({ field: 'event', name: 'AddToCart', op, count })
    const seen = counts({ AddToCart: 3 })
    expect(segmentMatches(cart('gte', 3), {}, seen)).toBe(true)
    expect(segmentMatches(cart('gte', 4), {}, seen)).toBe(false)
    expect(segmentMatches(cart('lte', 3), {}, seen)).toBe(true)
    expect(segmentMatches(cart('equals', 0), {}, counts({}))).toBe(true)
  })

  it('combines with all, any and not', () => {
    const abandoner = rule({
      all: [
        { field: 'event', name: 'AddToCart', op: 'gte', count: 1 },
        { not: { field: 'event', name: 'Purchase', op: 'gte', count: 1 } },
        {
          any: [
            { field: 'trait', key: 'plan', op: 'equals', value: 'free' },
            { field: 'trait', key: 'trial', op: 'exists' },
          ],
        },
      ],
    })
    expect(segmentMatches(abandoner, { plan: 'free' }, counts({ AddToCart: 2 }))).toBe(true)
    expect(segmentMatches(abandoner, { trial: true }, counts({ AddToCart: 2, Purchase: 1 }))).toBe(false)
    expect(segmentMatches(abandoner, { plan: 'pro' }, counts({ AddToCart: 2 }))).toBe(false)
    expect(eventNamesOf(abandoner)).toEqual(['AddToCart', 'Purchase'])
  })
})
