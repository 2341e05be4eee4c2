import { describe, expect, it } from 'vitest'
import { assignVariant, bucketOf } from './bucket'
import { chooseVariant, decide, type ServableCampaign } from './decide'

const campaign = (overrides: Partial<ServableCampaign> & { id: string }): ServableCampaign => ({
  type: 'awareness',
  format: 'hero',
  priority: 0,
  weight: 1,
  placements: ['home-hero'],
  schedule: { timezone: 'UTC' },
  targeting: {},
  config: {},
  variants: [{ id: `${overrides.id}-v1`, weight: 1, creative: { headline: 'Hi' } }],
  ...overrides,
})

const now = Date.parse('2026-11-29T12:00:00Z')
const visitor = { utm: {}, device: 'desktop' as const, url: 'https://a.example/' }
const input = (slots: string[], random = () => 0.5) => ({
  slots,
  anonymousId: 'visitor-1',
  now,
  random,
  visitor,
})

describe('decide', () => {
  it('fills a slot with the highest priority campaign that targets it', () => {
    const choices = decide(
      [
        campaign({ id: 'low', priority: 1 }),
        campaign({ id: 'high', priority: 5 }),
        campaign({ id: 'other', placements: ['sidebar'], priority: 9 }),
      ],
      input(['home-hero']),
    )
    expect(choices.map((c) => [c.slot, c.campaign.id])).toEqual([['home-hero', 'high']])
  })

  it('draws by weight inside a priority tier', () => {
    const pool = [campaign({ id: 'light', weight: 1 }), campaign({ id: 'heavy', weight: 3 })]
    expect(
      decide(
        pool,
        input(['home-hero'], () => 0.2),
      )[0]?.campaign.id,
    ).toBe('light')
    expect(
      decide(
        pool,
        input(['home-hero'], () => 0.3),
      )[0]?.campaign.id,
    ).toBe('heavy')
  })

  it('skips campaigns outside their schedule, including dayparting in their time zone', () => {
    const pool = [
      campaign({ id: 'ended', schedule: { timezone: 'UTC', end: '2026-11-01T00:00:00Z' } }),
      campaign({ id: 'future', schedule: { timezone: 'UTC', start: '2026-12-01T00:00:00Z' } }),
      // 12:00 UTC is 21:00 in Tokyo on a Sunday (day 0).
      campaign({
        id: 'morning-tokyo',
        schedule: { timezone: 'Asia/Tokyo', dayparting: [{ days: [0], from: '06:00', to: '12:00' }] },
      }),
    ]
    expect(decide(pool, input(['home-hero']))).toEqual([])
    const evening = campaign({
      id: 'evening-tokyo',
      schedule: { timezone: 'Asia/Tokyo', dayparting: [{ days: [0], from: '20:00', to: '23:00' }] },
    })
    expect(decide([...pool, evening], input(['home-hero']))[0]?.campaign.id).toBe('evening-tokyo')
  })

  it('leaves out campaigns whose targeting does not match the visitor', () => {
    const pool = [
      campaign({
        id: 'mobile-only',
        priority: 9,
        targeting: { include: { field: 'device', op: 'in', values: ['mobile'] } },
      }),
      campaign({
        id: 'not-home',
        priority: 5,
        targeting: { exclude: { field: 'url', op: 'equals', value: 'https://a.example/' } },
      }),
      campaign({ id: 'everyone' }),
    ]
    expect(decide(pool, input(['home-hero']))[0]?.campaign.id).toBe('everyone')
  })

  it('never shows one campaign twice on a page and adds page-level units once per position', () => {
    const pool = [
      campaign({ id: 'both', placements: ['a', 'b'] }),
      campaign({ id: 'bar-1', format: 'sticky', placements: [], priority: 1 }),
      campaign({ id: 'bar-2', format: 'sticky_bottom', placements: [] }),
      campaign({ id: 'modal', format: 'popup', placements: [] }),
    ]
    const choices = decide(pool, input(['a', 'b']))
    expect(choices.map((c) => c.campaign.id).sort()).toEqual(['bar-1', 'both', 'modal'])
    expect(choices.find((c) => c.campaign.id === 'both')?.slot).toBe('a')
    expect(choices.find((c) => c.campaign.id === 'modal')?.slot).toBeUndefined()
  })

  it('keeps a visitor on one variant and splits visitors by weight', () => {
    const ab = campaign({
      id: 'ab',
      variants: [
        { id: 'A', weight: 1, creative: { headline: 'A' } },
        { id: 'B', weight: 1, creative: { headline: 'B' } },
      ],
    })
    const first = chooseVariant(ab, 'visitor-42')?.id
    for (let i = 0; i < 5; i++) expect(chooseVariant(ab, 'visitor-42')?.id).toBe(first)
    let a = 0
    for (let i = 0; i < 10_000; i++) if (chooseVariant(ab, `visitor-${i}`)?.id === 'A') a++
    expect(a).toBeGreaterThan(4_700)
    expect(a).toBeLessThan(5_300)
  })

  it('takes the variant from the visitor’s bucket in an experiment salted with the campaign id', () => {
    const abc = campaign({
      id: 'abc',
      variants: ['A', 'B', 'C'].map((id, i) => ({ id, weight: i + 1, creative: { headline: id } })),
    })
    for (let i = 0; i < 100; i++) {
      const expected = assignVariant(abc.variants, bucketOf('abc', `visitor-${i}`))
      expect(chooseVariant(abc, `visitor-${i}`)?.id).toBe(expected)
    }
  })
})
