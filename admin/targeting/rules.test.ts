import { describe, expect, it } from 'vitest'
import { schedule as scheduleSchema } from '../../schema/campaign'
import { maxSegmentDepth, segmentRule } from '../../schema/segments'
import {
  maxRuleDepth,
  type Rule,
  rule as ruleSchema,
  targeting as targetingSchema,
} from '../../schema/targeting'
import { gridFrom, windowsFrom, windowsSentence } from './dayparting'
import { targetingSentence } from './describe'
import {
  fromRule,
  isBuildable,
  segmentDepth,
  segmentFields,
  targetingDepth,
  targetingFields,
  toRule,
} from './rules'

/** One rule with every field and operator the schema allows, nested all / any / not. */
const everything: Rule = {
  all: [
    { field: 'device', op: 'in', values: ['mobile', 'tablet'] },
    { field: 'country', op: 'in', values: ['FR'] },
    { field: 'region', op: 'in', values: ['US-CA'] },
    { field: 'language', op: 'in', values: ['en', 'fr'] },
    { field: 'os', op: 'in', values: ['ios'] },
    { field: 'browser', op: 'in', values: ['safari'] },
    { field: 'segment', op: 'in', values: ['customer'] },
    { field: 'visitor', op: 'equals', value: 'new' },
    {
      any: [
        { field: 'utm_source', op: 'equals', value: 'newsletter' },
        { field: 'utm_medium', op: 'in', values: ['email', 'sms'] },
        { field: 'utm_campaign', op: 'equals', value: 'spring' },
        { field: 'utm_term', op: 'in', values: ['shoes'] },
        { field: 'utm_content', op: 'equals', value: 'hero' },
        { not: { all: [{ field: 'url', op: 'glob', value: 'https://a.example/*/p?' }] } },
      ],
    },
    { field: 'url', op: 'equals', value: 'https://a.example/' },
    { field: 'url', op: 'prefix', value: 'https://a.example/sale' },
    { field: 'referrer', op: 'contains', value: 'google' },
    { field: 'referrer', op: 'prefix', value: 'https://news.example' },
    { field: 'pages_this_session', op: 'gte', value: 2 },
    { field: 'pages_this_session', op: 'lte', value: 9 },
    { field: 'trait', key: 'plan', op: 'equals', value: 'pro' },
    { field: 'trait', key: 'visits', op: 'equals', value: 3 },
    { field: 'trait', key: 'vip', op: 'equals', value: false },
    { field: 'trait', key: 'plan', op: 'in', values: ['pro', 'team'] },
    { field: 'trait', key: 'seats', op: 'in', values: [5, 10] },
    { field: 'trait', key: 'age', op: 'exists' },
    { field: 'trait', key: 'spend', op: 'gt', value: 99.5 },
    { field: 'trait', key: 'spend', op: 'lte', value: 1000 },
    { not: { field: 'country', op: 'in', values: ['DE'] } },
  ],
}

