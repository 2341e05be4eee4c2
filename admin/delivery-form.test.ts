import { describe, expect, it } from 'vitest'
import { campaignTypes } from '../schema/campaign'
import { defaultExperiment, defaultFrequency } from '../schema/types/index'
import type { Campaign } from './api'
import { createBody, emptyForm } from './campaign-form'
import { deliveryBody, deliveryFromCampaign, newDelivery } from './delivery-form'
import { adminTypeOf } from './promotions'

const stored = {
  frequency: { perDay: 2, lifetime: 10, minHoursBetween: 1.5, countOn: 'serve', exemptFromFatigue: true },
  experiment: { salt: 'spring-2', holdoutPercent: 10, bandit: { metric: 'conversion' } },
  pacing: { impressionGoal: 50_000 },
} as const satisfies Pick<Campaign, 'frequency' | 'experiment' | 'pacing'>

describe('delivery form', () => {
  it('sends back the caps, experiment and pacing it loaded, unchanged', () => {
    const form = deliveryFromCampaign(stored as unknown as Campaign)
    expect(form).toMatchObject({ perDay: '2', perHour: '', bandit: 'conversion', impressionGoal: '50000' })
    expect(deliveryBody(form)).toEqual(stored)
  })

  it('starts a new campaign of each type with the caps and holdout the API would give it', () => {
    for (const type of campaignTypes) {
      const known = adminTypeOf(type)
      const form = {
        ...emptyForm(type, {}, false, known?.defaultFrequency, known?.defaultHoldoutPercent),
        name: 'Sale',
      }
      const body = createBody(form, {}, 'inline', 's1')
      expect(body.frequency, type).toEqual(defaultFrequency(type))
      expect(body.experiment, type).toEqual(defaultExperiment(type))
      expect(body.pacing).toBeNull()
    }
  })

  it('leaves blank caps out, clears pacing without a goal, and sends text that is no number as typed', () => {
    const body = deliveryBody({
      ...newDelivery(),
      perDay: '',
      perWeek: 'lots',
      holdoutPercent: '',
      salt: '  ',
      impressionGoal: ' ',
    })
    expect(body.frequency).toEqual({ perWeek: 'lots', countOn: 'viewable' })
    expect(body.experiment).toEqual({ holdoutPercent: 0 })
    expect(body.pacing).toBeNull()
  })
})
