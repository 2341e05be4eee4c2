import type { RemarketingConfig } from '../config'
import type { RemarketingFill, RemarketingProduct } from '../decision'
import type { VisitorHistory } from './history'

const dayMs = 86_400_000

/**
 * Whether the visitor has converted since the campaign could have won them back: after their first impression of
 * it (the reminder did its work), or, for the audiences defined by not buying (cart abandoners, viewers), after
 * the views and carts that put them in it. The audience engine takes a converter out in the purchase's own batch;
 * this keeps serve from showing the reminder again in between, from the same read it makes anyway.
 */
export function convertedSince(config: RemarketingConfig, history: VisitorHistory): boolean {
  const converted = history.lastConversionAt
  if (converted === null) return false
  if (history.firstShownAt !== null && converted >= history.firstShownAt) return true
  const withoutBuying = config.audience.kind === 'cart_abandoners' || config.audience.kind === 'viewers'
  return (
    withoutBuying &&
    history.lastPurchaseAt !== null &&
    (history.lastTouchAt === null || history.lastPurchaseAt >= history.lastTouchAt)
  )
}

/** Message 2 is due: the sequence has one and `afterDays` have passed since the visitor's first impression. */
export function secondMessageDue(config: RemarketingConfig, history: VisitorHistory, now: number): boolean {
  if (!config.sequence || history.firstShownAt === null) return false
  return now - history.firstShownAt >= config.sequence.afterDays * dayMs
}

/**
 * A remarketing decision's `remarketing` field for one visitor, or undefined when it must not be served: the
 * visitor converted (see `convertedSince`), or the campaign shows the visitor's own products and they have none
 * left to show. Click URLs are added by the caller, which signs them.
 */
export function fillOf(
  config: RemarketingConfig,
  history: VisitorHistory,
  now: number,
): (Omit<RemarketingFill, 'products'> & { products?: Omit<RemarketingProduct, 'clickUrl'>[] }) | undefined {
  if (convertedSince(config, history)) return undefined
  const fill: Omit<RemarketingFill, 'products'> & { products?: Omit<RemarketingProduct, 'clickUrl'>[] } = {
    step: 1,
  }
  if (config.dynamicContent) {
    const products = history.products.slice(0, config.maxProducts).map((row) => {
      const product: Omit<RemarketingProduct, 'clickUrl'> = {
        id: row.productId,
        title: row.title,
        url: row.url,
      }
      if (row.imageUrl) product.imageUrl = row.imageUrl
      if (row.price !== null) product.price = row.price
      if (row.currency) product.currency = row.currency
      return product
    })
    if (products.length === 0) return undefined
    fill.products = products
  }
  if (config.sequence && secondMessageDue(config, history, now)) {
    const { afterDays: _afterDays, ...message } = config.sequence
    fill.step = 2
    fill.message = message
  }
  if (config.incentive) {
    const { type, value, currency, promoCode, uniqueCodes } = config.incentive
    fill.incentive = { type, value, currency }
    if (promoCode) fill.incentive.code = promoCode
    else if (uniqueCodes) fill.incentive.unique = true
  }
  return fill
}
