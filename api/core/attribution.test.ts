import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  type AttributionModel,
  type AttributionSettings,
  attributionModel,
  attributionModelQuery,
  attributionModels,
  attributionSettings,
  defaultAttributionSettings,
} from '../../schema/attribution'
import {
  attribute,
  attributeAll,
  type Conversion,
  type Credit,
  creditByCampaign,
  type Touch,
} from './attribution'
import goldenFile from './attribution-cases.json'

const dayMs = 86_400_000
const hourMs = 3_600_000

// The golden file is parsed, not just imported, so a case missing a model or misspelling a field fails loudly.
const at = z.iso.datetime().transform((iso) => Date.parse(iso))
const rounded = z.strictObject({
  campaignId: z.string(),
  variantId: z.string().optional(),
  touchId: z.string(),
  weight: z.number(),
  value: z.number(),
})
const campaignTotal = z.strictObject({ campaignId: z.string(), weight: z.number(), value: z.number() })
const goldenCase = z.strictObject({
  name: z.string(),
  description: z.string(),
  conversion: z.strictObject({ at, value: z.number() }),
  settings: attributionSettings,
  touches: z.array(
    z.strictObject({
      id: z.string(),
      campaignId: z.string(),
      variantId: z.string().optional(),
      kind: z.string(),
      at,
    }),
  ),
  expected: z.record(attributionModel, z.array(rounded)),
  expectedByCampaign: z.record(attributionModel, z.array(campaignTotal)).optional(),
})
const golden = z.strictObject({ $comment: z.string(), cases: z.array(goldenCase).min(12) }).parse(goldenFile)

const round4 = (x: number) => {
  const r = Math.round(x * 10_000) / 10_000
  return r === 0 ? 0 : r // -0 and 0 are the same credit
}
const roundCredit = (c: Credit) => ({ ...c, weight: round4(c.weight), value: round4(c.value) })
const roundTotal = (t: { campaignId: string; weight: number; value: number }) => ({
  ...t,
  weight: round4(t.weight),
  value: round4(t.value),
})

describe('golden cases', () => {
  describe.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_, goldenCase) => {
    it.each(attributionModels)('%s', (model) => {
      const credits = attribute(goldenCase.conversion, goldenCase.touches, model, goldenCase.settings)
      expect(credits.map(roundCredit)).toEqual(goldenCase.expected[model])
      const byCampaign = goldenCase.expectedByCampaign?.[model]
      if (byCampaign) expect(creditByCampaign(credits).map(roundTotal)).toEqual(byCampaign)
    })
  })

  it('attributeAll gives, for every case, what attribute gives model by model', () => {
    for (const c of golden.cases) {
      const all = attributeAll(c.conversion, c.touches, c.settings)
      for (const model of attributionModels) {
        expect(all[model]).toEqual(attribute(c.conversion, c.touches, model, c.settings))
      }
    }
  })

  it('cover every model with one, two, three and five eligible touches, and unattributed conversions', () => {
    const counts = new Set(golden.cases.map((c) => c.expected.linear.length))
    for (const n of [0, 1, 2, 3, 5]) expect(counts).toContain(n)
  })
})

describe('attribute', () => {
  const conversion = { at: Date.UTC(2025, 2, 10, 12), value: 10 }

  it('refuses the same touch id twice rather than crediting one touch twice', () => {
    const touch: Touch = { id: 't1', campaignId: 'A', kind: 'click', at: conversion.at - hourMs }
    expect(() => attribute(conversion, [touch, { ...touch }], 'linear', defaultAttributionSettings)).toThrow(
      /t1/,
    )
  })

  it('keeps time decay finite when every touch is many half-lives old', () => {
    const settings = attributionSettings.parse({ halfLifeDays: 0.001, clickWindowDays: 90 })
    const touches: Touch[] = [
      { id: 't1', campaignId: 'A', kind: 'click', at: conversion.at - 80 * dayMs },
      { id: 't2', campaignId: 'B', kind: 'click', at: conversion.at - 80 * dayMs + 1 },
    ]
    const credits = attribute(conversion, touches, 'time_decay', settings)
    expect(credits.map((c) => c.touchId)).toEqual(['t1', 't2'])
    expect(credits.reduce((sum, c) => sum + c.weight, 0)).toBeCloseTo(1, 12)
  })

  it('gives a middle touch no row when position-based settings give the middle nothing', () => {
    const settings = attributionSettings.parse({ positionWeights: { first: 0.5, middle: 0, last: 0.5 } })
    const touches: Touch[] = [1, 2, 3].map((d) => ({
      id: `t${d}`,
      campaignId: 'A',
      kind: 'click',
      at: conversion.at - d * dayMs,
    }))
    expect(attribute(conversion, touches, 'position_based', settings).map((c) => c.touchId)).toEqual([
      't3',
      't1',
    ])
  })
})

