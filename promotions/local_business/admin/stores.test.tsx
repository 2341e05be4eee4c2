// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { json, renderInto, settle } from '../../../admin/testing/render'
import { testSite } from '../../../admin/testing/site'
import type { StoreAnswer } from '../answers'
import { localBusinessKpis, localBusinessSteps } from './kpis'
import { HoursEditor, openText, StoresPage } from './stores'

const site = testSite({
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Shop',
  publishableKey: 'pk_live_abc',
  allowedOrigins: [],
  createdAt: '2025-01-01T00:00:00Z',
})

const store: StoreAnswer = {
  id: '00000000-0000-4000-8000-0000000000aa',
  siteId: site.id,
  ref: 'paris-11',
  name: '<b>Oberkampf</b>',
  street: '12 rue Oberkampf',
  city: 'Paris',
  postalCode: '75011',
  country: 'FR',
  lat: 48.8649,
  lng: 2.3752,
  timeZone: 'Europe/Paris',
  hours: [{ days: [1, 2, 3, 4, 5], open: '09:00', close: '19:00' }],
  specialDays: [],
  services: [],
  inventory: {},
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
}

let unmount = () => {}
afterEach(() => {
  unmount()
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

function type(container: HTMLElement, id: string, value: string) {
  const input = container.querySelector<HTMLInputElement>(`#${id}`)!
  act(() => {
    input.value = value
    input.dispatchEvent(new Event('input', { bubbles: true }))
  })
}

describe('openText', () => {
  it('says open until when, or when it opens', () => {
    expect(openText({ open: true, closesAt: { date: '2026-12-02', weekday: 3, time: '19:00' } })).toBe(
      'Open now, closes at 19:00',
    )
    expect(openText({ open: false, opensAt: { date: '2026-12-07', weekday: 1, time: '09:00' } })).toBe(
      'Closed, opens Monday 09:00',
    )
  })
})

describe('HoursEditor', () => {
  it('previews "open now" in the store zone as the hours are typed, and says what does not parse', () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-12-05T09:30:00Z')) // Saturday 10:30 in Paris
    const view = renderInto(<HoursEditor store={store} onSaved={() => {}} />)
    unmount = view.unmount
    const preview = () => view.container.querySelector('.hours-preview')?.textContent
    expect(preview()).toBe('Right now: Closed, opens Monday 09:00')
    type(view.container, 'hours-week', 'Mo-Fr 09:00-19:00; Sa 10:00-13:00')
    expect(preview()).toBe('Right now: Open now, closes at 13:00')
    type(view.container, 'hours-special', '2026-12-05 closed')
    expect(preview()).toBe('Right now: Closed, opens Monday 09:00')
    type(view.container, 'hours-week', 'Mo-Fr 9-18')
    expect(preview()).toContain('is not like')
  })
})

describe('StoresPage', () => {
  it('lists the stores with their state now, names shown as text, and an export link', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json(200, { data: [store], nextCursor: null })),
    )
    const view = renderInto(<StoresPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()
    const row = view.container.querySelector('tbody tr')!
    expect(row.textContent).toContain('<b>Oberkampf</b>')
    expect(row.querySelector('b')).toBeNull()
    expect(view.container.querySelector('a[download]')?.getAttribute('href')).toBe(
      `/api/v1/stores?siteId=${site.id}&format=csv`,
    )
  })

  it('shows each wrong line of a refused import', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init?: RequestInit) =>
        init?.method === 'POST'
          ? json(400, {
              error: {
                code: 'validation_failed',
                message: 'line 3: lat: must be between -90 and 90; nothing was imported',
                details: [{ line: 3, path: 'lat', message: 'must be between -90 and 90' }],
              },
            })
          : json(200, { data: [], nextCursor: null }),
      ),
    )
    const view = renderInto(<StoresPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()
    const area = view.container.querySelector<HTMLTextAreaElement>('textarea')!
    act(() => {
      area.value = 'ref,name\nx,y'
      area.dispatchEvent(new Event('input', { bubbles: true }))
    })
    act(() => {
      area.form!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
    })
    await settle()
    expect(view.container.querySelector('.alert-error li')?.textContent).toBe(
      'Line 3: lat: must be between -90 and 90',
    )
  })
})

describe('KPI cards', () => {
  it('reads the locator counts and the actions by store', () => {
    const totals = {
      impressions: 10,
      locatorOpens: 4,
      openRate: 0.4,
      searches: 3,
      directionsClicks: 2,
      calls: 1,
      storePageVisits: 0,
      inventoryChecks: 1,
      actionRate: 0.75,
      findLocations: 2,
      contacts: 1,
      schedules: 0,
      byStore: [
        { store: 'a', directionsClicks: 1, calls: 0, storePageVisits: 0 },
        { store: 'b', directionsClicks: 1, calls: 1, storePageVisits: 0 },
      ],
    } as never
    const cards = localBusinessKpis(totals)
    expect(cards.find((c) => c.label === 'Calls')?.value).toBe('1')
    expect(cards.find((c) => c.label === 'Conversions')?.value).toBe('3')
    expect(localBusinessSteps(totals)[0]!.rows.map((r) => r.label)).toEqual(['b', 'a'])
  })
})
