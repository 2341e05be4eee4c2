// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { json, renderInto, settle } from '../../../admin/testing/render'
import { testSite } from '../../../admin/testing/site'
import type { ListedRsvp } from './api'
import { AttendeesPage } from './attendees'

const site = testSite({
  id: 's1',
  name: 'Shop',
  publishableKey: 'pk_live_abc',
  allowedOrigins: [],
  createdAt: '2025-01-01T00:00:00Z',
})
const markup = '<img src=x onerror=alert(1)>'

function person(overrides: Partial<ListedRsvp>): ListedRsvp {
  return {
    id: 'r1',
    email: 'ada@example.com',
    firstName: null,
    status: 'confirmed',
    position: null,
    createdAt: '2026-11-01T10:00:00.000Z',
    promotedAt: null,
    cancelledAt: null,
    attendedAt: null,
    remindedAt: null,
    ...overrides,
  }
}

/** The attendees API over a list of RSVPs of campaign e1, recording each call. */
function server(people: ListedRsvp[]) {
  const calls: { method: string; url: string; body?: unknown }[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET'
      const parsed = new URL(url, 'http://admin.test')
      calls.push({ method, url, ...(init?.body ? { body: JSON.parse(String(init.body)) } : {}) })
      if (parsed.pathname === '/api/v1/campaigns') {
        expect(parsed.searchParams.get('type')).toBe('offer_event')
        return json(200, { data: [{ id: 'e1', name: 'Winter meetup' }], nextCursor: null })
      }
      if (method === 'GET' && parsed.pathname === '/api/v1/campaigns/e1/rsvps') {
        const status = parsed.searchParams.get('status')
        const counts = { confirmed: 0, waitlisted: 0, cancelled: 0, attended: 0 }
        for (const p of people) counts[p.status] += 1
        return json(200, {
          data: people.filter((p) => !status || p.status === status),
          counts,
          nextCursor: null,
        })
      }
      if (parsed.pathname === '/api/v1/campaigns/e1/rsvps/check-in') {
        const found = people.find((p) => p.status === 'confirmed')!
        found.status = 'attended'
        return json(200, { rsvp: found, alreadyCheckedIn: false })
      }
      const action = /^\/api\/v1\/campaigns\/e1\/rsvps\/([^/]+)\/(check-in|promote|cancel)$/.exec(
        parsed.pathname,
      )
      const found = people.find((p) => p.id === action?.[1])
      if (!action || !found) return json(404, { error: { code: 'not_found', message: 'Not found' } })
      if (action[2] === 'promote') {
        return json(409, {
          error: { code: 'event_full', message: 'No seat is free: raise the capacity first' },
        })
      }
      found.status = action[2] === 'cancel' ? 'cancelled' : 'attended'
      return json(200, { rsvp: found, promoted: null })
    }),
  )
  return calls
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('AttendeesPage', () => {
  it('lists the first event’s RSVPs as text with counts, checks in, refuses a promotion when full, cancels', async () => {
    const people = [
      person({ id: 'r1', firstName: markup }),
      person({ id: 'r2', email: 'bo@example.com', status: 'waitlisted', position: 1 }),
    ]
    const calls = server(people)
    vi.stubGlobal('confirm', () => true)
    const view = renderInto(<AttendeesPage sites={[site]} site={site} onSiteChange={() => {}} />)
    await settle()
    const rows = view.container.querySelectorAll('tbody tr')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.querySelector('th')!.textContent).toBe(`${markup} (ada@example.com)`)
    expect(view.container.querySelector('img')).toBeNull()
    expect(view.container.querySelector('[aria-label="Counts by status"]')!.textContent).toContain(
      'Confirmed: 1',
    )
    const csv = view.container.querySelector<HTMLAnchorElement>('a[download]')!
    expect(csv.getAttribute('href')).toBe('/api/v1/campaigns/e1/rsvps/export.csv')

    const button = (label: string) =>
      view.container.querySelector<HTMLButtonElement>(`button[aria-label="${label}"]`)!
    await act(() => button('Check in ada@example.com').click())
    await settle()
    expect(calls.some((c) => c.method === 'POST' && c.url.endsWith('/rsvps/r1/check-in'))).toBe(true)
    expect(view.container.querySelector('[role="status"]')!.textContent).toBe(
      'ada@example.com is checked in.',
    )

    await act(() => button('Promote bo@example.com to confirmed').click())
    await settle()
    expect(view.container.querySelector('[role="alert"]')!.textContent).toBe(
      'No seat is free: raise the capacity first',
    )

    await act(() => button('Cancel the RSVP of bo@example.com').click())
    await settle()
    expect(calls.some((c) => c.method === 'POST' && c.url.endsWith('/rsvps/r2/cancel'))).toBe(true)
    view.unmount()
  })

  it('checks in by the typed code and filters by status', async () => {
    const people = [person({ id: 'r1' }), person({ id: 'r3', email: 'cy@example.com', status: 'cancelled' })]
    const calls = server(people)
    const view = renderInto(<AttendeesPage sites={[site]} site={site} onSiteChange={() => {}} />)
    await settle()
    const input = view.container.querySelector<HTMLInputElement>('#check-in-code')!
    await act(() => {
      input.value = 'abcd efgh'
      input.dispatchEvent(new Event('input'))
    })
    await act(() => {
      view.container.querySelector('form')!.dispatchEvent(new Event('submit'))
    })
    await settle()
    expect(calls.find((c) => c.url.endsWith('/rsvps/check-in'))?.body).toEqual({ code: 'abcd efgh' })
    expect(view.container.querySelector('[role="status"]')!.textContent).toBe(
      'ada@example.com is checked in.',
    )

    const select = view.container.querySelector<HTMLSelectElement>('#attendees-status')!
    await act(() => {
      select.value = 'cancelled'
      select.dispatchEvent(new Event('change'))
    })
    await settle()
    expect(view.container.querySelectorAll('tbody tr')).toHaveLength(1)
    expect(view.container.querySelector('a[download]')!.getAttribute('href')).toBe(
      '/api/v1/campaigns/e1/rsvps/export.csv?status=cancelled',
    )
    view.unmount()
  })
})