describe('attribution settings', () => {
  it("defaults to Meta's 7-day click and 1-day view windows, a 7-day half-life and 40/20/40", () => {
    expect(defaultAttributionSettings).toEqual({
      clickWindowDays: 7,
      viewWindowDays: 1,
      halfLifeDays: 7,
      positionWeights: { first: 0.4, middle: 0.2, last: 0.4 },
    })
  })

  it.each([
    [{ clickWindowDays: 0.5 }, 'clickWindowDays'],
    [{ clickWindowDays: 91 }, 'clickWindowDays'],
    [{ viewWindowDays: -1 }, 'viewWindowDays'],
    [{ viewWindowDays: 31 }, 'viewWindowDays'],
    [{ halfLifeDays: 0 }, 'halfLifeDays'],
    [{ halfLifeDays: 91 }, 'halfLifeDays'],
    [{ positionWeights: { first: 0.5, middle: 0.2, last: 0.5 } }, 'positionWeights'],
    [{ positionWeights: { first: 0, middle: 1, last: 0 } }, 'positionWeights'],
    [{ lookbackDays: 7 }, ''],
  ])('refuses %j at its field', (input, field) => {
    const parsed = attributionSettings.safeParse(input)
    expect(parsed.success).toBe(false)
    if (field) expect(parsed.error?.issues[0]?.path[0]).toBe(field)
  })

  it('accepts position weights that add up to 1 only up to decimal rounding', () => {
    expect(
      attributionSettings.safeParse({ positionWeights: { first: 0.1, middle: 0.2, last: 0.7 } }).success,
    ).toBe(true)
  })

  it('reads ?model= as one of the five models, last touch when absent', () => {
    const query = z.strictObject({ model: attributionModelQuery })
    expect(query.parse({})).toEqual({ model: 'last_touch' })
    for (const model of attributionModels) expect(query.parse({ model })).toEqual({ model })
    expect(query.safeParse({ model: 'data_driven' }).success).toBe(false)
    expect(query.safeParse({ model: 'LAST_TOUCH' }).success).toBe(false)
  })
})

// Property tests. The conversion sits at a fixed instant; touches land around it, with extra weight on the
// window edges and on a few shared instants so that boundaries and ties in time come up often.
const conversionAt = Date.UTC(2025, 2, 10, 12)
const edges = [0, 1, hourMs, dayMs - 1, dayMs, 7 * dayMs - 1, 7 * dayMs, 28 * dayMs, -1, -hourMs]

const offset = fc.oneof(
  fc.integer({ min: -2 * dayMs, max: 95 * dayMs }),
  fc.constantFrom(...edges),
  fc.constantFrom(2 * hourMs, 3 * dayMs),
)
const touchArb = fc.record(
  {
    id: fc.stringMatching(/^[a-z0-9]{1,4}$/),
    campaignId: fc.constantFrom('A', 'B', 'C', 'D'),
    variantId: fc.constantFrom('v1', 'v2'),
    kind: fc.constantFrom('click', 'viewable', 'impression', 'close'),
    at: offset.map((age) => conversionAt - age),
  },
  { requiredKeys: ['id', 'campaignId', 'kind', 'at'] },
)
const touchesArb = fc.uniqueArray(touchArb, { selector: (t) => t.id, maxLength: 12 })

const settingsArb: fc.Arbitrary<AttributionSettings> = fc
  .record({
    clickWindowDays: fc.oneof(fc.constantFrom(1, 7, 28), fc.double({ min: 1, max: 90, noNaN: true })),
    viewWindowDays: fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 30, noNaN: true })),
    halfLifeDays: fc.oneof(fc.constantFrom(7, 1), fc.double({ min: 0.001, max: 90, noNaN: true })),
    ends: fc
      .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }))
      .filter(([first, last]) => first + last > 0 && first + last <= 100),
  })
  .map(({ ends: [first, last], ...rest }) =>
    attributionSettings.parse({
      ...rest,
      positionWeights: { first: first / 100, middle: (100 - first - last) / 100, last: last / 100 },
    }),
  )

const conversionArb: fc.Arbitrary<Conversion> = fc
  .oneof(fc.constantFrom(0, 1, 49.9), fc.double({ min: -1e6, max: 1e6, noNaN: true }))
  .map((value) => ({ at: conversionAt, value }))

/** The eligibility rule restated plainly, as the oracle the engine is checked against. */
function expectedEligibleIds(conversion: Conversion, touches: Touch[], settings: AttributionSettings) {
  const age = (t: Touch) => conversion.at - t.at
  const clicks = touches.filter(
    (t) => t.kind === 'click' && age(t) >= 0 && age(t) < settings.clickWindowDays * dayMs,
  )
  const views = touches.filter(
    (t) => t.kind === 'viewable' && age(t) >= 0 && age(t) < settings.viewWindowDays * dayMs,
  )
  return new Set((clicks.length > 0 ? clicks : views).map((t) => t.id))
}

