// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Delivery, Webhook } from '../../../admin/api'
import { json, renderInto, settle } from '../../../admin/testing/render'
import { site } from '../testing/admin'
import { IntegrationsPage } from './integrations'

const hook: Webhook = {
  id: 'w1',
  siteId: site.id,
  url: 'https://crm.example/hooks/promo',
  events: ['lead.created'],
  active: true,
  createdAt: '2025-03-01T00:00:00.000Z',
}

const delivery = (overrides: Partial<Delivery>): Delivery => ({
  id: 'd1',
  webhookId: 'w1',
  event: 'lead.created',
  status: 'succeeded',
  attempts: 1,
  nextAttemptAt: null,
  lastStatus: 204,
  lastError: null,
  createdAt: '2025-03-02T10:00:00.000Z',
  deliveredAt: '2025-03-02T10:00:01.000Z',
  payload: {},
  ...overrides,
})

const secret = 'whsec_0123456789abcdef'

function stubApi() {
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    if (init?.method === 'POST') {
      const body = JSON.parse(String(init.body))
      return json(201, { ...hook, id: 'w2', url: body.url, events: body.events, secret })
    }
    if (init?.method === 'DELETE') return new Response(null, { status: 204 })
    if (url.includes('/deliveries'))
      return json(200, {
        data: [
          delivery({
            id: 'd2',
            status: 'pending',
            attempts: 2,
            lastStatus: 503,
            lastError: 'HTTP 503',
            nextAttemptAt: '2025-03-02T10:01:30.000Z',
            deliveredAt: null,
          }),
          delivery({}),
        ],
        nextCursor: null,
      })
    return json(200, { data: [hook], nextCursor: null })
  })
  vi.stubGlobal('fetch', fetch)
  return fetch
}

const button = (container: Element, text: string) =>
  [...container.querySelectorAll('button')].find((b) => b.textContent?.startsWith(text))

function click(element: Element | undefined | null) {
  act(() => {
    element?.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }))
  })
}

let unmount = () => {}

afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
})

describe('webhooks', () => {
  it('creates a webhook for the chosen events and shows its secret once, with a copy button', async () => {
    const fetch = stubApi()
    const writeText = vi.fn(async () => {})
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    const view = renderInto(<IntegrationsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()
    expect(fetch.mock.calls[0]?.[0]).toBe(`/api/v1/webhooks?siteId=${site.id}`)
    expect(view.container.querySelector('tbody th')?.textContent).toBe(hook.url)

    const url = view.container.querySelector<HTMLInputElement>('#field-url')!
    act(() => {
      url.value = ' https://hooks.example/new '
      url.dispatchEvent(new Event('input', { bubbles: true }))
    })
    const updated = view.container.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')[1]!
    act(() => {
      updated.checked = false
      updated.dispatchEvent(new Event('change', { bubbles: true }))
    })
    act(() => {
      view.container
        .querySelector('form')
        ?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
    })
    await settle()

    const post = fetch.mock.calls.find(([, init]) => init?.method === 'POST')
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({
      siteId: site.id,
      url: 'https://hooks.example/new',
      events: ['lead.created'],
    })
    const notice = view.container.querySelector('[aria-labelledby="secret-title"]')!
    expect(notice.querySelector('pre code')?.textContent).toBe(secret)
    expect(notice.textContent).toContain('the only time it is shown')
    click(button(notice, 'Copy secret'))
    await settle()
    expect(writeText).toHaveBeenCalledWith(secret)
    expect(notice.querySelector('[role="status"]')?.textContent).toBe('Copied to the clipboard.')
    // The list shows the new webhook, never its secret.
    const table = view.container.querySelector('[aria-labelledby="webhooks-title"]')!
    expect([...table.querySelectorAll('tbody th')].map((th) => th.textContent)).toEqual([
      hook.url,
      'https://hooks.example/new',
    ])
    expect(table.textContent).not.toContain(secret)

    click(button(notice, 'I have stored it'))
    expect(view.container.textContent).not.toContain(secret)
  })

  it('refuses to create a webhook with no event without asking the API', async () => {
    const fetch = stubApi()
    const view = renderInto(<IntegrationsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()
    for (const box of view.container.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')) {
      act(() => {
        box.checked = false
        box.dispatchEvent(new Event('change', { bubbles: true }))
      })
    }
    act(() => {
      view.container
        .querySelector('form')
        ?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
    })
    await settle()
    expect(fetch.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(false)
    expect(view.container.querySelector('#field-events-error')?.textContent).toBe('choose at least one event')
  })

  it('shows a webhook’s delivery log: status, attempts, last HTTP status and the next attempt', async () => {
    const fetch = stubApi()
    const view = renderInto(<IntegrationsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()
    click(button(view.container, 'Deliveries'))
    await settle()

    expect(fetch.mock.calls.at(-1)?.[0]).toBe('/api/v1/webhooks/w1/deliveries')
    const log = view.container.querySelector('[aria-labelledby="deliveries-title"]')!
    const rows = [...log.querySelectorAll('tbody tr')].map((row) =>
      [...row.querySelectorAll('td')].map((cell) => cell.textContent),
    )
    expect(rows[0]?.slice(0, 4)).toEqual(['lead.created', 'Pending', '2', '503'])
    expect(rows[0]?.[5]).toBe('HTTP 503')
    expect(log.querySelectorAll('tbody tr')[0]?.querySelectorAll('time')[1]?.getAttribute('datetime')).toBe(
      '2025-03-02T10:01:30.000Z',
    )
    expect(rows[1]?.slice(0, 5)).toEqual(['lead.created', 'Delivered', '1', '204', '—'])
  })

  it('deletes a webhook only after asking', async () => {
    const fetch = stubApi()
    const confirm = vi.fn(() => false)
    vi.stubGlobal('confirm', confirm)
    const view = renderInto(<IntegrationsPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()

    click(button(view.container, 'Delete'))
    await settle()
    expect(confirm).toHaveBeenCalledTimes(1)
    expect(fetch.mock.calls.some(([, init]) => init?.method === 'DELETE')).toBe(false)

    confirm.mockReturnValue(true)
    click(button(view.container, 'Delete'))
    await settle()
    expect(fetch.mock.calls.find(([, init]) => init?.method === 'DELETE')?.[0]).toBe('/api/v1/webhooks/w1')
    expect(view.container.querySelector('[aria-labelledby="webhooks-title"] tbody')).toBeNull()
  })
})
