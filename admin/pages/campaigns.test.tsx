// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { liftReadout } from '../../api/core/lift'
import type { Campaign, Overview } from '../api'
import { json, renderInto, settle } from '../testing/render'
import { testSite } from '../testing/site'
import { CampaignsPage } from './campaigns'

const markup = '<img src=x onerror=alert(1)>'

const site = testSite({
  id: 's1',
  name: 'Shop <b>bold</b>',
  publishableKey: 'pk_live_abc',
  allowedOrigins: ['https://shop.example'],
  createdAt: '2025-01-01T00:00:00Z',
})

function campaign(overrides: Partial<Campaign>): Campaign {
  return {
    id: 'c1',
    siteId: 's1',
    name: 'Winter sale',
    type: 'awareness',
    status: 'draft',
    objective: null,
    priority: 0,
    weight: 1,
    placements: [],
    schedule: { timezone: 'UTC' },
    targeting: {},
    frequency: { countOn: 'viewable' },
    experiment: { holdoutPercent: 0 },
    pacing: null,
    cost: null,
    config: { format: 'popup' },
    variants: [],
    createdBy: null,
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-02T00:00:00Z',
    ...overrides,
  }
}

const overview: Overview = {
  siteId: site.id,
  from: '2025-01-01T00:00:00.000Z',
  to: '2025-01-31T00:00:00.000Z',
  model: 'last_touch',
  totals: {
    visitors: 1520,
    visitorsExact: true,
    pageViews: 4810,
    impressions: 3000,
    clicks: 90,
    attributedConversions: 12.5,
    attributedRevenue: 830.4,
  },
  conversions: { Purchase: { count: 14, value: 910 } },
  lift: null,
  campaigns: [],
}

/** The campaign list for every campaigns request, and the site overview (or its failure). */
function stubApi(list: unknown, totals: Response = json(200, overview)) {
  const fetch = vi.fn(async (url: string) =>
    url.startsWith('/api/v1/analytics/overview') ? totals.clone() : json(200, list),
  )
  vi.stubGlobal('fetch', fetch)
  return fetch
}

const listCalls = (fetch: ReturnType<typeof stubApi>) =>
  fetch.mock.calls.map(([url]) => url).filter((url) => url.startsWith('/api/v1/campaigns'))

let unmount = () => {}

afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
  history.replaceState(null, '', '/')
})

