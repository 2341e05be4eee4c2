import { describe, expect, it } from 'vitest'
import { audienceSummary } from './audience'

describe('the review’s sentence for a remarketing audience', () => {
  it('says each kind with its numbers, and who is left out', () => {
    expect(audienceSummary({ audience: { kind: 'cart_abandoners', lookbackDays: 7 } })).toBe(
      'Visitors who left a cart in the last 7 days without buying.',
    )
    expect(
      audienceSummary({
        audience: { kind: 'cart_abandoners', lookbackDays: 14, minCartValue: 40 },
        exclude: { convertedWithinDays: 30, segments: ['staff'] },
      }),
    ).toBe(
      'Visitors who left a cart worth at least 40 in the last 14 days without buying, leaving out those who converted in the last 30 days and members of staff.',
    )
    expect(
      audienceSummary({ audience: { kind: 'viewers', productIds: ['SKU-1'], minViews: 2, lookbackDays: 1 } }),
    ).toBe('Visitors who viewed the chosen products twice in the last day without buying.')
    expect(audienceSummary({ audience: { kind: 'past_buyers', lookbackDays: 180, minOrders: 3 } })).toBe(
      'Visitors who bought a product 3 times in the last 180 days.',
    )
    expect(audienceSummary({ audience: { kind: 'lapsed', inactiveDays: 60, buyersOnly: true } })).toBe(
      'Past buyers not seen for 60 days.',
    )
    expect(audienceSummary({ audience: { kind: 'saved', audienceId: 'x' } })).toBe(
      'Members of a saved audience.',
    )
    expect(audienceSummary({ audience: { kind: 'nonsense' } })).toBeUndefined()
  })
})
