// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Analytics, Campaign } from '../api'
import { emptyTotals } from '../testing/analytics'
import { json, renderInto, settle } from '../testing/render'
import { testSite } from '../testing/site'
import { daysSince, ExperimentsPage, isExperiment } from './experiments'

const site = testSite({ id: 's1', name: 'Shop' })

function campaign(id: string, name: string, variants: number, holdoutPercent = 0): Campaign {
  return {
    id,
    siteId: 's1',
    name,
    type: 'awareness',
    status: 'active',
    objective: null,
    priority: 0,
    weight: 1,
    placements: ['home-hero'],
    schedule: { timezone: 'UTC' },
    targeting: {},
    frequency: { countOn: 'viewable' },
    experiment: { holdoutPercent },
    pacing: null,
    cost: null,
    config: { format: 'hero' },
    variants: Array.from({ length: variants }, (_, i) => ({
      id: `${id}-v${i}`,
      name: String.fromCharCode(65 + i),
      weight: 1,
      position: i,
      creative: { headline: 'Hello' },
    })) as Campaign['variants'],
    createdBy: null,
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-02T00:00:00Z',
  }
}

function variant(
  id: string,
  name: string,
  reach: number,
  conversions: number,
): Analytics['byVariant'][number] {
  return {
    variantId: id,
    name,
    reach,
    conversions,
    conversionRate: conversions / reach,
    impressions: reach,
    viewableImpressions: reach,
    clicks: 0,
    ctr: 0,
    revenue: 0,
  }
}

function analytics(
  id: string,
  experiment: Analytics['experiment'],
  byVariant: Analytics['byVariant'],
): Analytics {
  return {
    campaignId: id,
    type: 'awareness',
    from: '2025-01-01T00:00:00.000Z',
    to: '2025-01-31T00:00:00.000Z',
    interval: 'day',
    model: 'last_touch',
    totals: emptyTotals(),
    reachExact: true,
    series: [],
    variantSeries: [],
    byVariant,
    frequencyDistribution: [],
    experiment,
  }
}

const winner = analytics(
  'c1',
  {
    holdoutPercent: 0,
    bandit: null,
    srm: { chiSquare: 0.2, pValue: 0.65, mismatch: false },
    control: 'c1-v0',
    comparisons: [
      {
        variantId: 'c1-v1',
        metric: 'conversionRate',
        difference: 0.05,
        ci95: { low: 0.02, high: 0.08 },
        lift: 0.5,
        significant: true,
      },
    ],
    lift: null,
  },
  [variant('c1-v0', 'A', 1000, 100), variant('c1-v1', 'B', 1000, 150)],
)

const broken = analytics(
  'c3',
  {
    holdoutPercent: 10,
    bandit: null,
    srm: { chiSquare: 50, pValue: 1e-10, mismatch: true },
    control: 'c3-v0',
    comparisons: [
      {
        variantId: 'c3-v1',
        metric: 'conversionRate',
        difference: 0.01,
        ci95: { low: -0.01, high: 0.03 },
        lift: 0.1,
        significant: false,
      },
    ],
    lift: null,
  },
  [variant('c3-v0', 'A', 1000, 100), variant('c3-v1', 'B', 500, 55)],
)

let unmount = () => {}

afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
})

function stub(campaigns: Campaign[], answers: Record<string, Analytics | 'fail'>) {
  const fetch = vi.fn(async (url: string) => {
    if (url.startsWith('/api/v1/campaigns?')) return json(200, { data: campaigns, nextCursor: null })
    const id = /^\/api\/v1\/campaigns\/([^/]+)\/analytics/.exec(url)?.[1]
    const answer = id ? answers[id] : undefined
    if (answer === 'fail') return json(404, { error: { code: 'not_found', message: 'Campaign not found' } })
    if (answer) return json(200, answer)
    return json(404, { error: { code: 'not_found', message: 'Not found' } })
  })
  vi.stubGlobal('fetch', fetch)
  return fetch
}

describe('experiments page', () => {
  it('lists the site’s active campaigns that test something, each with its status and readout', async () => {
    const fetch = stub(
      [
        campaign('c1', 'Hero test', 2),
        campaign('c2', 'Single banner', 1),
        campaign('c3', 'Popup holdout', 2, 10),
      ],
      { c1: winner, c3: broken },
    )
    const view = renderInto(<ExperimentsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()

    const listed = String(fetch.mock.calls[0]?.[0])
    expect(listed).toContain('siteId=s1')
    expect(listed).toContain('status=active')
    // The one-variant campaign without a holdout is no experiment and is not asked for.
    expect(fetch.mock.calls.map(([url]) => String(url)).some((url) => url.includes('/c2/'))).toBe(false)

    const sections = [...view.container.querySelectorAll('section.card')]
    expect(sections.map((section) => section.querySelector('h2')?.textContent)).toEqual([
      'Hero test',
      'Popup holdout',
    ])
    expect(sections[0]?.querySelector('h2 a')?.getAttribute('href')).toBe('/admin/campaigns/c1/results')
    expect(sections[0]?.getAttribute('aria-labelledby')).toBe('experiment-c1')
    expect(sections[0]?.querySelector('.experiment-status strong')?.textContent).toBe('B wins')
    expect(sections[0]?.textContent).toContain('B converts 5.0 points better than A')
    expect(sections[1]?.querySelector('.experiment-status strong')?.textContent).toBe(
      'Sample ratio mismatch: check the setup',
    )
    expect(sections[1]?.textContent).toContain('10% of visitors see nothing')
    // Each readout is read since its campaign was created, so not only the last 30 days.
    const asked = fetch.mock.calls.map(([url]) => String(url)).find((url) => url.includes('/c1/analytics'))!
    const params = new URL(asked, 'http://admin.test').searchParams
    expect(params.get('model')).toBe('last_touch')
    expect((Date.parse(params.get('to')!) - Date.parse(params.get('from')!)) / 86_400_000).toBe(400)
  })

  it('says so when nothing is being tested, and shows a campaign whose results fail with the reason', async () => {
    stub([campaign('c2', 'Single banner', 1)], {})
    const empty = renderInto(<ExperimentsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = empty.unmount
    await settle()
    expect(empty.container.textContent).toContain('No experiment is running on this site.')
    unmount()

    stub([campaign('c1', 'Hero test', 2)], { c1: 'fail' })
    const failed = renderInto(<ExperimentsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = failed.unmount
    await settle()
    const section = failed.container.querySelector('[aria-labelledby="experiment-c1"]')
    expect(section?.querySelector('.alert-error')?.textContent).toBe('Campaign not found')
    expect(failed.container.textContent).not.toContain('No experiment is running')
  })

  it('tells when the campaigns cannot be loaded', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json(500, { error: { code: 'internal', message: 'Something went wrong' } })),
    )
    const view = renderInto(<ExperimentsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()
    expect(view.container.querySelector('[role="alert"]')?.textContent).toBe('Something went wrong')
  })
})

describe('which campaigns are experiments', () => {
  it('counts two variants or a holdout, and reads them since creation, at most 400 days', () => {
    expect(isExperiment(campaign('a', 'A', 2))).toBe(true)
    expect(isExperiment(campaign('a', 'A', 1, 5))).toBe(true)
    expect(isExperiment(campaign('a', 'A', 1))).toBe(false)
    const now = new Date('2025-03-10T15:00:00Z')
    expect(daysSince('2025-03-10T01:00:00Z', now)).toBe(1)
    expect(daysSince('2025-03-01T23:00:00Z', now)).toBe(10)
    expect(daysSince('2020-01-01T00:00:00Z', now)).toBe(400)
  })
})
