import { describe, expect, it } from 'vitest'
import { emptyTotals } from '../../../admin/testing/analytics'
import { remarketingKpis } from './kpis'

const byLabel = (totals: Parameters<typeof remarketingKpis>[0]) =>
  new Map(remarketingKpis(totals).map((kpi) => [kpi.label, kpi]))

describe('remarketing KPI cards', () => {
  it('reads the audience, the share reached and the carts recovered', () => {
    const cards = byLabel({
      ...emptyTotals({ conversions: 3, revenue: 150 }),
      audienceSize: 40,
      reachInAudience: 0.25,
      audienceReached: 10,
      abandonersReached: 8,
      recovered: 2,
      recoveryRate: 0.25,
    } as never)
    expect(cards.get('Audience size')).toMatchObject({ value: '40' })
    expect(cards.get('Reach in audience')).toMatchObject({ value: '25%', detail: '10 members reached' })
    expect(cards.get('Recovery rate')).toMatchObject({
      value: '25%',
      detail: '2 of 8 cart abandoners reached bought',
    })
    expect([...cards.keys()]).toEqual([
      'Audience size',
      'Reach in audience',
      'Recovery rate',
      'Conversions',
      'Revenue',
      'ROAS',
      'Cost per acquisition',
    ])
  })

  it('adds the incentive’s codes once any was revealed: redeemed of revealed, and the discount on the orders', () => {
    const cards = byLabel({
      ...emptyTotals(),
      codesRevealed: 12,
      codesRedeemed: 5,
      promoRevenue: 400,
      discountGiven: 40,
    } as never)
    expect(cards.get('Codes redeemed')).toMatchObject({ value: '5', detail: 'of 12 revealed' })
    expect(cards.get('Discount given')?.value).toMatch(/40/)
    expect(cards.get('Discount given')?.detail).toMatch(/400/)
    expect(byLabel(emptyTotals()).has('Codes redeemed')).toBe(false)
  })

  it('shows — with the reason, never a division by nothing', () => {
    const cards = byLabel(emptyTotals())
    expect(cards.get('Audience size')).toMatchObject({ value: '—' })
    expect(cards.get('Reach in audience')).toMatchObject({ value: '—', detail: 'No members yet' })
    expect(cards.get('Recovery rate')).toMatchObject({ value: '—', detail: 'No cart abandoners reached yet' })
  })
})