describe('campaign list', () => {
  it('renders names from the API as text, never as markup', async () => {
    stubApi({ data: [campaign({ name: markup, status: 'active' })], nextCursor: null })
    const view = renderInto(<CampaignsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()

    const link = view.container.querySelector('tbody a')
    expect(link?.textContent).toBe(markup)
    expect(view.container.querySelector('img')).toBeNull()
    expect(view.container.querySelector('b')).toBeNull()
    expect(view.container.textContent).toContain('Shop <b>bold</b>')
  })

  it('asks for the chosen site and status, and offers the site picker only when there are several', async () => {
    history.replaceState(null, '', '/admin/campaigns?status=paused')
    const fetch = stubApi({ data: [], nextCursor: null })
    const other = { ...site, id: 's2', name: 'Blog' }

    const single = renderInto(<CampaignsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    await settle()
    expect(single.container.querySelector('#site-picker')).toBeNull()
    single.unmount()

    const several = renderInto(<CampaignsPage sites={[site, other]} site={other} onSiteChange={() => {}} />)
    unmount = several.unmount
    await settle()
    expect(several.container.querySelector('label[for="site-picker"]')?.textContent).toBe('Site')
    expect(listCalls(fetch).at(-1)).toBe('/api/v1/campaigns?siteId=s2&status=paused&limit=50')
    expect(several.container.textContent).toContain('No paused campaigns')
  })

  it('shows the site script tag with its publishable key', async () => {
    stubApi({ data: [], nextCursor: null })
    const view = renderInto(<CampaignsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()
    expect(view.container.querySelector('pre code')?.textContent).toBe(
      `<script async src="${location.origin}/sdk/promo.js" data-site="pk_live_abc"></script>`,
    )
  })

  it('heads the list with the site’s last 30 days, and keeps the list when those totals fail', async () => {
    const fetch = stubApi({ data: [campaign({})], nextCursor: null })
    const view = renderInto(<CampaignsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()

    const asked = new URL(
      String(fetch.mock.calls.find(([url]) => url.includes('/overview'))?.[0]),
      'http://admin.test',
    )
    expect(asked.searchParams.get('siteId')).toBe('s1')
    const cards = [...view.container.querySelectorAll('.overview .kpi')].map(
      (card) => `${card.querySelector('dt')?.textContent}: ${card.querySelector('dd')?.textContent}`,
    )
    expect(cards).toEqual([
      'Visitors: 1,520',
      'Page views: 4,810',
      'Impressions: 3,000',
      'Clicks: 90',
      'Conversions: 12.5',
      'Revenue: 830.40',
    ])
    view.unmount()

    stubApi(
      { data: [campaign({})], nextCursor: null },
      json(500, { error: { code: 'internal', message: 'Something went wrong on our side' } }),
    )
    const failed = renderInto(<CampaignsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = failed.unmount
    await settle()
    expect(failed.container.querySelector('.overview')?.textContent).toContain('could not be loaded')
    expect(failed.container.querySelector('[role="alert"]')).toBeNull()
    expect(failed.container.querySelector('tbody a')?.textContent).toBe('Winter sale')
  })

  it('says what all campaigns together add when the site has a global holdout', async () => {
    const arm = (visitors: number, converters: number) => ({
      visitors,
      converters,
      revenue: converters * 30,
      revenueSquares: converters * 900,
    })
    const lift = { ...liftReadout(arm(8000, 800), arm(2000, 100), 20), windowDays: 7 }
    stubApi({ data: [campaign({})], nextCursor: null }, json(200, { ...overview, lift }))
    const view = renderInto(<CampaignsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()
    const readout = view.container.querySelector('.overview [aria-labelledby="site-lift-title"]')
    expect(readout?.querySelector('h3')?.textContent).toBe('What campaigns add')
    expect(readout?.textContent).toContain(
      'Showing campaigns on this site added 400 conversions (95% interval',
    )
    expect(readout?.textContent).toContain('20% of visitors are held out from every campaign.')
  })
})

describe('campaign types on the list', () => {
  it('names each campaign’s type from the registry, offers every type, and marks those the server cannot show', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        if (url === '/api/v1/types')
          return json(200, {
            data: [
              { type: 'awareness', servable: true },
              { type: 'lead_generation', servable: true },
              { type: 'engagement', servable: false },
            ],
          })
        if (url.startsWith('/api/v1/analytics/overview')) return json(200, overview)
        return json(200, {
          data: [
            campaign({ id: 'c1', type: 'lead_generation', name: 'Guide' }),
            campaign({ id: 'c2', type: 'engagement', name: 'Poll' }),
          ],
          nextCursor: null,
        })
      }),
    )
    const view = renderInto(<CampaignsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()

    const rows = [...view.container.querySelectorAll('tbody tr')].map((row) =>
      row.querySelector('td')?.textContent?.trim(),
    )
    expect(rows).toEqual(['Lead generation', 'Engagement (not shown by this server yet)'])
    const offers = [...view.container.querySelectorAll('.type-list li')]
    expect(offers.map((li) => li.querySelector('a')?.getAttribute('href'))).toContain(
      '/admin/campaigns/new?type=engagement',
    )
    const engagement = offers.find((li) => li.textContent?.startsWith('New engagement'))
    expect(engagement?.textContent).toContain('Not shown by this server yet.')
    const awareness = offers.find((li) => li.textContent?.startsWith('New awareness'))
    expect(awareness?.textContent).not.toContain('Not shown')
  })
})
