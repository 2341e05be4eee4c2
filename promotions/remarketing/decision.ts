import type { Decision } from '../../schema/serve'

/**
 * What a remarketing decision carries beyond the generic decision: filled on the server after the engine chose
 * the campaign (promotions/remarketing/server, the type's `filler`) and read by the widget. Plain types, no zod,
 * so the widget chunk pays nothing for them.
 */

/** One of the visitor's own products: one they viewed or left in the cart, as the catalog knows it. */
export interface RemarketingProduct {
  id: string
  title: string
  url: string
  /** The signed click URL that leads to `url` (counts the click, then redirects). */
  clickUrl?: string
  imageUrl?: string
  price?: number
  currency?: string
}

/** The incentive as the unit shows it: what it is worth and its code, when the campaign has one. */
export interface RemarketingIncentive {
  type: 'percentage' | 'fixed_amount' | 'free_shipping'
  value: number
  /** The incentive's amounts' currency. */
  currency?: string
  /** The config's shared code, shown as it is. */
  code?: string
  /** The visitor's own code of the campaign's pool, revealed on request (`POST /promo-codes/reveal`). */
  unique?: true
}

/** The sequence's message 2, replacing the variant's headline, body and button text. */
export interface RemarketingMessage {
  headline: string
  body?: string
  ctaText?: string
}

export interface RemarketingFill {
  /** Which message of the sequence this is: 1 (the variant's creative) or 2 (`message`). */
  step: 1 | 2
  message?: RemarketingMessage
  /** The visitor's own products, newest first; present when the config asks for dynamic content. */
  products?: RemarketingProduct[]
  incentive?: RemarketingIncentive
}

/** A decision of a remarketing campaign, as serve answers it. */
export type RemarketingDecision = Decision & { remarketing?: RemarketingFill }
