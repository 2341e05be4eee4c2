// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Campaign } from '../api'
import { adminTypes } from '../promotions'
import { testCampaign } from '../testing/campaign'
import { json, renderInto, settle } from '../testing/render'
import { testSite } from '../testing/site'
import { CampaignEditorPage } from './campaign-editor'

// The preview has its own test; here it would only add the SDK widget to a test about the form.
vi.mock('../preview', () => ({ Preview: () => null }))

const site = testSite({
  id: 's1',
  name: 'Shop',
  publishableKey: 'pk_live_abc',
  allowedOrigins: [],
  createdAt: '2025-01-01T00:00:00Z',
})

const existing = testCampaign()

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

/**
 * Every registered type has its own editor now: a test of the JSON editor takes remarketing's away for its own
 * run, as a type registered without one would be.
 */
const registered = adminTypes.remarketing!
function withoutRemarketingEditor() {
  const { ConfigEditor: _editor, ...plain } = registered
  adminTypes.remarketing = plain
}

afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
  adminTypes.remarketing = registered
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

    const sent = JSON.parse(String(fetch.mock.calls.find(([, init]) => init?.method === 'POST')?.[1]?.body))
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

  it('says so for a type the admin does not know, and lets its cost be set on its own', async () => {
    const sales: Campaign = { ...existing, type: 'coupons' as Campaign['type'], config: {} }
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
    expect(view.container.textContent).toContain('does not know the campaign type “coupons”')
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

describe('campaign editor, by type', () => {
  function change(container: HTMLElement, id: string, value: string) {
    const select = container.querySelector<HTMLSelectElement>(`#${id}`)
    if (!select) throw new Error(`no select #${id}`)
    act(() => {
      select.value = value
      select.dispatchEvent(new Event('change', { bubbles: true }))
    })
  }

  it('creates a campaign of each registered type with that type’s own config editor, or JSON', async () => {
    for (const [key, adminType] of Object.entries(adminTypes)) {
      const created: unknown[] = []
      vi.stubGlobal(
        'fetch',
        vi.fn(async (url: string, init?: RequestInit) => {
          if (url === '/api/v1/types')
            return json(200, { data: Object.keys(adminTypes).map((t) => ({ type: t, servable: true })) })
          if (init?.method === 'POST') {
            created.push(JSON.parse(String(init.body)))
            return json(201, { ...existing, id: 'new-1' })
          }
          return json(404, {})
        }),
      )
      history.replaceState(null, '', `/admin/campaigns/new?type=${key}`)
      const view = renderInto(<CampaignEditorPage site={site} sites={[site]} />)
      await settle()

      expect(view.container.querySelector('h1')?.textContent).toBe(
        `New ${adminType.label.toLowerCase()} campaign`,
      )
      expect(view.container.querySelector<HTMLSelectElement>('#field-type')?.value).toBe(key)
      const json_ = view.container.querySelector<HTMLTextAreaElement>('textarea#field-config')
      if (adminType.ConfigEditor) expect(json_).toBeNull()
      else expect(JSON.parse(json_?.value ?? 'null')).toEqual(adminType.defaultConfig())
      type(view.container, 'field-name', `A ${key} campaign`)
      submit(view.container)
      await settle()
      expect(created).toHaveLength(1)
      expect(created[0]).toMatchObject({
        type: key,
        name: `A ${key} campaign`,
        config: adminType.defaultConfig(),
      })
      view.unmount()
    }
    history.replaceState(null, '', '/')
  })

  it('starts a new campaign as the picked type, with its default config, keeping what was typed', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json(404, {})),
    )
    const view = renderInto(<CampaignEditorPage site={site} sites={[site]} />)
    unmount = view.unmount
    await settle()
    type(view.container, 'field-name', 'Spring poll')
    change(view.container, 'field-type', 'engagement')
    expect(view.container.querySelector('h1')?.textContent).toBe('New engagement campaign')
    expect(view.container.querySelector('#field-config-engagementTypes')).not.toBeNull()
    expect(view.container.querySelector('#field-config-format')).toBeNull()
    expect(view.container.querySelector<HTMLInputElement>('#field-name')?.value).toBe('Spring poll')
    change(view.container, 'field-type', 'remarketing')
    expect(view.container.querySelector('#field-config-audience-kind')).not.toBeNull()
    expect(view.container.querySelector<HTMLInputElement>('#field-name')?.value).toBe('Spring poll')
  })

  it('marks the types this server cannot serve yet, from GET /types', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) =>
        url === '/api/v1/types'
          ? json(200, {
              data: [
                { type: 'awareness', servable: true },
                { type: 'engagement', servable: false },
              ],
            })
          : json(404, {}),
      ),
    )
    const view = renderInto(<CampaignEditorPage site={site} sites={[site]} />)
    unmount = view.unmount
    await settle()
    const label = (value: string) =>
      view.container.querySelector(`#field-type option[value="${value}"]`)?.textContent ?? ''
    expect(label('engagement')).toBe('Engagement (this server cannot show it yet)')
    expect(label('awareness')).toBe('Awareness')
    // Not listed by the server: not flagged on a guess.
    expect(label('sales')).toBe('Sales')
    expect(view.container.textContent).not.toContain('does not show engagement campaigns')
    change(view.container, 'field-type', 'engagement')
    expect(view.container.textContent).toContain('does not show engagement campaigns to visitors yet')
  })

  it('edits a type without its own editor as JSON, shows the API’s config errors, and refuses broken JSON', async () => {
    withoutRemarketingEditor()
    const sales: Campaign = { ...existing, type: 'remarketing', config: { format: 'inline' } }
    const patches: unknown[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (init?.method === 'PATCH') {
          patches.push(JSON.parse(String(init.body)))
          return invalid([
            { path: 'config.format', message: 'Invalid option: expected one of "inline"|"popup"' },
          ])
        }
        return url === '/api/v1/campaigns/c1' ? json(200, sales) : json(404, {})
      }),
    )
    const view = renderInto(<CampaignEditorPage id="c1" site={site} sites={[site]} />)
    unmount = view.unmount
    await settle()

    const box = () => view.container.querySelector<HTMLTextAreaElement>('textarea#field-config')
    expect(JSON.parse(box()?.value ?? '')).toEqual({ format: 'inline' })
    type(view.container, 'field-config', '{"format": "banner"}')
    submit(view.container)
    await settle()
    expect(patches).toHaveLength(1)
    expect(patches[0]).toMatchObject({ config: { format: 'banner' } })
    expect(box()?.getAttribute('aria-invalid')).toBe('true')
    expect(errorShownFor(view.container, 'field-config')).toBe(
      'format: Invalid option: expected one of "inline"|"popup"',
    )
    expect(view.container.querySelector('.error-summary')?.textContent).toContain(
      'Configuration, format: Invalid option',
    )

    type(view.container, 'field-config', '{"format": ')
    submit(view.container)
    await settle()
    expect(patches).toHaveLength(1)
    expect(errorShownFor(view.container, 'field-config')).toContain('is not valid JSON')
  })
})
