import type { Decision } from '../../schema/serve'

/**
 * What a sales decision carries beyond the generic decision: filled on the server after the engine chose the
 * campaign (promotions/sales/server, the type's `filler`) and read by the widget (promotions/sales/widget). Plain
 * types, no zod, so the widget chunk pays nothing for them.
 */

/** One line of a visitor's cart: what their `AddToCart` / `RemoveFromCart` / `Purchase` events' `contents` say. */
export interface CartLine {
  /** The product's id (SKU), as in `contents[].id` and the catalog. */
  id: string
  quantity: number
  /** Unit price, from the event's `item_price` or else the catalog. */
  price?: number
  /** From the catalog, when it knows the product. */
  title?: string
  url?: string
  imageUrl?: string
}

/** A visitor's open cart: items added and not yet bought, derived per session from their commerce events. */
export interface VisitorCart {
  items: CartLine[]
  /** Sum of price × quantity over the lines that have a price. */
  value: number
  currency?: string
  /** When the cart last changed (ISO 8601). */
  updatedAt: string
  /** True when the cart was left in an earlier session than the current one: a returning visitor's cart. */
  abandoned: boolean
}

/** A product the unit shows: from the config's `products`, else the catalog (by `productIds`). */
export interface ProductCard {
  id: string
  title: string
  url: string
  /** The signed click URL that leads to `url` (counts the click, then redirects). */
  clickUrl?: string
  imageUrl?: string
  price?: number
  compareAtPrice?: number
  currency?: string
  availability?: 'in_stock' | 'out_of_stock' | 'preorder' | 'backorder'
  /**
   * Stored purchases of this product in the config's `socialProof.windowHours`: present only when the config asks
   * for social proof and the count is at least its `minimum` (never a made-up number).
   */
  bought?: number
}

export interface SalesFill {
  /** The visitor's open cart, when they have one with at least one line. */
  cart?: VisitorCart
  products: ProductCard[]
  /**
   * Whether the campaign has a promo code to reveal (a live shared code or pool): the widget shows its
   * "Reveal code" button. Absent, the widget shows it when the config has a `discount`.
   */
  codes?: boolean
}

/** A decision of a sales campaign, as serve answers it. */
export type SalesDecision = Decision & { sales?: SalesFill }
