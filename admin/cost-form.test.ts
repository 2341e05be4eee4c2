import { describe, expect, it } from 'vitest'
import { costBody, costFromCampaign } from './cost-form'

describe('cost form', () => {
  it('round-trips a stored cost', () => {
    const cost = { amount: 1250.5, currency: 'EUR' }
    expect(costFromCampaign(cost)).toEqual({ amount: '1250.5', currency: 'EUR' })
    expect(costBody(costFromCampaign(cost))).toEqual(cost)
  })

  it('sends no cost while the amount is blank, whatever the currency', () => {
    expect(costFromCampaign(null)).toEqual({ amount: '', currency: '' })
    expect(costBody({ amount: ' ', currency: 'EUR' })).toBeNull()
  })

  it('sends the code in capitals, and what the API must refuse as typed so it names the field', () => {
    expect(costBody({ amount: '0', currency: ' usd ' })).toEqual({ amount: 0, currency: 'USD' })
    expect(costBody({ amount: '120', currency: '' })).toEqual({ amount: 120, currency: '' })
    expect(costBody({ amount: 'lots', currency: 'EUR' })).toEqual({ amount: 'lots', currency: 'EUR' })
  })
})
