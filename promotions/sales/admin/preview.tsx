import { object, textOf } from '../../../admin/config-fields'
import { Preview } from '../../../admin/preview'
import type { Config } from '../../../admin/promotion-type'
import type { Decision } from '../../../schema/serve'
import type { ProductCard, SalesDecision, SalesFill } from '../decision'
import { mount } from '../widget/index'
import { withDefaults } from './editor'

const numberOr = (value: unknown) => (typeof value === 'number' ? value : undefined)

/**
 * What the server would fill for a visitor, made from the config alone: its products as cards (a purchase count at
 * the social-proof minimum, to show where it goes), a cart part of the way to free shipping, or the first products
 * as a cart left behind; the code button when there is a discount.
 */
export function sampleFill(config: Config): SalesFill {
  const currency = textOf(config.currency) || undefined
  const proof = config.socialProof === undefined ? undefined : numberOr(object(config.socialProof).minimum)
  const products: ProductCard[] = (Array.isArray(config.products) ? config.products : []).map(
    (item, index) => {
      const p = object(item)
      return {
        id: textOf(p.id) || `product-${index + 1}`,
        title: textOf(p.name) || `Product ${index + 1}`,
        url: textOf(p.url) || 'https://example.com/',
        imageUrl: textOf(p.imageUrl) || undefined,
        price: numberOr(p.price),
        compareAtPrice: numberOr(p.compareAtPrice),
        currency,
        bought: proof,
      }
    },
  )
  const shown = products.length
    ? products
    : [{ id: 'sample', title: 'Your product', url: 'https://example.com/', price: 25 }]
  const threshold = numberOr(config.freeShippingThreshold) ?? 0
  const items =
    config.nudge === 'free_shipping'
      ? [{ id: 'sample', quantity: 1, price: Math.round(threshold * 0.6 * 100) / 100 }]
      : shown.slice(0, 2).map((card) => ({ ...card, quantity: 1 }))
  const value = items.reduce((sum, line) => sum + (line.price ?? 0) * line.quantity, 0)
  return {
    products: shown,
    cart: { items, value, currency, updatedAt: new Date(0).toISOString(), abandoned: true },
    codes: config.discount !== undefined,
  }
}

/** The unit as visitors see it: the sales widget itself in the admin's mock page, with a sample visitor's fill. */
export function SalesPreview({ decision }: { decision: Decision }) {
  const config = withDefaults(decision.config)
  const filled: SalesDecision = { ...decision, config, sales: sampleFill(config) }
  return <Preview decision={filled} mount={mount} />
}
