// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Audience, CampaignAudience } from '../api'
import { json, renderInto, settle } from '../testing/render'
import { testSite } from '../testing/site'
import { AudiencesPage } from './audiences'

// uPlot draws on a canvas, which happy-dom has not: the drawing module stands in with what it was handed.
vi.mock('../charts/uplot-chart', () => ({
  LineChart: ({ chart }: { chart: { lines: { label: string; values: (number | null)[] }[] } }) => (
    <div class="drawn-line-chart" data-lines={JSON.stringify(chart.lines)} />
  ),
}))

const site = testSite({
  id: 's1',
  name: 'Shop',
  publishableKey: 'pk_live_abc',
  allowedOrigins: [],
  createdAt: '2025-01-01T00:00:00Z',
})

const markup = '<img src=x onerror=alert(1)>'

const list: Audience[] = [
  { key: 'customer', name: 'Customer', description: 'At least one Purchase event', builtIn: true },
  {
    id: 'a1',
    siteId: 's1',
    key: 'vip',
    name: markup,
    rule: { field: 'trait', key: 'vip', op: 'equals', value: true },
    lookbackDays: 30,
    builtIn: false,
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
  },
]

function type(container: HTMLElement, id: string, value: string) {
  const input = container.querySelector<HTMLInputElement | HTMLTextAreaElement>(`#${id}`)
  if (!input) throw new Error(`no input #${id}`)
  act(() => {
    input.value = value
    input.dispatchEvent(new Event('input', { bubbles: true }))
  })
}

async function submit(container: HTMLElement) {
  act(() => {
    container.querySelector('form')?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
  })
  await settle()
}

function click(element: Element | null | undefined) {
  if (!element) throw new Error('nothing to click')
  act(() => {
    element.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }))
  })
}

const buttonNamed = (container: HTMLElement, name: string) =>
  [...container.querySelectorAll('button')].find(
    (button) => button.textContent?.replace(/\s+/g, ' ').trim() === name,
  )

const errorFor = (container: HTMLElement, id: string) =>
  container.querySelector(`#${id}-error`)?.textContent ?? undefined

const campaignAudiences: CampaignAudience[] = [
  {
    campaignId: 'c1',
    siteId: 's1',
    name: markup,
    status: 'active',
    key: 'c_00000000000000000000000000000001',
    audience: { kind: 'cart_abandoners', lookbackDays: 7 },
    exclude: { convertedWithinDays: 30, segments: [] },
    size: 1234,
    refreshedAt: '2025-01-02T00:00:00Z',
  },
]

/** The list answers: campaign audiences at their path, the segments everywhere else. */
const listed = (url: string) =>
  url.startsWith('/api/v1/audiences/campaigns')
    ? json(200, { data: campaignAudiences })
    : url.includes('/size')
      ? json(200, {
          key: 'vip',
          siteId: 's1',
          size: 7,
          refreshedAt: '2025-01-02T00:00:00Z',
          series: [
            { day: '2025-01-01', size: 3 },
            { day: '2025-01-02', size: 7 },
          ],
        })
      : json(200, { data: list })

let unmount = () => {}

afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
})

