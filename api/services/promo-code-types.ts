import type { CampaignType } from '../../schema/campaign'

/** What a promo code takes off an order: the campaign's discount or incentive. */
export interface CodeDiscount {
  type: 'percentage' | 'fixed_amount' | 'free_shipping'
  value: number
}

/** The terms a campaign's codes are redeemed under: its amounts' currency, and what a code takes off. */
export interface CodeTerms {
  currency: string
  discount?: CodeDiscount | undefined
}

/**
 * Which campaigns hand out promo codes (pools, shared codes, reveals, redemptions): the types that declare
 * `ServerType.promoCodes`, and a campaign's terms from its config. Built once by the composition root from the
 * registry.
 */
export interface PromoCodeTypes {
  /** The types whose campaigns have codes; the codes' routes accept campaigns of these types only. */
  types: readonly CampaignType[]
  /** A campaign's terms; undefined when its type has no codes or its stored config no longer validates. */
  terms(type: string, config: Record<string, unknown>): CodeTerms | undefined
}

export const noPromoCodeTypes: PromoCodeTypes = { types: [], terms: () => undefined }
