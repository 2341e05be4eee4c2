import { type Metrics, round4 } from '../../../api/core/kpis'
import type { TypeAnalytics } from '../../../api/promotion'
import {
  type CodeKpis,
  codeCost,
  codeKpis,
  noCodes as none,
} from '../../../api/services/analytics/promo-codes'

/** The commerce events the funnel reads, by Meta's standard names, as the campaign's unit or the page sends them. */
export const commerceEvents = {
  viewContent: 'ViewContent',
  addToCart: 'AddToCart',
  checkout: 'InitiateCheckout',
} as const

/**
 * The rollup metric of the page's own funnel events credited to a sales campaign by the visitor's last touch
 * (`funnel.ts`); the events that carry the campaign's id roll up under their own name. Never `credit:…`, so
 * they are not conversions.
 */
export const funnelMetric = (name: string) => `funnel:${name}`

const ratio = (part: number, whole: number) => (whole > 0 ? round4(part / whole) : 0)

/**
 * Sales' funnel, revenue and cost from one scope's rollup sums (the range, a variant or a bucket), its unique
 * visitors (`reach`, unknown for an hour's bucket) and its promo codes. Counts are events of the campaign (the
 * ones its unit sent, or the page with its campaign id) plus the page's own credited to it by the visitor's last
 * sales touch (`funnelMetric`); purchases and revenue are the conversions credited to
 * the campaign under the chosen attribution model. `spend` is the configured cost the scope carries (the
 * campaign's, in the totals only); the discount given is always added to it.
 */
export function salesKpis(
  metrics: Metrics | undefined,
  reach: number | undefined,
  codes: CodeKpis,
  spend: number | undefined,
) {
  const n = (name: string) => metrics?.get(name)?.n ?? 0
  // The campaign's own events (its unit's, or the page's with its id) and the page's credited to it by touch:
  // each event is one or the other, never both.
  const funnel = (name: string) => n(name) + n(funnelMetric(name))
  const credit = [...(metrics?.entries() ?? [])].find(([name]) => name.startsWith('credit:'))?.[1]
  const purchases = round4(credit?.n ?? 0)
  const revenue = round4(credit?.value ?? 0)
  const viewable = n('viewable')
  const addToCarts = funnel(commerceEvents.addToCart)
  const checkouts = funnel(commerceEvents.checkout)
  return {
    productViews: funnel(commerceEvents.viewContent),
    addToCarts,
    checkouts,
    purchases,
    revenue,
    /** AddToCart / viewable impressions. */
    addToCartRate: ratio(addToCarts, viewable),
    /** InitiateCheckout / AddToCart. */
    checkoutRate: ratio(checkouts, addToCarts),
    /** Credited purchases / unique visitors reached; null where the visitors are not known (hour buckets). */
    purchaseConversionRate: reach === undefined ? null : ratio(Math.min(purchases, reach), reach),
    /** (AddToCart − credited purchases) / AddToCart, never below 0. */
    cartAbandonmentRate: addToCarts > 0 ? round4(Math.max(0, addToCarts - purchases) / addToCarts) : 0,
    aov: ratio(revenue, purchases),
    rpv: reach === undefined ? null : ratio(revenue, reach),
    ...codeCost(spend, codes.discountGiven, purchases, revenue),
    ...codes,
  }
}

const numberOr = (value: unknown) => (typeof value === 'number' ? value : undefined)

/**
 * Adds sales' KPIs to a campaign's analytics answer, in the totals, every series bucket and every variant: the
 * funnel from the rollups (add-to-cart, checkout, purchase conversion and cart abandonment rates), AOV, RPV,
 * revenue, ROAS and CPA with the discount given counted as campaign cost (plus the configured cost, in the
 * totals), and the promo codes' revealed, redeemed, revenue and discount, from their rows of the range.
 */
export async function salesAnalytics(input: TypeAnalytics) {
  const { metrics, answer } = input
  const codes = await codeKpis(input)
  const configured = answer.totals.cost as { amount: number } | null | undefined
  Object.assign(
    answer.totals,
    salesKpis(metrics.total, numberOr(answer.totals.reach), codes.total, configured?.amount),
  )
  for (const bucket of answer.series) {
    const scope = codes.byBucket.get(Date.parse(bucket.t)) ?? none()
    Object.assign(bucket, salesKpis(metrics.byBucket.get(bucket.t), numberOr(bucket.reach), scope, undefined))
  }
  for (const variant of answer.byVariant) {
    const scope = codes.byVariant.get(variant.variantId) ?? none()
    Object.assign(
      variant,
      salesKpis(metrics.byVariant.get(variant.variantId), numberOr(variant.reach), scope, undefined),
    )
  }
}
