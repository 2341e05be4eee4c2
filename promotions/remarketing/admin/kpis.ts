import type { ChartMetric } from '../../../admin/charts/shape'
import { formatAmount, formatCount, formatRate, notAvailable } from '../../../admin/format'
import type { Kpi } from '../../../admin/kpi-cards'
import type { Totals } from '../../../admin/promotion-type'
import { cards } from '../../../admin/results-kpis'

/** What the remarketing server adds to a campaign's analytics totals (server/kpis.ts); absent on older answers. */
export interface RemarketingTotals {
  audienceSize?: number
  reachInAudience?: number
  audienceReached?: number
  abandonersReached?: number
  recovered?: number
  recoveryRate?: number
  codesRevealed?: number
  codesRedeemed?: number
  promoRevenue?: number
  discountGiven?: number
}

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined

/**
 * Remarketing's cards: the audience's size and how much of it the campaign reached, the cart abandoners it
 * recovered, then the conversions, revenue, ROAS and cost per acquisition every campaign has.
 */
export function remarketingKpis(t: Totals): Kpi[] {
  const x = t as Totals & RemarketingTotals
  const size = num(x.audienceSize)
  const abandoners = num(x.abandonersReached) ?? 0
  return [
    {
      label: 'Audience size',
      value: size === undefined ? notAvailable : formatCount(size),
      detail: 'members now',
    },
    {
      label: 'Reach in audience',
      value: size ? formatRate(num(x.reachInAudience) ?? 0) : notAvailable,
      detail: size ? `${formatCount(num(x.audienceReached) ?? 0)} members reached` : 'No members yet',
    },
    {
      label: 'Recovery rate',
      value: abandoners > 0 ? formatRate(num(x.recoveryRate) ?? 0) : notAvailable,
      detail:
        abandoners > 0
          ? `${formatCount(num(x.recovered) ?? 0)} of ${formatCount(abandoners)} cart abandoners reached bought`
          : 'No cart abandoners reached yet',
    },
    cards.conversions(t),
    cards.revenue(t),
    cards.roas(t),
    cards.cpa(t),
    ...codeCards(x),
  ]
}

/** The incentive's codes, once any was revealed: how many were used and what they took off the orders. */
function codeCards(x: RemarketingTotals): Kpi[] {
  const revealed = num(x.codesRevealed) ?? 0
  const redeemed = num(x.codesRedeemed) ?? 0
  if (revealed === 0 && redeemed === 0) return []
  return [
    {
      label: 'Codes redeemed',
      value: formatCount(redeemed),
      detail: `of ${formatCount(revealed)} revealed`,
    },
    {
      label: 'Discount given',
      value: formatAmount(num(x.discountGiven) ?? 0),
      detail: `on ${formatAmount(num(x.promoRevenue) ?? 0)} of orders`,
    },
  ]
}

/** What the server adds to each series bucket, charted over time. */
export const remarketingChartMetrics: readonly ChartMetric[] = [
  { key: 'audienceReached', label: 'Members reached', kind: 'count' },
  { key: 'recovered', label: 'Carts recovered', kind: 'count' },
  { key: 'recoveryRate', label: 'Recovery rate', kind: 'rate' },
  { key: 'codesRedeemed', label: 'Codes redeemed', kind: 'count' },
  { key: 'revenue', label: 'Revenue', kind: 'amount' },
]