describe('audiences', () => {
  it('lists the built-in segments and the site’s own, names as text', async () => {
    const fetch = vi.fn(async (url: string, _init?: RequestInit) => listed(url))
    vi.stubGlobal('fetch', fetch)
    const view = renderInto(<AudiencesPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()

    expect(fetch.mock.calls[0]?.[0]).toBe('/api/v1/audiences?siteId=s1')
    const builtIn = view.container.querySelector('[aria-labelledby="built-in-title"]')?.textContent
    expect(builtIn).toContain('Customer')
    expect(builtIn).toContain('At least one Purchase event')
    const custom = view.container.querySelector('[aria-labelledby="custom-title"]')
    expect(custom?.querySelector('tbody th')?.textContent).toBe(markup)
    expect(custom?.textContent).toContain('{"field":"trait","key":"vip","op":"equals","value":true}')
    expect(view.container.querySelector('img')).toBeNull()
  })

  it('shows each audience’s members, last refresh, exports and size over time', async () => {
    const fetch = vi.fn(async (url: string, _init?: RequestInit) => listed(url))
    vi.stubGlobal('fetch', fetch)
    const view = renderInto(<AudiencesPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()

    const own = view.container.querySelector('[aria-labelledby="campaign-audiences-title"]')
    expect(own?.querySelector('tbody th')?.textContent).toContain(markup)
    expect(own?.textContent).toContain('cart_abandoners')
    expect(own?.textContent).toContain('1,234')
    const links = [...view.container.querySelectorAll<HTMLAnchorElement>('a[download]')].map((a) =>
      a.getAttribute('href'),
    )
    expect(links).toEqual([
      '/api/v1/audiences/a1/export?format=meta',
      '/api/v1/audiences/a1/export?format=google',
      '/api/v1/audiences/c1/export?format=meta',
      '/api/v1/audiences/c1/export?format=google',
    ])
    expect(view.container.querySelector('img')).toBeNull()

    click(buttonNamed(view.container, `Size over time ${markup}`))
    await settle()
    expect(fetch.mock.calls.at(-1)?.[0]).toBe('/api/v1/audiences/a1/size')
    const chart = view.container.querySelector('[aria-labelledby="size-title"]')
    expect(chart?.textContent).toContain('7 members now')
    expect(chart?.querySelector('.drawn-line-chart')?.getAttribute('data-lines')).toBe(
      JSON.stringify([{ label: 'Members', values: [3, 7] }]),
    )
  })

  it('refuses a rule that is not JSON without asking the API, and shows rule problems at the rule', async () => {
    const fetch = vi.fn(async (url: string, init?: RequestInit) =>
      init?.method === 'POST'
        ? json(400, {
            error: {
              code: 'validation_failed',
              message: 'Invalid segment',
              details: [
                { path: 'rule.all.0.op', message: 'Invalid option: expected one of "gte"|"lte"|"equals"' },
                { path: 'key', message: 'lower-case letters, digits and _, starting with a letter' },
              ],
            },
          })
        : listed(url),
    )
    vi.stubGlobal('fetch', fetch)
    const view = renderInto(<AudiencesPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()

    type(view.container, 'field-name', 'Buyers')
    type(view.container, 'field-key', 'Buyers')
    click(buttonNamed(view.container, 'Edit as JSON'))
    type(view.container, 'field-rule', '{ "all": [ { "field": "event" ')
    await submit(view.container)
    expect(fetch.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(false)
    expect(errorFor(view.container, 'field-rule')).toBe('is not valid JSON')

    type(view.container, 'field-rule', '{"all":[{"field":"event","name":"Purchase","op":"more","count":1}]}')
    await submit(view.container)
    const post = fetch.mock.calls.find(([, init]) => init?.method === 'POST')
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({
      siteId: 's1',
      key: 'Buyers',
      name: 'Buyers',
      lookbackDays: 30,
      rule: { all: [{ field: 'event', name: 'Purchase', op: 'more', count: 1 }] },
    })
    expect(errorFor(view.container, 'field-rule')).toBe(
      'all.0.op: Invalid option: expected one of "gte"|"lte"|"equals"',
    )
    expect(errorFor(view.container, 'field-key')).toBe(
      'lower-case letters, digits and _, starting with a letter',
    )
  })

  it('creates a segment into the list and deletes one after asking', async () => {
    const created = { ...list[1], id: 'a2', key: 'buyers', name: 'Buyers' }
    const fetch = vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'POST') return json(201, created)
      if (init?.method === 'DELETE') return new Response(null, { status: 204 })
      return listed(url)
    })
    vi.stubGlobal('fetch', fetch)
    vi.stubGlobal(
      'confirm',
      vi.fn(() => true),
    )
    const view = renderInto(<AudiencesPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()

    type(view.container, 'field-name', 'Buyers')
    type(view.container, 'field-key', 'buyers')
    click(buttonNamed(view.container, 'Edit as JSON'))
    type(view.container, 'field-rule', '{"field":"event","name":"Purchase","op":"gte","count":1}')
    await submit(view.container)
    const names = () =>
      [...view.container.querySelectorAll('[aria-labelledby="custom-title"] tbody th')].map(
        (th) => th.textContent,
      )
    expect(names()).toEqual([markup, 'Buyers'])
    expect(view.container.querySelector<HTMLInputElement>('#field-name')?.value).toBe('')

    click(buttonNamed(view.container, `Delete ${markup}`))
    await settle()
    expect(fetch.mock.calls.find(([, init]) => init?.method === 'DELETE')?.[0]).toBe('/api/v1/audiences/a1')
    expect(names()).toEqual(['Buyers'])
  })

  it('builds a segment rule without JSON, shows its problems at the condition, and switches to JSON and back', async () => {
    const fetch = vi.fn(async (url: string, init?: RequestInit) =>
      init?.method === 'POST'
        ? json(400, {
            error: {
              code: 'validation_failed',
              message: 'Invalid segment',
              details: [
                { path: 'rule.all.0.name', message: 'Too big: expected string to have <=64 characters' },
              ],
            },
          })
        : listed(url),
    )
    vi.stubGlobal('fetch', fetch)
    const view = renderInto(<AudiencesPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()
    const { container } = view
    const form = container.querySelector<HTMLFormElement>('form')!

    type(container, 'field-name', 'Repeat buyers')
    type(container, 'field-key', 'repeat_buyers')
    await submit(container)
    expect(fetch.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(false)
    expect(form.textContent).toContain('add at least one condition')

    click(buttonNamed(container, 'Add condition'))
    const field = form.querySelector<HTMLSelectElement>('select[id^="rule-"][id$="-field"]')!
    expect([...field.options].map((option) => option.value)).toEqual(['trait', 'event'])
    act(() => {
      field.value = 'event'
      field.dispatchEvent(new Event('change', { bubbles: true }))
    })
    const name = form.querySelector<HTMLInputElement>('input[id^="rule-"][id$="-key"]')!
    act(() => {
      name.value = 'Purchase'
      name.dispatchEvent(new Event('input', { bubbles: true }))
    })
    const count = form.querySelector<HTMLInputElement>('input[id^="rule-"][id$="-value"]')!
    act(() => {
      count.value = '3'
      count.dispatchEvent(new Event('input', { bubbles: true }))
    })
    expect(form.textContent).toContain('Visitors who sent “Purchase” at least 3 times.')
    expect(form.textContent).not.toContain('add at least one condition')

    await submit(container)
    const post = fetch.mock.calls.find(([, init]) => init?.method === 'POST')
    expect(JSON.parse(String(post?.[1]?.body)).rule).toEqual({
      all: [{ field: 'event', name: 'Purchase', op: 'gte', count: 3 }],
    })
    const nameInput = form.querySelector<HTMLInputElement>('input[id^="rule-"][id$="-key"]')!
    expect(nameInput.getAttribute('aria-invalid')).toBe('true')
    expect(form.querySelector(`#${nameInput.getAttribute('aria-describedby')}`)?.textContent).toBe(
      'Too big: expected string to have <=64 characters',
    )

    click(buttonNamed(container, 'Edit as JSON'))
    const text = container.querySelector<HTMLTextAreaElement>('#field-rule')!
    expect(JSON.parse(text.value)).toEqual({
      all: [{ field: 'event', name: 'Purchase', op: 'gte', count: 3 }],
    })
    type(container, 'field-rule', '{"field":"trait","key":"vip","op":"equals","value":true}')
    click(buttonNamed(container, 'Back to the builder'))
    expect(container.querySelector('textarea#field-rule')).toBeNull()
    expect(form.textContent).toContain('Visitors whose vip is true.')
    click(buttonNamed(container, 'Edit as JSON'))
    type(container, 'field-rule', '{"field":"device","op":"in","values":["mobile"]}')
    click(buttonNamed(container, 'Back to the builder'))
    expect(container.querySelector('textarea#field-rule')).not.toBeNull()
    expect(form.textContent).toContain('The builder cannot show this rule')
  })
})
