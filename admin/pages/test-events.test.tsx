// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { matchRoute } from '../router'
import { json, renderInto, settle } from '../testing/render'
import { testSite } from '../testing/site'
import { presentKeys, TestEventsPage } from './test-events'

const site = testSite({ id: 's1', name: 'Shop' })
const keys = { em: true, ph: false, external_id: true, fbc: false, fbp: true, client_user_agent: false }
const testEvent = {
  id: '00000000-0000-4000-8000-000000000001',
  code: 'TEST123',
  name: 'Purchase',
  eventId: 'order-1',
  eventTime: '2026-11-29T11:59:00Z',
  receivedAt: '2026-11-29T12:00:00Z',
  actionSource: 'website',
  value: 49.9,
  currency: 'EUR',
  items: 2,
  matchKeys: keys,
}

let unmount = () => {}
afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
})

function stub(events: unknown[]) {
  const fetch = vi.fn(async (_url: string) => json(200, { siteId: 's1', retentionDays: 7, events }))
  vi.stubGlobal('fetch', fetch)
  return fetch
}

describe('test events page', () => {
  it('is at /admin/test-events', () => {
    expect(matchRoute('/admin/test-events')).toEqual({ name: 'test-events' })
  })

  it("lists the site's test events with which match keys they carried, never the keys", async () => {
    const fetch = stub([{ ...testEvent, name: '<b>Lead</b>' }, testEvent])
    const view = renderInto(<TestEventsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()
    expect(String(fetch.mock.calls[0]?.[0])).toBe('/api/v1/conversions/test-events?siteId=s1')
    const rows = [...view.container.querySelectorAll('tbody tr')]
    expect(rows).toHaveLength(2)
    // Names are text: markup in a name is shown, never rendered.
    expect(rows[0]?.querySelector('b')).toBeNull()
    expect(rows[0]?.querySelector('th')?.textContent).toContain('<b>Lead</b>')
    const cells = [...rows[1]!.querySelectorAll('td')].map((cell) => cell.textContent)
    expect(cells[1]).toBe('TEST123')
    expect(cells[2]).toBe('website')
    expect(cells[3]).toContain('EUR')
    expect(cells[3]).toContain('(2 lines)')
    expect(cells[4]).toBe('Email, User id, fbp')
  })

  it('asks for one code when filtered, and says when there is none', async () => {
    const fetch = stub([])
    const view = renderInto(<TestEventsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()
    expect(view.container.textContent).toContain('No test event in the last 7 days.')
    const input = view.container.querySelector<HTMLInputElement>('#test-code')!
    act(() => {
      input.value = 'ABC'
      input.dispatchEvent(new Event('input', { bubbles: true }))
    })
    act(() => {
      view.container
        .querySelector('form')!
        .dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
    })
    await settle()
    expect(String(fetch.mock.calls.at(-1)?.[0])).toBe('/api/v1/conversions/test-events?siteId=s1&code=ABC')
    expect(view.container.textContent).toContain('No test event with the code “ABC”')
  })

  it('names no key when none was sent', () => {
    expect(presentKeys({ ...keys, em: false, external_id: false, fbp: false })).toBe('none')
  })
})
