import { describe, expect, it } from 'vitest'
import { campaignCreate } from './campaign'
import { type Rule, rule, targeting } from './targeting'

const url = (value: string): Rule => ({ field: 'url', op: 'glob', value })
const nest = (depth: number, leaf: Rule): Rule => (depth === 0 ? leaf : { all: [nest(depth - 1, leaf)] })
const paths = (result: { error?: { issues: { path: PropertyKey[] }[] } }) =>
  (result.error?.issues ?? []).map((issue) => issue.path.join('.'))

const example = {
  include: {
    all: [
      { field: 'url', op: 'glob', value: 'https://a.example/blog/*' },
      {
        any: [
          { field: 'device', op: 'in', values: ['mobile', 'tablet'] },
          { field: 'language', op: 'in', values: ['de'] },
        ],
      },
      { field: 'utm_source', op: 'in', values: ['newsletter', 'partner'] },
      { not: { field: 'referrer', op: 'contains', value: 'spam.example' } },
    ],
  },
  exclude: {
    any: [
      { field: 'country', op: 'in', values: ['FR'] },
      { field: 'region', op: 'in', values: ['US-CA'] },
    ],
  },
}

describe('targeting schema', () => {
  it('round-trips: parse, JSON, parse gives the same rules', () => {
    const once = targeting.parse(example)
    expect(targeting.parse(JSON.parse(JSON.stringify(once)))).toEqual(once)
    expect(once).toEqual(example)
  })

  it('still accepts the {} every stored campaign has, and defaults to it', () => {
    expect(targeting.parse({})).toEqual({})
    const created = campaignCreate.parse({
      name: 'x',
      variants: [{ name: 'A', creative: { headline: 'h' } }],
    })
    expect(created.targeting).toEqual({})
  })

  it('normalizes case where the field is case-insensitive', () => {
    const parsed = targeting.parse({
      include: {
        all: [
          { field: 'country', op: 'in', values: ['de'] },
          { field: 'browser', op: 'in', values: ['Chrome'] },
          { field: 'utm_campaign', op: 'equals', value: 'Winter' },
        ],
      },
    })
    expect(parsed.include).toEqual({
      all: [
        { field: 'country', op: 'in', values: ['DE'] },
        { field: 'browser', op: 'in', values: ['chrome'] },
        { field: 'utm_campaign', op: 'equals', value: 'winter' },
      ],
    })
  })

  it('allows four nested groups and rejects a fifth at its path', () => {
    expect(rule.safeParse(nest(4, url('*'))).success).toBe(true)
    const result = rule.safeParse(nest(5, url('*')))
    expect(result.success).toBe(false)
    expect(paths(result)).toEqual(['all.0.all.0.all.0.all.0'])
    expect(result.error?.issues[0]?.message).toMatch(/at most 4 groups deep/)
  })

  it('allows 50 conditions and rejects 51, across groups', () => {
    const many = (n: number): Rule => ({
      any: [
        { all: Array.from({ length: 25 }, () => url('*')) },
        { all: Array.from({ length: n - 25 }, () => url('*')) },
      ],
    })
    expect(rule.safeParse(many(50)).success).toBe(true)
    const result = rule.safeParse(many(51))
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.message).toMatch(/at most 50 conditions/)
  })

  it('reports a mistake at the path of the field that is wrong', () => {
    const bad = (include: unknown) => paths(targeting.safeParse({ include }))
    expect(bad({ all: [{ field: 'url', op: 'regex', value: '.*' }] })).toEqual(['include.all.0.op'])
    expect(bad({ any: [url('*'), { field: 'country', op: 'in', values: ['USA'] }] })).toEqual([
      'include.any.1.values.0',
    ])
    expect(bad({ not: { field: 'planet', op: 'in', values: ['mars'] } })).toEqual(['include.not.field'])
    expect(bad({ field: 'segment', op: 'in', values: ['VIP buyers'] })).toEqual(['include.values.0'])
    expect(bad({ all: [] })).toEqual(['include.all'])
    expect(bad({ all: [url('*')], any: [url('*')] })).toEqual(['include'])
    expect(bad({ field: 'device', op: 'in', values: ['watch'] })).toEqual(['include.values.0'])
    expect(bad({ field: 'url', op: 'glob', value: 'x'.repeat(2_049) })).toEqual(['include.value'])
    expect(paths(targeting.safeParse({ devices: ['mobile'] }))).toEqual([''])
  })
})
