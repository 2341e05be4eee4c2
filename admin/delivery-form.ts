import type { Experiment, Frequency, Pacing } from '../schema/campaign'
import type { Campaign } from './api'
import { typedNumber } from './typed-number'

export const capFields = ['perHour', 'perDay', 'perWeek', 'lifetime'] as const
export type CapField = (typeof capFields)[number]

export type BanditChoice = '' | 'click' | 'conversion'

/** How often, to whom and how fast the campaign is delivered: the Delivery section's inputs, as typed. */
export interface DeliveryForm {
  perHour: string
  perDay: string
  perWeek: string
  lifetime: string
  minHoursBetween: string
  countOn: 'viewable' | 'serve'
  exemptFromFatigue: boolean
  holdoutPercent: string
  /** '' splits by variant weight. */
  bandit: BanditChoice
  salt: string
  impressionGoal: string
}

const text = (value: number | undefined) => (value === undefined ? '' : String(value))

/**
 * A new campaign's delivery: the caps and holdout the API gives its type (schema/types/index.ts
 * `defaultFrequency` and `defaultExperiment`, as the admin registry states them), shown up front; no pacing.
 */
export function newDelivery(
  frequency: Frequency = { countOn: 'viewable' },
  holdoutPercent = 0,
): DeliveryForm {
  return {
    perHour: text(frequency.perHour),
    perDay: text(frequency.perDay),
    perWeek: text(frequency.perWeek),
    lifetime: text(frequency.lifetime),
    minHoursBetween: text(frequency.minHoursBetween),
    countOn: frequency.countOn === 'serve' ? 'serve' : 'viewable',
    exemptFromFatigue: frequency.exemptFromFatigue === true,
    holdoutPercent: String(holdoutPercent),
    bandit: '',
    salt: '',
    impressionGoal: '',
  }
}

export function deliveryFromCampaign({ frequency, experiment, pacing }: Campaign): DeliveryForm {
  return {
    perHour: text(frequency.perHour),
    perDay: text(frequency.perDay),
    perWeek: text(frequency.perWeek),
    lifetime: text(frequency.lifetime),
    minHoursBetween: text(frequency.minHoursBetween),
    countOn: frequency.countOn === 'serve' ? 'serve' : 'viewable',
    exemptFromFatigue: frequency.exemptFromFatigue === true,
    holdoutPercent: String(experiment.holdoutPercent),
    bandit: experiment.bandit?.metric ?? '',
    salt: experiment.salt ?? '',
    impressionGoal: text(pacing?.impressionGoal),
  }
}

export function deliveryBody(form: DeliveryForm): {
  frequency: Frequency
  experiment: Experiment
  pacing: Pacing | null
} {
  const frequency: Frequency = { countOn: form.countOn }
  for (const field of capFields) {
    const cap = typedNumber(form[field])
    if (cap !== undefined) frequency[field] = cap
  }
  const gap = typedNumber(form.minHoursBetween)
  if (gap !== undefined) frequency.minHoursBetween = gap
  if (form.exemptFromFatigue) frequency.exemptFromFatigue = true

  const experiment: Experiment = { holdoutPercent: typedNumber(form.holdoutPercent) ?? 0 }
  const salt = form.salt.trim()
  if (salt) experiment.salt = salt
  if (form.bandit) experiment.bandit = { metric: form.bandit }

  const goal = typedNumber(form.impressionGoal)
  return { frequency, experiment, pacing: goal === undefined ? null : { impressionGoal: goal } }
}
