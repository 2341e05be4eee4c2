import type { Campaign } from '../api'

/**
 * A campaign as `GET /campaigns/:id` answers it, for admin tests: a paused awareness hero with two variants,
 * with `fields` over it.
 */
export const testCampaign = (fields: Partial<Campaign> = {}): Campaign => ({
  id: 'c1',
  siteId: 's1',
  name: 'Spring',
  type: 'awareness',
  status: 'paused',
  objective: null,
  priority: 5,
  weight: 1,
  placements: ['home-hero'],
  schedule: { timezone: 'Europe/Paris' },
  targeting: {},
  frequency: { countOn: 'viewable' },
  experiment: { holdoutPercent: 0 },
  pacing: null,
  cost: null,
  config: { format: 'hero', dismissible: true },
  variants: [
    { id: 'v1', name: 'A', weight: 1, creative: { headline: 'Spring is here' } },
    { id: 'v2', name: 'B', weight: 1, creative: { headline: 'Hello spring' } },
  ],
  createdBy: null,
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-02T00:00:00Z',
  ...fields,
})
