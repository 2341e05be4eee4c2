import type { Analytics } from '../api'

type Totals = Analytics['totals']

/** A period with nothing in it, in the API's full shape; tests set only what they are about. */
export function emptyTotals(overrides: Partial<Totals> = {}): Totals {
  return {
    impressions: 0,
    viewableImpressions: 0,
    viewableRate: 0,
    reach: 0,
    frequency: 0,
    clicks: 0,
    ctr: 0,
    closes: 0,
    video: { plays: 0, quartile25: 0, quartile50: 0, quartile75: 0, quartile100: 0, completionRate: 0 },
    interactions: {
      reactions: 0,
      shares: 0,
      comments: 0,
      votes: 0,
      engagements: 0,
      engagementRate: 0,
      reactionRate: 0,
      shareRate: 0,
      commentRate: 0,
      shareLandings: 0,
      amplification: 0,
    },
    forms: {
      views: 0,
      starts: 0,
      submits: 0,
      startRate: 0,
      completionRate: 0,
      abandonmentRate: 0,
      dropOffByField: [],
    },
    landing: {
      sessions: 0,
      bounceRate: 0,
      averageTimeOnPage: 0,
      scroll25: 0,
      scroll50: 0,
      scroll75: 0,
      scroll100: 0,
    },
    rsvps: 0,
    conversions: 0,
    revenue: 0,
    aov: 0,
    rpv: 0,
    cost: null,
    roas: null,
    cpa: null,
    cpl: null,
    ...overrides,
  }
}
