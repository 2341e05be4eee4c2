import type { ChartMetric } from '../../../admin/charts/shape'
import {
  formatAmount,
  formatCount,
  formatDecimal,
  formatMoney,
  formatRate,
  notAvailable,
} from '../../../admin/format'
import type { Kpi } from '../../../admin/kpi-cards'
import type { Totals } from '../../../admin/promotion-type'

/**
 * What the sales server adds to a campaign's analytics totals (server/kpis.ts). Each is optional: an answer from
 * a server without them still shows what it has.
 */
export interface SalesTotals {
  addToCarts?: number
  checkouts?: number
  purchases?: number
  addToCartRate?: number
  checkoutRate?: number
  purchaseConversionRate?: number | null
  cartAbandonmentRate?: number
  campaignCost?: number
  codesRevealed?: number
  codesRedeemed?: number
  promoRevenue?: number
  discountGiven?: number
}

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined

/**
 * The sales KPI cards: revenue and the funnel's rates, AOV and RPV, ROAS and CPA over the campaign's cost (its
 * configured cost plus the discount its codes gave), and the codes revealed, redeemed and the discount given.
 */
export function salesKpis(t: Totals): Kpi[] {
  const x = t as Totals & SalesTotals
  const purchases = num(x.purchases) ?? t.conversions
  const addToCarts = num(x.addToCarts) ?? 0
  const discount = num(x.discountGiven) ?? 0
  const cost = num(x.campaignCost) ?? (t.cost?.amount ?? 0) + discount
  const currency = t.cost?.currency
  const money = (value: number) => (currency ? formatMoney(value, currency) : formatAmount(value))
  const rate = (value: number | null | undefined, ready: boolean, missing: string, detail: string): Kpi => ({
    label: '',
    value: ready && value !== null && value !== undefined ? formatRate(value) : notAvailable,
    detail: ready ? detail : missing,
  })
  const conversionRate = num(x.purchaseConversionRate)
  return [
    {
      label: 'Revenue',
      value: formatAmount(t.revenue),
      detail: `from ${formatDecimal(purchases)} purchases`,
    },
    {
      ...rate(
        num(x.addToCartRate),
        t.viewableImpressions > 0,
        'No viewable impressions yet',
        `${formatCount(addToCarts)} adds to cart per viewable impression`,
      ),
      label: 'Add-to-cart rate',
    },
    {
      ...rate(
        num(x.checkoutRate),
        addToCarts > 0,
        'No adds to cart yet',
        `${formatCount(num(x.checkouts) ?? 0)} checkouts per add to cart`,
      ),
      label: 'Checkout rate',
    },
    {
      ...rate(conversionRate, t.reach > 0, 'Nobody reached yet', 'purchases per person reached'),
      label: 'Purchase conversion rate',
    },
    {
      ...rate(
        num(x.cartAbandonmentRate),
        addToCarts > 0,
        'No adds to cart yet',
        'adds to cart not followed by a purchase',
      ),
      label: 'Cart abandonment rate',
    },
    purchases > 0
      ? { label: 'Average order value', value: formatAmount(t.aov) }
      : { label: 'Average order value', value: notAvailable, detail: 'No purchases yet' },
    t.reach > 0
      ? { label: 'Revenue per visitor', value: formatAmount(t.rpv), detail: 'revenue per person reached' }
      : { label: 'Revenue per visitor', value: notAvailable, detail: 'Nobody reached yet' },
    t.roas === null || cost <= 0
      ? { label: 'ROAS', value: notAvailable, detail: 'No cost yet: no discount given and no cost set' }
      : {
          label: 'ROAS',
          value: `${formatDecimal(t.roas)}×`,
          detail: `revenue over a cost of ${money(cost)}, ${money(discount)} of it discount`,
        },
    t.cpa === null
      ? {
          label: 'Cost per acquisition',
          value: notAvailable,
          detail: purchases > 0 ? 'No cost yet' : 'No purchases yet',
        }
      : {
          label: 'Cost per acquisition',
          value: money(t.cpa),
          detail: 'cost, discount included, per purchase',
        },
    {
      label: 'Codes revealed',
      value: formatCount(num(x.codesRevealed) ?? 0),
      detail: 'promo codes shown to visitors',
    },
    {
      label: 'Codes redeemed',
      value: formatCount(num(x.codesRedeemed) ?? 0),
      detail: `orders worth ${formatAmount(num(x.promoRevenue) ?? 0)}`,
    },
    { label: 'Discount given', value: money(discount), detail: 'taken off orders by the codes' },
  ]
}

/** The rates the server adds to each series bucket (server/kpis.ts), charted over time. */
export const salesChartMetrics: readonly ChartMetric[] = [
  { key: 'revenue', label: 'Revenue', kind: 'amount' },
  { key: 'addToCartRate', label: 'Add-to-cart rate', kind: 'rate' },
  { key: 'checkoutRate', label: 'Checkout rate', kind: 'rate' },
  { key: 'cartAbandonmentRate', label: 'Cart abandonment rate', kind: 'rate' },
  { key: 'discountGiven', label: 'Discount given', kind: 'amount' },
]
