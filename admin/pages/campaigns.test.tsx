// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Campaign, Site } from '../api'
import { json, renderInto, settle } from '../test-render'
import { CampaignsPage } from './campaigns'

const markup = '<img src=x onerror=alert(1)>'

const site: Site = {
  id: 's1',
  name: 'Shop <b>bold</b>',
  publishableKey: 'pk_live_abc',
  allowedOrigins: ['https://shop.example'],
  createdAt: '2025-01-01T00:00:00Z',
}

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
    config: { format: 'popup' },
    variants: [],
    createdBy: null,
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-02T00:00:00Z',
    ...overrides,
  }
}

let unmount = () => {}

afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
  history.replaceState(null, '', '/')
})

describe('campaign list', () => {
  it('renders names from the API as text, never as markup', async () => {
    const fetch = vi.fn(async () =>
      json(200, { data: [campaign({ name: markup, status: 'active' })], nextCursor: null }),
    )
    vi.stubGlobal('fetch', fetch)
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
    const fetch = vi.fn(async (_url: string) => json(200, { data: [], nextCursor: null }))
    vi.stubGlobal('fetch', fetch)
    const other = { ...site, id: 's2', name: 'Blog' }

    const single = renderInto(<CampaignsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    await settle()
    expect(single.container.querySelector('#site-picker')).toBeNull()
    single.unmount()

    const several = renderInto(<CampaignsPage sites={[site, other]} site={other} onSiteChange={() => {}} />)
    unmount = several.unmount
    await settle()
    expect(several.container.querySelector('label[for="site-picker"]')?.textContent).toBe('Site')
    expect(fetch.mock.calls.at(-1)?.[0]).toBe('/api/v1/campaigns?siteId=s2&status=paused&limit=50')
    expect(several.container.textContent).toContain('No paused campaigns')
  })

  it('shows the site script tag with its publishable key', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json(200, { data: [], nextCursor: null })),
    )
    const view = renderInto(<CampaignsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()
    expect(view.container.querySelector('pre code')?.textContent).toBe(
      `<script async src="${location.origin}/sdk/promo.js" data-site="pk_live_abc"></script>`,
    )
  })
})
