// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import type { Campaign } from './api'
import {
  bodyFromForm,
  configFrom,
  createBody,
  emptyForm,
  formFromCampaign,
  fromLocalInput,
  previewDecision,
} from './campaign-form'

const bannerConfig = { format: 'hero', dismissible: true }
const newBanner = () => emptyForm('awareness', bannerConfig, false)

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
    const form = formFromCampaign(campaign, false)
    const body = bodyFromForm(form, form.config, 'hero', campaign)
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
    const form = { ...newBanner(), name: 'Sale', placements: ' home-hero, ,blog-inline ' }
    expect(createBody(form, bannerConfig, 'hero', 's1').placements).toEqual(['home-hero', 'blog-inline'])
    expect(createBody(form, bannerConfig, 'popup', 's1').placements).toEqual([])
  })

  it('creates an awareness campaign with empty optional creative fields left out', () => {
    const form = newBanner()
    const variant = form.variants[0]!
    variant.creative.headline = '  Winter sale '
    variant.creative.ctaUrl = 'https://shop.example/sale'
    const config = { format: 'sticky_bottom', dismissible: true }
    const body = createBody(
      { ...form, name: 'Winter', config, start: '2025-12-01T09:30' },
      config,
      'sticky_bottom',
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
    expect(body.schedule?.end).toBeUndefined()
  })

  it('previews the chosen variant as typed, with the creative fields the editor does not show', () => {
    const form = formFromCampaign(campaign, false)
    Object.assign(form.variants[0]!.creative, { headline: ' ', ctaUrl: ' https://shop.example ', body: '' })
    const decision = previewDecision(form, form.config, 'hero', 0, 'c1')
    expect(decision).toMatchObject({ slot: 'home-hero', campaignId: 'c1', variantId: 'v1', format: 'hero' })
    expect(decision.creative).toEqual({
      headline: 'Your headline',
      ctaUrl: 'https://shop.example',
      videoUrl: 'https://cdn.example/v.mp4',
      backgroundColor: '#fff',
    })
    expect(decision.config).toEqual(campaign.config)
    expect(previewDecision(form, form.config, 'popup', 0).slot).toBeUndefined()
  })

  it('creates a campaign of the form’s type, with the config it is given', () => {
    const form = { ...emptyForm('engagement', { engagementTypes: ['like'] }, false), name: 'Poll' }
    expect(createBody(form, form.config, 'inline', 's1')).toMatchObject({
      type: 'engagement',
      config: { engagementTypes: ['like'] },
    })
  })

  it('reads a config typed as JSON, and names the problem at `config` when it is not a JSON object', () => {
    const form = emptyForm('sales', {}, true)
    expect(form.configText).toBe('{}')
    expect(configFrom({ ...form, configText: '{"format": "inline"}' })).toEqual({
      config: { format: 'inline' },
    })
    const broken = configFrom({ ...form, configText: '{"format": ' })
    expect('problem' in broken && broken.problem.path).toBe('config')
    const list = configFrom({ ...form, configText: '[1]' })
    expect('problem' in list && list.problem.message).toContain('JSON object')
    expect(formFromCampaign(campaign, true).configText).toBe(JSON.stringify(campaign.config, null, 2))
  })
})
