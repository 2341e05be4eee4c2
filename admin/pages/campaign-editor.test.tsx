// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Campaign, Site } from '../api'
import { json, renderInto, settle } from '../test-render'
import { CampaignEditorPage } from './campaign-editor'

// The preview has its own test; here it would only add the SDK widget to a test about the form.
vi.mock('../preview', () => ({ Preview: () => null }))

const site: Site = {
  id: 's1',
  name: 'Shop',
  publishableKey: 'pk_live_abc',
  allowedOrigins: [],
  createdAt: '2025-01-01T00:00:00Z',
}

const existing: Campaign = {
  id: 'c1',
  siteId: 's1',
  name: 'Spring',
  type: 'awareness',
  status: 'paused',
  objective: null,
  priority: 5,
  weight: 1,
  placements: ['home-hero'],
  schedule: { timezone: 'Europe/Paris' },
  targeting: {},
  frequency: { countOn: 'viewable' },
  experiment: { holdoutPercent: 0 },
  pacing: null,
  cost: null,
  config: { format: 'hero', dismissible: true },
  variants: [
    { id: 'v1', name: 'A', weight: 1, creative: { headline: 'Spring is here' } },
    { id: 'v2', name: 'B', weight: 1, creative: { headline: 'Hello spring' } },
  ],
  createdBy: null,
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-02T00:00:00Z',
}

const invalid = (details: { path: string; message: string }[]) =>
  json(400, { error: { code: 'validation_failed', message: 'Invalid campaign', details } })

function type(container: HTMLElement, id: string, value: string) {
  const input = container.querySelector<HTMLInputElement>(`#${id}`)
  if (!input) throw new Error(`no input #${id}`)
  act(() => {
    input.value = value
    input.dispatchEvent(new Event('input', { bubbles: true }))
  })
}

function submit(container: HTMLElement) {
  act(() => {
    container.querySelector('form')?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
  })
}

/** The message shown for an input: the element its aria-describedby points at that carries the error. */
function errorShownFor(container: HTMLElement, id: string): string | undefined {
  const input = container.querySelector(`#${id}`)
  const describedBy = input?.getAttribute('aria-describedby')?.split(' ') ?? []
  const error = describedBy
    .map((ref) => container.querySelector(`#${ref}`))
    .find((el) => el?.classList.contains('field-error'))
  return error?.textContent ?? undefined
}

let unmount = () => {}

afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
})

