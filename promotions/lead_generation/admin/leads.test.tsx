// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { json, renderInto, settle } from '../../../admin/testing/render'
import { campaignId, lead, markup, site } from '../testing/admin'
import { LeadsPage } from './leads'

/** Leads for every lead list request (the first page, then `more` for a cursor), lead forms for the select. */
function stubApi(pages: Record<string, unknown>) {
  const fetch = vi.fn(async (url: string, _init?: RequestInit) => {
    if (url.startsWith('/api/v1/campaigns'))
      return json(200, { data: [{ id: campaignId, name: 'Winter guide' }], nextCursor: null })
    const cursor = new URL(url, 'http://admin.test').searchParams.get('cursor') ?? ''
    return json(200, pages[cursor] ?? { data: [], nextCursor: null })
  })
  vi.stubGlobal('fetch', fetch)
  return fetch
}

const leadCalls = (fetch: ReturnType<typeof stubApi>) =>
  fetch.mock.calls.map(([url]) => url).filter((url) => url.startsWith('/api/v1/leads'))

const params = (url: string | undefined) =>
  Object.fromEntries(new URL(String(url), 'http://admin.test').searchParams)

function choose(container: HTMLElement, id: string, value: string) {
  const input = container.querySelector<HTMLInputElement | HTMLSelectElement>(`#${id}`)
  if (!input) throw new Error(`no #${id}`)
  act(() => {
    input.value = value
    input.dispatchEvent(new Event('change', { bubbles: true }))
  })
}

let unmount = () => {}

afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
  history.replaceState(null, '', '/')
})

describe('leads list', () => {
  it('shows each lead’s email as text, grade, score, campaign by name, submissions and when it was seen', async () => {
    stubApi({
      '': { data: [lead(), lead({ id: 'l2', email: markup, grade: 'D', score: 4 })], nextCursor: null },
    })
    const view = renderInto(<LeadsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()

    const rows = [...view.container.querySelectorAll('tbody tr')].map((row) =>
      [...row.querySelectorAll('th, td')].map((cell) => cell.textContent),
    )
    expect(rows[0]?.slice(0, 5)).toEqual(['ada@example.com', 'Grade B', '70', 'Winter guide', '2'])
    expect(rows[1]?.[0]).toBe(markup)
    expect(view.container.querySelector('img')).toBeNull()
    expect(view.container.querySelector('tbody a')?.getAttribute('href')).toBe(`/admin/leads/${lead().id}`)
    expect(view.container.querySelector('tbody time')?.getAttribute('datetime')).toBe(lead().createdAt)
  })

  it('asks for the filters in the address, and the CSV link carries the same ones', async () => {
    history.replaceState(
      null,
      '',
      `/admin/leads?campaignId=${campaignId}&grade=A&from=2025-03-01&to=2025-03-31&q=Ada`,
    )
    const fetch = stubApi({})
    const view = renderInto(<LeadsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()

    const filters = {
      siteId: site.id,
      campaignId,
      grade: 'A',
      from: '2025-03-01T00:00:00.000Z',
      // The last day is included: the API's `to` is the start of the next one.
      to: '2025-04-01T00:00:00.000Z',
      q: 'ada',
    }
    expect(params(leadCalls(fetch).at(-1))).toEqual({ ...filters, limit: '50' })
    const csv = view.container.querySelector<HTMLAnchorElement>('a[download]')
    expect(csv?.textContent).toBe('Export CSV')
    expect(csv?.getAttribute('href')?.startsWith('/api/v1/leads/export.csv?')).toBe(true)
    expect(params(csv?.getAttribute('href') ?? '')).toEqual(filters)
    expect(view.container.querySelector<HTMLSelectElement>('#lead-grade')?.value).toBe('A')
    expect(view.container.textContent).toContain('No leads match these filters')
  })

  it('moves a changed filter into the address and asks again; the email search applies on submit', async () => {
    history.replaceState(null, '', '/admin/leads')
    const fetch = stubApi({})
    const view = renderInto(<LeadsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()
    expect(params(leadCalls(fetch).at(-1))).toEqual({ siteId: site.id, limit: '50' })
    expect(view.container.querySelector('#lead-campaign option:nth-child(2)')?.textContent).toBe(
      'Winter guide',
    )

    choose(view.container, 'lead-campaign', campaignId)
    await settle()
    choose(view.container, 'lead-grade', 'C')
    await settle()
    choose(view.container, 'lead-from', '2025-02-01')
    await settle()
    expect(location.search).toBe(`?campaignId=${campaignId}&grade=C&from=2025-02-01`)

    const email = view.container.querySelector<HTMLInputElement>('#lead-email')!
    act(() => {
      email.value = 'bob@'
      email.dispatchEvent(new Event('input', { bubbles: true }))
    })
    await settle()
    expect(params(leadCalls(fetch).at(-1)).q).toBeUndefined()
    act(() => {
      view.container
        .querySelector('form')
        ?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
    })
    await settle()
    expect(params(leadCalls(fetch).at(-1))).toEqual({
      siteId: site.id,
      campaignId,
      grade: 'C',
      from: '2025-02-01T00:00:00.000Z',
      q: 'bob@',
      limit: '50',
    })
    expect(view.container.querySelector('a[download]')?.getAttribute('href')).toContain('q=bob%40')
  })

  it('pages on with the API’s cursor, keeping the rows already shown', async () => {
    const fetch = stubApi({
      '': { data: [lead()], nextCursor: 'next-1' },
      'next-1': { data: [lead({ id: 'l2', email: 'bob@example.com' })], nextCursor: null },
    })
    const view = renderInto(<LeadsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()

    const more = [...view.container.querySelectorAll('button')].find((b) => b.textContent === 'Show more')
    act(() => {
      more?.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    })
    await settle()
    expect(params(leadCalls(fetch).at(-1)).cursor).toBe('next-1')
    expect([...view.container.querySelectorAll('tbody th')].map((th) => th.textContent)).toEqual([
      'ada@example.com',
      'bob@example.com',
    ])
    expect([...view.container.querySelectorAll('button')].some((b) => b.textContent === 'Show more')).toBe(
      false,
    )
  })
})
