import type { Cost } from '../schema/campaign'
import { typedNumber } from './typed-number'

/** The campaign's cost as typed: what ROAS, CPA and CPL divide by. */
export interface CostForm {
  amount: string
  currency: string
}

export function costFromCampaign(cost: Cost | null | undefined): CostForm {
  return cost ? { amount: String(cost.amount), currency: cost.currency } : { amount: '', currency: '' }
}

/**
 * A blank amount means no cost (the currency alone says nothing). Otherwise both go as typed, the code in
 * capitals, so the API refuses what is wrong (a missing or unknown code, text that is no number) at its field.
 */
export function costBody(form: CostForm): Cost | null {
  const amount = typedNumber(form.amount)
  if (amount === undefined) return null
  return { amount, currency: form.currency.trim().toUpperCase() }
}
