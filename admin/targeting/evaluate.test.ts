import { describe, expect, it } from 'vitest'
import { profileMatches, type VisitorState } from '../../api/core/capping'
import { evalTargeting, globMatch } from '../../api/core/targeting'
import type { VisitorContext } from '../../api/core/visitor'
import { type Rule, type Targeting, targeting as targetingSchema } from '../../schema/targeting'
import { type SampleVisitor, targetingAdmits, verdicts, wildcard } from './evaluate'

/** The engine's answer: the request's part, then what is left for the stored profile. */
function engine(targeting: Targeting, visitor: SampleVisitor): boolean {
  const context: VisitorContext = {
    device: (visitor.device ?? 'desktop') as VisitorContext['device'],
    utm: visitor.utm,
    ...(visitor.url ? { url: visitor.url } : {}),
    ...(visitor.referrer ? { referrer: visitor.referrer } : {}),
    ...(visitor.os ? { os: visitor.os } : {}),
    ...(visitor.browser ? { browser: visitor.browser } : {}),
    ...(visitor.country ? { country: visitor.country } : {}),
    ...(visitor.region ? { region: visitor.region } : {}),
    ...(visitor.language ? { language: visitor.language } : {}),
    ...(visitor.pages ? { pagesThisSession: visitor.pages } : {}),
  }
  const state: VisitorState = {
    segments: new Set(visitor.segments),
    traits: visitor.traits,
    returning: visitor.returning,
    campaigns: new Map(),
  }
  const result = evalTargeting(targeting, context)
  return typeof result === 'boolean' ? result : profileMatches(result, state)
}

/** A small deterministic generator, so a failure names its seed. */
function random(seed: number) {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
}

const conditions: Rule[] = [
  { field: 'device', op: 'in', values: ['mobile'] },
  { field: 'device', op: 'in', values: ['desktop', 'tablet'] },
  { field: 'country', op: 'in', values: ['FR', 'DE'] },
  { field: 'language', op: 'in', values: ['en'] },
  { field: 'region', op: 'in', values: ['US-CA'] },
  { field: 'os', op: 'in', values: ['ios'] },
  { field: 'browser', op: 'in', values: ['safari', 'chrome'] },
  { field: 'utm_source', op: 'equals', value: 'newsletter' },
  { field: 'utm_medium', op: 'in', values: ['email', 'cpc'] },
  { field: 'url', op: 'prefix', value: 'https://shop.example/sale' },
  { field: 'url', op: 'glob', value: 'https://shop.example/*/p?' },
  { field: 'url', op: 'equals', value: 'https://shop.example/' },
  { field: 'referrer', op: 'contains', value: 'google' },
  { field: 'segment', op: 'in', values: ['customer', 'vip'] },
  { field: 'visitor', op: 'equals', value: 'returning' },
  { field: 'visitor', op: 'equals', value: 'new' },
  { field: 'pages_this_session', op: 'gte', value: 2 },
  { field: 'pages_this_session', op: 'equals', value: 1 },
  { field: 'trait', key: 'plan', op: 'equals', value: 'pro' },
  { field: 'trait', key: 'plan', op: 'in', values: ['pro', 'team'] },
  { field: 'trait', key: 'visits', op: 'gt', value: 3 },
  { field: 'trait', key: 'vip', op: 'exists' },
]

function randomRule(next: () => number, depth: number): Rule {
  const pick = next()
  if (depth < 3 && pick < 0.2) return { not: randomRule(next, depth + 1) }
  if (depth < 3 && pick < 0.45) {
    const children = Array.from({ length: 1 + Math.floor(next() * 3) }, () => randomRule(next, depth + 1))
    return next() < 0.5 ? { all: children } : { any: children }
  }
  return conditions[Math.floor(next() * conditions.length)]!
}

function randomVisitor(next: () => number): SampleVisitor {
  const one = <T>(options: T[]) => options[Math.floor(next() * options.length)]!
  return {
    device: one(['mobile', 'desktop', 'tablet']),
    country: one(['FR', 'US', undefined]),
    language: one(['en', 'fr', undefined]),
    region: one(['US-CA', undefined]),
    os: one(['ios', 'android', undefined]),
    browser: one(['safari', 'firefox', undefined]),
    url: one([
      'https://shop.example/',
      'https://shop.example/sale/winter',
      'https://shop.example/a/p1',
      undefined,
    ]),
    referrer: one(['https://www.google.com/', undefined]),
    utm: {
      ...(next() < 0.5 ? { utm_source: 'newsletter' } : {}),
      ...(next() < 0.5 ? { utm_medium: 'cpc' } : {}),
    },
    segments: next() < 0.5 ? ['customer'] : [],
    returning: next() < 0.5,
    ...(next() < 0.7 ? { pages: one([1, 2, 5]) } : {}),
    traits: {
      ...(next() < 0.5 ? { plan: one(['pro', 'free', 3]) } : {}),
      ...(next() < 0.5 ? { visits: one([1, 4, '9']) } : {}),
      ...(next() < 0.3 ? { vip: true } : {}),
    },
  }
}

describe('trying a visitor in the admin', () => {
  it('answers every rule as the engine does (2,000 random rules and visitors)', () => {
    const next = random(42)
    for (let round = 0; round < 2000; round += 1) {
      const include = next() < 0.8 ? randomRule(next, 1) : undefined
      const exclude = next() < 0.4 ? randomRule(next, 1) : undefined
      const targeting = targetingSchema.parse({
        ...(include ? { include } : {}),
        ...(exclude ? { exclude } : {}),
      })
      const visitor = randomVisitor(next)
      expect(targetingAdmits(targeting, visitor), JSON.stringify({ round, targeting, visitor })).toBe(
        engine(targeting, visitor),
      )
    }
  })

  it('matches wildcards as the engine does', () => {
    const next = random(7)
    const letters = ['a', 'b', '*', '?']
    for (let round = 0; round < 3000; round += 1) {
      const word = (alphabet: string[]) =>
        Array.from(
          { length: Math.floor(next() * 6) },
          () => alphabet[Math.floor(next() * alphabet.length)],
        ).join('')
      const pattern = word(letters)
      const text = word(['a', 'b'])
      expect(wildcard(pattern, text), `${pattern} ~ ${text}`).toBe(globMatch(pattern, text))
    }
  })

  it('marks each node of the rule, parents first, with its path', () => {
    const rule: Rule = {
      all: [
        { field: 'device', op: 'in', values: ['mobile'] },
        { not: { field: 'country', op: 'in', values: ['FR'] } },
      ],
    }
    const visitor: SampleVisitor = {
      device: 'mobile',
      country: 'FR',
      utm: {},
      segments: [],
      returning: false,
      traits: {},
    }
    expect(
      verdicts(rule, visitor, 'include').map(({ path, depth, holds }) => ({ path, depth, holds })),
    ).toEqual([
      { path: 'include', depth: 0, holds: false },
      { path: 'include.all.0', depth: 1, holds: true },
      { path: 'include.all.1', depth: 1, holds: false },
      { path: 'include.all.1.not', depth: 2, holds: true },
    ])
  })
})
