// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import type { Campaign } from './api'
import {
  bodyFromForm,
  createBody,
  emptyForm,
  formFromCampaign,
  fromLocalInput,
  previewDecision,
} from './campaign-form'

const campaign: Campaign = {
  id: 'c1',
  siteId: 's1',
  name: 'Spring',
  type: 'awareness',
  status: 'draft',
  objective: null,
  priority: 5,
  weight: 1,
  placements: ['home-hero', 'blog'],
  schedule: {
    timezone: 'Europe/Paris',
    start: '2025-03-01T08:00:00.000Z',
    dayparting: [{ days: [1, 2], from: '09:00', to: '17:00' }],
  },
  targeting: {},
  frequency: { countOn: 'viewable' },
  experiment: { holdoutPercent: 0 },
  pacing: null,
  cost: null,
  config: { format: 'hero', dismissible: false, animation: 'fade' },
  variants: [
    {
      id: 'v1',
      name: 'A',
      weight: 3,
      creative: { headline: 'Spring', videoUrl: 'https://cdn.example/v.mp4', backgroundColor: '#fff' },
    },
  ],
  createdBy: null,
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-02T00:00:00Z',
}

describe('campaign form', () => {
  it('sends back what it does not edit: variant ids, other creative fields, dayparting, other config', () => {
    const body = bodyFromForm(formFromCampaign(campaign), campaign)
    expect(body.variants).toEqual([
      {
        id: 'v1',
        name: 'A',
        weight: 3,
        creative: { headline: 'Spring', videoUrl: 'https://cdn.example/v.mp4', backgroundColor: '#fff' },
      },
    ])
    expect(body.schedule).toEqual(campaign.schedule)
    expect(body.config).toEqual({ format: 'hero', dismissible: false, animation: 'fade' })
    expect(body.placements).toEqual(['home-hero', 'blog'])
    expect(body.priority).toBe(5)
  })

  it('splits placements on commas for slot formats and sends none for page-level formats', () => {
    const form = { ...emptyForm(), name: 'Sale', placements: ' home-hero, ,blog-inline ' }
    expect(createBody(form, 's1').placements).toEqual(['home-hero', 'blog-inline'])
    expect(createBody({ ...form, format: 'popup' }, 's1').placements).toEqual([])
  })

  it('creates an awareness campaign with empty optional creative fields left out', () => {
    const form = emptyForm()
    const variant = form.variants[0]!
    variant.creative.headline = '  Winter sale '
    variant.creative.ctaUrl = 'https://shop.example/sale'
    const body = createBody(
      { ...form, name: 'Winter', format: 'sticky_bottom', start: '2025-12-01T09:30' },
      's1',
    )
    expect(body).toMatchObject({
      siteId: 's1',
      type: 'awareness',
      config: { format: 'sticky_bottom', dismissible: true },
      schedule: { start: fromLocalInput('2025-12-01T09:30') },
      variants: [
        { name: 'A', weight: 1, creative: { headline: 'Winter sale', ctaUrl: 'https://shop.example/sale' } },
      ],
    })
    expect(Object.keys(body.variants[0]?.creative ?? {})).toEqual(['headline', 'ctaUrl'])
    expect(body.schedule.end).toBeUndefined()
  })

  it('previews the chosen variant as typed, with the creative fields the editor does not show', () => {
    const form = formFromCampaign(campaign)
    Object.assign(form.variants[0]!.creative, { headline: ' ', ctaUrl: ' https://shop.example ', body: '' })
    const decision = previewDecision(form, 0, 'c1')
    expect(decision).toMatchObject({ slot: 'home-hero', campaignId: 'c1', variantId: 'v1', format: 'hero' })
    expect(decision.creative).toEqual({
      headline: 'Your headline',
      ctaUrl: 'https://shop.example',
      videoUrl: 'https://cdn.example/v.mp4',
      backgroundColor: '#fff',
    })
    expect(previewDecision({ ...form, format: 'popup' }, 0).slot).toBeUndefined()
  })
})