const sum = (xs: number[]) => xs.reduce((total, x) => total + x, 0)

describe('attribution properties', () => {
  it('weights add up to 1 and values to the conversion value whenever a touch is eligible; none otherwise', () => {
    fc.assert(
      fc.property(conversionArb, touchesArb, settingsArb, (conversion, touches, settings) => {
        const eligible = expectedEligibleIds(conversion, touches, settings)
        for (const [model, credits] of Object.entries(attributeAll(conversion, touches, settings))) {
          if (eligible.size === 0) {
            expect(credits, model).toEqual([])
            continue
          }
          expect(Math.abs(sum(credits.map((c) => c.weight)) - 1), model).toBeLessThan(1e-9)
          const valueError = Math.abs(sum(credits.map((c) => c.value)) - conversion.value)
          expect(valueError, model).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(conversion.value)))
        }
      }),
    )
  })

  it('credits only eligible touches, each at most once, with a weight in (0, 1]', () => {
    fc.assert(
      fc.property(conversionArb, touchesArb, settingsArb, (conversion, touches, settings) => {
        const eligible = expectedEligibleIds(conversion, touches, settings)
        const byId = new Map(touches.map((t) => [t.id, t]))
        for (const credits of Object.values(attributeAll(conversion, touches, settings))) {
          const ids = credits.map((c) => c.touchId)
          expect(new Set(ids).size).toBe(ids.length)
          for (const credit of credits) {
            expect(eligible.has(credit.touchId)).toBe(true)
            expect(credit.weight).toBeGreaterThan(0)
            expect(credit.weight).toBeLessThanOrEqual(1)
            const touch = byId.get(credit.touchId)!
            expect(credit.campaignId).toBe(touch.campaignId)
            expect(credit.variantId).toBe(touch.variantId)
          }
        }
      }),
    )
  })

  it('every model gives a lone eligible click the whole credit, whatever ineligible touches surround it', () => {
    // Around one click inside its window: touches after the conversion, clicks past the window, and views,
    // impressions and closes of any age (views never count while a click is eligible).
    const noise = fc.oneof(
      touchArb.map((t) => ({ ...t, at: conversionAt + 1 + Math.abs(conversionAt - t.at) })),
      touchArb.map((t) => ({
        ...t,
        kind: 'click',
        at: conversionAt - 90 * dayMs - Math.abs(conversionAt - t.at),
      })),
      touchArb.filter((t) => t.kind !== 'click'),
    )
    fc.assert(
      fc.property(
        conversionArb,
        settingsArb,
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        fc.constantFrom('A', 'B', 'C', 'D'),
        fc.array(noise, { maxLength: 8 }),
        (conversion, settings, fraction, campaignId, others) => {
          const age = Math.floor(fraction * settings.clickWindowDays * dayMs)
          const lone: Touch = { id: 'lone', campaignId, kind: 'click', at: conversion.at - age }
          const touches = [lone, ...others.map((t, i) => ({ ...t, id: `n${i}` }))]
          for (const [model, credits] of Object.entries(attributeAll(conversion, touches, settings))) {
            expect(credits.map(roundCredit), model).toEqual([
              { campaignId, touchId: 'lone', weight: 1, value: round4(conversion.value) },
            ])
          }
        },
      ),
    )
  })

  it('does not depend on the order the touches are given in', () => {
    const shuffled = touchesArb.chain((touches) =>
      fc.tuple(
        fc.constant(touches),
        fc.shuffledSubarray(touches, { minLength: touches.length, maxLength: touches.length }),
      ),
    )
    fc.assert(
      fc.property(conversionArb, shuffled, settingsArb, (conversion, [touches, reordered], settings) => {
        expect(attributeAll(conversion, reordered, settings)).toEqual(
          attributeAll(conversion, touches, settings),
        )
      }),
    )
  })

  it('gives last and first touch to the two ends of the (time, id) ranking of eligible touches', () => {
    fc.assert(
      fc.property(conversionArb, touchesArb, settingsArb, (conversion, touches, settings) => {
        const eligible = expectedEligibleIds(conversion, touches, settings)
        const ranked = touches
          .filter((t) => eligible.has(t.id))
          .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1))
        const single = (model: AttributionModel) =>
          attribute(conversion, touches, model, settings)[0]?.touchId
        expect(single('first_touch')).toBe(ranked[0]?.id)
        expect(single('last_touch')).toBe(ranked.at(-1)?.id)
      }),
    )
  })

  it('never gives a later touch less time-decay credit than an earlier one', () => {
    fc.assert(
      fc.property(conversionArb, touchesArb, settingsArb, (conversion, touches, settings) => {
        const credits = attribute(conversion, touches, 'time_decay', settings)
        for (let i = 1; i < credits.length; i++) {
          expect(credits[i]!.weight).toBeGreaterThanOrEqual(credits[i - 1]!.weight)
        }
      }),
    )
  })
})
