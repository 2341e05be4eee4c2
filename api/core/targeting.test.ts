import { describe, expect, it } from 'vitest'
import type { Rule, Targeting } from '../../schema/targeting'
import { profileMatches } from './capping'
import { evalTargeting, globMatch } from './targeting'
import type { VisitorContext } from './visitor'

/** Whether the targeting holds for a visitor whose profile is empty (a first-time visitor). */
function matches(targeting: Targeting, visitor: VisitorContext): boolean {
  const result = evalTargeting(targeting, visitor)
  return typeof result === 'boolean' ? result : profileMatches(result, undefined)
}

describe('globMatch', () => {
  it.each([
    ['https://a.example/blog/*', 'https://a.example/blog/post-1', true],
    ['https://a.example/blog/*', 'https://a.example/blog/', true],
    ['https://a.example/blog/*', 'https://a.example/shop/', false],
    ['*/checkout', 'https://a.example/checkout', true],
    ['*/checkout', 'https://a.example/checkout/done', false],
    ['https://?.example/', 'https://a.example/', true],
    ['https://?.example/', 'https://ab.example/', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
    ['*', '', true],
    ['', '', true],
    ['', 'a', false],
    ['a.b', 'axb', false],
    ['(a+)+$', '(a+)+$', true],
  ])('%s against %s is %s', (pattern, text, expected) => {
    expect(globMatch(pattern, text)).toBe(expected)
  })

  it('finishes fast on patterns that make backtracking matchers explode', () => {
    const text = 'a'.repeat(10_000)
    const started = performance.now()
    expect(globMatch('*a*a*a*a*a*b', text)).toBe(false)
    expect(globMatch('*a*a*a*a*a*a*a*a*a*a*?', text)).toBe(true)
    expect(globMatch(`${'*a'.repeat(20)}*b`, text)).toBe(false)
    expect(performance.now() - started).toBeLessThan(50)
  })
})

const visitor: VisitorContext = {
  url: 'https://a.example/blog/winter?utm_source=newsletter',
  referrer: 'https://www.google.com/search?q=promo',
  utm: { utm_source: 'newsletter' },
  device: 'mobile',
  os: 'ios',
  browser: 'safari',
  country: 'DE',
  region: 'DE-BY',
  language: 'de',
}
const yes: Rule = { field: 'device', op: 'in', values: ['mobile'] }
const no: Rule = { field: 'device', op: 'in', values: ['desktop'] }

describe('matches', () => {
  it.each<[string, Rule, boolean]>([
    ['all true', { all: [yes, yes] }, true],
    ['all with one false', { all: [yes, no] }, false],
    ['any with one true', { any: [no, yes] }, true],
    ['any of all false', { any: [no, no] }, false],
    ['not true', { not: yes }, false],
    ['not false', { not: no }, true],
    ['nested', { all: [{ any: [no, { not: no }] }, { not: { all: [yes, no] } }] }, true],
  ])('%s', (_, include, expected) => {
    expect(matches({ include }, visitor)).toBe(expected)
  })

  it('needs the include rule to match and the exclude rule not to', () => {
    expect(matches({}, visitor)).toBe(true)
    expect(matches({ include: yes }, visitor)).toBe(true)
    expect(matches({ include: no }, visitor)).toBe(false)
    expect(matches({ exclude: yes }, visitor)).toBe(false)
    expect(matches({ exclude: no }, visitor)).toBe(true)
    expect(matches({ include: yes, exclude: yes }, visitor)).toBe(false)
    expect(matches({ include: yes, exclude: no }, visitor)).toBe(true)
  })

  it.each<[Rule, boolean]>([
    [{ field: 'url', op: 'equals', value: 'https://a.example/blog/winter?utm_source=newsletter' }, true],
    [{ field: 'url', op: 'prefix', value: 'https://a.example/blog/' }, true],
    [{ field: 'url', op: 'glob', value: 'https://a.example/shop/*' }, false],
    [{ field: 'referrer', op: 'contains', value: 'google.' }, true],
    [{ field: 'referrer', op: 'prefix', value: 'https://bing.com' }, false],
    [{ field: 'utm_source', op: 'equals', value: 'newsletter' }, true],
    [{ field: 'utm_medium', op: 'in', values: ['email'] }, false],
    [{ field: 'os', op: 'in', values: ['android', 'ios'] }, true],
    [{ field: 'browser', op: 'in', values: ['chrome'] }, false],
    [{ field: 'country', op: 'in', values: ['AT', 'DE'] }, true],
    [{ field: 'region', op: 'in', values: ['DE-BE'] }, false],
    [{ field: 'language', op: 'in', values: ['de'] }, true],
  ])('condition %j is %s', (include, expected) => {
    expect(matches({ include }, visitor)).toBe(expected)
  })

  it('treats what is unknown about a visitor as matching no list', () => {
    const unknown: VisitorContext = { utm: {}, device: 'desktop' }
    const country: Rule = { field: 'country', op: 'in', values: ['DE'] }
    expect(matches({ include: country }, unknown)).toBe(false)
    expect(matches({ exclude: country }, unknown)).toBe(true)
    expect(matches({ include: { field: 'url', op: 'glob', value: '*' } }, unknown)).toBe(false)
  })
})
