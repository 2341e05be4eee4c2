import { describe, expect, it } from 'vitest'
import { emptyTotals } from '../../../admin/testing/analytics'
import { type SalesTotals, salesKpis } from './kpis'

const cardsOf = (totals: ReturnType<typeof emptyTotals> & SalesTotals) =>
  new Map(salesKpis(totals).map((kpi) => [kpi.label, kpi]))

describe('sales KPI cards', () => {
  it("show the server's funnel, ROAS and CPA over the cost with the discount, and the codes", () => {
    const cards = cardsOf({
      ...emptyTotals({
        viewableImpressions: 40,
        reach: 50,
        conversions: 2.5,
        revenue: 300,
        aov: 120,
        rpv: 6,
        roas: 2,
        cpa: 60,
        cost: { amount: 128, currency: 'EUR' },
      }),
      addToCarts: 10,
      checkouts: 4,
      purchases: 2.5,
      addToCartRate: 0.25,
      checkoutRate: 0.4,
      purchaseConversionRate: 0.05,
      cartAbandonmentRate: 0.75,
      campaignCost: 150,
      codesRevealed: 6,
      codesRedeemed: 2,
      promoRevenue: 220,
      discountGiven: 22,
    })
    expect(cards.get('Add-to-cart rate')?.value).toBe('25%')
    expect(cards.get('Checkout rate')?.value).toBe('40%')
    expect(cards.get('Purchase conversion rate')?.value).toBe('5%')
    expect(cards.get('Cart abandonment rate')?.value).toBe('75%')
    expect(cards.get('ROAS')?.value).toBe('2×')
    expect(cards.get('ROAS')?.detail).toMatch(/150.*22.*discount/)
    expect(cards.get('Cost per acquisition')?.value).toMatch(/60/)
    expect(cards.get('Codes revealed')?.value).toBe('6')
    expect(cards.get('Codes redeemed')?.value).toBe('2')
    expect(cards.get('Discount given')?.value).toMatch(/22/)
  })

  it('say what is missing instead of showing 0% or a ROAS without a cost', () => {
    const cards = cardsOf(emptyTotals())
    for (const label of [
      'Add-to-cart rate',
      'Checkout rate',
      'Purchase conversion rate',
      'Cart abandonment rate',
      'Average order value',
      'ROAS',
      'Cost per acquisition',
    ]) {
      expect(cards.get(label)?.value, label).toBe('—')
      expect(cards.get(label)?.detail, label).toBeTruthy()
    }
    expect(cards.get('Checkout rate')?.detail).toBe('No adds to cart yet')
  })
})