describe('the rule builder’s model', () => {
  it('turns every rule the schema takes into nodes and back without losing anything', () => {
    expect(ruleSchema.parse(everything)).toEqual(everything)
    expect(toRule(fromRule(everything))).toEqual(everything)
    for (const bare of [
      { field: 'device', op: 'in', values: ['mobile'] },
      { not: { not: { any: everything.all } } },
    ] as Rule[])
      expect(toRule(fromRule(bare))).toEqual(bare)
  })

  it('round-trips a segment rule, events included', () => {
    const rule = {
      any: [
        { field: 'event', name: 'Purchase', op: 'gte', count: 3 },
        { not: { field: 'trait', key: 'vip', op: 'equals', value: true } },
      ],
    }
    expect(segmentRule.parse(rule)).toEqual(rule)
    expect(toRule(fromRule(segmentRule.parse(rule)))).toEqual(rule)
  })

  it('nests groups as deep as the schemas allow', () => {
    expect(targetingDepth).toBe(maxRuleDepth)
    expect(segmentDepth).toBe(maxSegmentDepth)
  })

  it('tells what JSON the builder can show', () => {
    expect(isBuildable(everything, targetingFields)).toBe(true)
    expect(isBuildable({ field: 'event', name: 'Purchase', op: 'gte', count: 1 }, segmentFields)).toBe(true)
    expect(isBuildable({ field: 'event', name: 'Purchase', op: 'more', count: 1 }, segmentFields)).toBe(false)
    expect(isBuildable({ field: 'device', op: 'in', values: ['mobile'] }, segmentFields)).toBe(false)
    expect(isBuildable({ all: [{ nope: 1 }] }, segmentFields)).toBe(false)
    expect(isBuildable('text', segmentFields)).toBe(false)
  })

  it('reads targeting as a sentence', () => {
    const mustShow = targetingSchema.parse({
      include: {
        all: [
          { field: 'device', op: 'in', values: ['mobile'] },
          { field: 'utm_source', op: 'equals', value: 'newsletter' },
        ],
      },
      exclude: { field: 'country', op: 'in', values: ['FR'] },
    })
    expect(targetingSentence(mustShow)).toBe(
      'Visitors on mobile whose utm_source is newsletter, not in France.',
    )
    expect(targetingSentence({})).toBe('Every visitor.')
    expect(
      targetingSentence(
        {
          include: {
            any: [
              { field: 'segment', op: 'in', values: ['loyal_customer'] },
              {
                all: [
                  { field: 'language', op: 'in', values: ['fr', 'de'] },
                  { field: 'visitor', op: 'equals', value: 'new' },
                ],
              },
            ],
          },
        },
        new Map([['loyal_customer', 'Loyal customers']]),
      ),
    ).toBe('Visitors in the segment Loyal customers or (who speak French or German on their first visit).')
  })
})

describe('the dayparting grid', () => {
  it('writes weekdays 9–17 as one window the schema takes, and reads it back', () => {
    const { grid, exact } = gridFrom([{ days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' }])
    expect(exact).toBe(true)
    const windows = windowsFrom(grid)
    expect(windows).toEqual([{ days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' }])
    expect(scheduleSchema.parse({ timezone: 'Europe/Paris', dayparting: windows }).dayparting).toEqual(
      windows,
    )
    expect(windowsSentence(windows)).toBe('Runs Monday to Friday 09:00–17:00.')
  })

  it('ends a run at midnight with the wrap, splits a whole day, and reads a wrapping window', () => {
    const { grid } = gridFrom([{ days: [5], from: '22:00', to: '02:00' }])
    expect(grid[5]!.flatMap((on, hour) => (on ? [hour] : []))).toEqual([0, 1, 22, 23])
    expect(windowsFrom(grid)).toEqual([
      { days: [5], from: '00:00', to: '02:00' },
      { days: [5], from: '22:00', to: '00:00' },
    ])
    const wholeSunday = gridFrom([
      { days: [0], from: '00:00', to: '12:00' },
      { days: [0], from: '12:00', to: '00:00' },
    ]).grid
    expect(wholeSunday[0]!.every(Boolean)).toBe(true)
    expect(windowsFrom(wholeSunday)).toEqual([
      { days: [0], from: '00:00', to: '12:00' },
      { days: [0], from: '12:00', to: '00:00' },
    ])
  })

  it('says when windows are off the hour, and treats no hour and every hour as no dayparting', () => {
    expect(gridFrom([{ days: [1], from: '09:30', to: '17:00' }]).exact).toBe(false)
    expect(windowsFrom(gridFrom([]).grid)).toBeUndefined()
    const all = gridFrom([
      { days: [0, 1, 2, 3, 4, 5, 6], from: '00:00', to: '12:00' },
      { days: [0, 1, 2, 3, 4, 5, 6], from: '12:00', to: '00:00' },
    ])
    expect(windowsFrom(all.grid)).toBeUndefined()
  })
})