describe('campaign editor', () => {
  it('shows an API validation error next to the field at its path', async () => {
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) =>
      invalid([{ path: 'variants.0.creative.ctaUrl', message: 'must be an absolute http(s) URL' }]),
    )
    vi.stubGlobal('fetch', fetch)
    const view = renderInto(<CampaignEditorPage site={site} sites={[site]} />)
    unmount = view.unmount

    type(view.container, 'field-name', 'Winter sale')
    type(view.container, 'field-variants-0-creative-headline', 'Up to 40% off')
    type(view.container, 'field-variants-0-creative-ctaUrl', 'javascript:alert(1)')
    submit(view.container)
    await settle()

    const sent = JSON.parse(String(fetch.mock.calls[0]?.[1]?.body))
    expect(sent.variants[0].creative.ctaUrl).toBe('javascript:alert(1)')
    const input = view.container.querySelector('#field-variants-0-creative-ctaUrl')
    expect(input?.getAttribute('aria-invalid')).toBe('true')
    expect(errorShownFor(view.container, 'field-variants-0-creative-ctaUrl')).toBe(
      'must be an absolute http(s) URL',
    )
    expect(
      view.container.querySelector('#field-variants-0-creative-headline')?.getAttribute('aria-invalid'),
    ).toBe('false')
    const summary = view.container.querySelector('[role="alert"]')
    expect(summary?.textContent).toContain('Variant A, button link: must be an absolute http(s) URL')
  })

  it('opens the variant an error belongs to, and keeps campaign-level errors on their fields', async () => {
    const fetch = vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'PATCH') {
        return invalid([
          { path: 'variants.1.creative.headline', message: 'Too small: expected at least 1 character' },
          { path: 'placements.0', message: 'letters, digits, _ . : - only' },
        ])
      }
      return url === '/api/v1/campaigns/c1' ? json(200, existing) : json(404, {})
    })
    vi.stubGlobal('fetch', fetch)
    const view = renderInto(<CampaignEditorPage id="c1" site={site} sites={[site]} />)
    unmount = view.unmount
    await settle()

    expect(view.container.querySelector<HTMLInputElement>('#field-variants-0-creative-headline')?.value).toBe(
      'Spring is here',
    )
    type(view.container, 'field-placements', 'home hero')
    submit(view.container)
    await settle()

    const patch = JSON.parse(String(fetch.mock.calls.find(([, init]) => init?.method === 'PATCH')?.[1]?.body))
    expect(patch.variants.map((variant: { id: string }) => variant.id)).toEqual(['v1', 'v2'])
    expect(view.container.querySelector('#field-variants-0-creative-headline')).toBeNull()
    expect(errorShownFor(view.container, 'field-variants-1-creative-headline')).toBe(
      'Too small: expected at least 1 character',
    )
    expect(errorShownFor(view.container, 'field-placements')).toBe('letters, digits, _ . : - only')
  })

  it('saves caps, experiment and pacing, and shows their API errors at their fields', async () => {
    const fetch = vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'PATCH') {
        return invalid([
          { path: 'frequency.perDay', message: 'Too big: expected number to be <=1000' },
          { path: 'pacing', message: 'an impression goal needs schedule.start and schedule.end' },
        ])
      }
      return url === '/api/v1/campaigns/c1' ? json(200, existing) : json(404, {})
    })
    vi.stubGlobal('fetch', fetch)
    const view = renderInto(<CampaignEditorPage id="c1" site={site} sites={[site]} />)
    unmount = view.unmount
    await settle()

    type(view.container, 'field-frequency-perDay', '5000')
    type(view.container, 'field-experiment-holdoutPercent', '10')
    const bandit = view.container.querySelector<HTMLSelectElement>('#field-experiment-bandit')
    act(() => {
      if (!bandit) throw new Error('no traffic split')
      bandit.value = 'click'
      bandit.dispatchEvent(new Event('change', { bubbles: true }))
    })
    type(view.container, 'field-pacing', '10000')
    expect(view.container.querySelector('#field-pacing-hint')?.textContent).toContain(
      'Set both a start and an end under Schedule',
    )
    submit(view.container)
    await settle()

    const patch = JSON.parse(String(fetch.mock.calls.find(([, init]) => init?.method === 'PATCH')?.[1]?.body))
    expect(patch.frequency).toEqual({ perDay: 5000, countOn: 'viewable' })
    expect(patch.experiment).toEqual({ holdoutPercent: 10, bandit: { metric: 'click' } })
    expect(patch.pacing).toEqual({ impressionGoal: 10000 })
    expect(errorShownFor(view.container, 'field-frequency-perDay')).toBe(
      'Too big: expected number to be <=1000',
    )
    expect(errorShownFor(view.container, 'field-pacing')).toBe(
      'an impression goal needs schedule.start and schedule.end',
    )
    const summary = view.container.querySelector('.error-summary')?.textContent
    expect(summary).toContain('Views per day: Too big')
    expect(summary).toContain('Impression goal: an impression goal needs')
  })

  it('shows errors that are not about a field as an alert', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        json(409, { error: { code: 'conflict', message: 'The campaign changed meanwhile' } }),
      ),
    )
    const view = renderInto(<CampaignEditorPage site={site} sites={[site]} />)
    unmount = view.unmount
    type(view.container, 'field-name', 'Winter sale')
    submit(view.container)
    await settle()
    expect(view.container.querySelector('[role="alert"]')?.textContent).toBe('The campaign changed meanwhile')
  })

  it('saves the cost, clears it with a blank amount, and shows its API errors at its fields', async () => {
    const patches: unknown[] = []
    const fetch = vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'PATCH') {
        const body = JSON.parse(String(init.body))
        patches.push(body.cost)
        return body.cost
          ? invalid([{ path: 'cost.currency', message: 'ISO 4217 code like EUR' }])
          : json(200, { ...existing, cost: null })
      }
      return url === '/api/v1/campaigns/c1'
        ? json(200, { ...existing, cost: { amount: 1200, currency: 'EUR' } })
        : json(404, {})
    })
    vi.stubGlobal('fetch', fetch)
    const view = renderInto(<CampaignEditorPage id="c1" site={site} sites={[site]} />)
    unmount = view.unmount
    await settle()

    const value = (id: string) => view.container.querySelector<HTMLInputElement>(`#${id}`)?.value
    expect([value('field-cost-amount'), value('field-cost-currency')]).toEqual(['1200', 'EUR'])
    type(view.container, 'field-cost-currency', 'eu')
    submit(view.container)
    await settle()
    expect(patches).toEqual([{ amount: 1200, currency: 'EU' }])
    expect(errorShownFor(view.container, 'field-cost-currency')).toBe('ISO 4217 code like EUR')
    expect(view.container.querySelector('.error-summary')?.textContent).toContain(
      'Cost currency: ISO 4217 code like EUR',
    )

    type(view.container, 'field-cost-amount', '')
    submit(view.container)
    await settle()
    expect(patches.at(-1)).toBeNull()
    expect(view.container.querySelector('.error-summary')).toBeNull()
  })

  it('lets the cost of a type it does not edit be set on its own', async () => {
    const sales: Campaign = { ...existing, type: 'sales', config: {} }
    const fetch = vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'PATCH') {
        return json(200, { ...sales, ...JSON.parse(String(init.body)) })
      }
      return url === '/api/v1/campaigns/c1' ? json(200, sales) : json(404, {})
    })
    vi.stubGlobal('fetch', fetch)
    const view = renderInto(<CampaignEditorPage id="c1" site={site} sites={[site]} />)
    unmount = view.unmount
    await settle()

    expect(view.container.querySelector('#field-name')).toBeNull()
    type(view.container, 'field-cost-amount', '500')
    type(view.container, 'field-cost-currency', 'eur')
    submit(view.container)
    await settle()

    const patch = fetch.mock.calls.find(([, init]) => init?.method === 'PATCH')
    expect(JSON.parse(String(patch?.[1]?.body))).toEqual({ cost: { amount: 500, currency: 'EUR' } })
    expect(view.container.querySelector<HTMLInputElement>('#field-cost-currency')?.value).toBe('EUR')
    expect(view.container.textContent).toContain('Cost saved.')
  })
})
