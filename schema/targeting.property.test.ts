import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { builtInSegments, conditionCount, devices, type Rule, targeting, utmFields } from './targeting'

const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/)
const text = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() === s && s.length > 0)
const some = <T>(item: fc.Arbitrary<T>) => fc.uniqueArray(item, { minLength: 1, maxLength: 4 })
const traitValue = fc.oneof(text, fc.integer({ min: -1_000, max: 1_000 }), fc.boolean())

/** Conditions as a stored campaign holds them: already normalized (trimmed, lower or upper case). */
const condition: fc.Arbitrary<Rule> = fc.oneof(
  fc.record({
    field: fc.constantFrom('url', 'referrer'),
    op: fc.constantFrom('equals', 'prefix', 'glob'),
    value: text,
  }),
  fc.record({ field: fc.constantFrom(...utmFields), op: fc.constant('in'), values: some(word) }),
  fc.record({
    field: fc.constant('device'),
    op: fc.constant('in'),
    values: some(fc.constantFrom(...devices)),
  }),
  fc.record({
    field: fc.constant('country'),
    op: fc.constant('in'),
    values: some(fc.constantFrom('US', 'DE', 'FR', 'JP')),
  }),
  fc.record({
    field: fc.constant('language'),
    op: fc.constant('in'),
    values: some(fc.constantFrom('en', 'de', 'fr')),
  }),
  fc.record({
    field: fc.constant('segment'),
    op: fc.constant('in'),
    values: some(fc.constantFrom(...builtInSegments)),
  }),
  fc.record({
    field: fc.constant('visitor'),
    op: fc.constant('equals'),
    value: fc.constantFrom('new', 'returning'),
  }),
  fc.record({
    field: fc.constant('pages_this_session'),
    op: fc.constantFrom('equals', 'gte', 'lte'),
    value: fc.integer({ min: 0, max: 100 }),
  }),
  fc.record({ field: fc.constant('trait'), key: word, op: fc.constant('equals'), value: traitValue }),
  fc.record({ field: fc.constant('trait'), key: word, op: fc.constant('in'), values: some(traitValue) }),
  fc.record({
    field: fc.constant('trait'),
    key: word,
    op: fc.constantFrom('gt', 'lte'),
    value: fc.integer(),
  }),
  fc.record({ field: fc.constant('trait'), key: word, op: fc.constant('exists') }),
) as fc.Arbitrary<Rule>

const { rule } = fc.letrec<{ rule: Rule }>((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    condition,
    fc.record({ all: fc.array(tie('rule'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('rule'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('rule') }),
  ),
}))

const depth = (r: Rule): number =>
  'all' in r
    ? 1 + Math.max(...r.all.map(depth))
    : 'any' in r
      ? 1 + Math.max(...r.any.map(depth))
      : 'not' in r
        ? 1 + depth(r.not)
        : 0

describe('targeting rules, property-based', () => {
  it('round-trip through their schema and JSON unchanged', () => {
    fc.assert(
      fc.property(
        fc
          .record({ include: rule, exclude: fc.option(rule, { nil: undefined }) })
          .filter(
            (t) =>
              depth(t.include) <= 4 &&
              conditionCount(t.include) <= 50 &&
              (!t.exclude || (depth(t.exclude) <= 4 && conditionCount(t.exclude) <= 50)),
          ),
        (input) => {
          const value = input.exclude ? input : { include: input.include }
          const parsed = targeting.parse(value)
          expect(parsed).toEqual(value)
          expect(targeting.parse(JSON.parse(JSON.stringify(parsed)))).toEqual(parsed)
        },
      ),
      { numRuns: 500 },
    )
  })
})
