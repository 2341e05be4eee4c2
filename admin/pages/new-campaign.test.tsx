// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Campaign } from '../api'
import { adminTypes } from '../promotions'
import * as dom from '../targeting/testing/dom'
import { json, renderInto, settle } from '../testing/render'
import { testSite } from '../testing/site'
import { CampaignEditorPage } from './campaign-editor'
import { NewCampaignPage } from './new-campaign'

const site = testSite({ id: '00000000-0000-4000-8000-000000000001', name: 'Shop' })

/** The objective the flow is driven through: a type with its own trigger step and templates. */
const [triggered] = Object.entries(adminTypes).filter(
  ([, admin]) => admin.createSteps?.includes('triggers') && (admin.templates?.length ?? 0) > 0,
)
/** One with a preview and a template that fills a slot. */
const [previewed] = Object.entries(adminTypes).filter(
  ([, admin]) => admin.Preview && admin.templates?.some((template) => template.placements),
)
const unservedType = Object.keys(adminTypes).at(-1) ?? ''

interface Call {
  method: string
  url: string
  body: Record<string, unknown> | undefined
}

/** The campaigns API, in memory: creates drafts, patches them, answers them back, activates them. */
function fakeServer() {
  const calls: Call[] = []
  const campaigns = new Map<string, Campaign>()
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET'
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : undefined
    calls.push({ method, url, body })
    if (url === '/api/v1/types')
      return json(200, {
        data: Object.keys(adminTypes).map((type) => ({ type, servable: type !== unservedType })),
      })
    if (url === '/api/v1/campaigns' && method === 'POST') {
      const id = `00000000-0000-4000-8000-00000000c00${campaigns.size + 1}`
      const variants = ((body?.variants ?? []) as Campaign['variants']).map((variant, index) => ({
        ...variant,
        id: `00000000-0000-4000-8000-00000000a00${index}`,
      }))
      const campaign = {
        objective: null,
        weight: 1,
        targeting: {},
        frequency: { countOn: 'viewable' },
        experiment: { holdoutPercent: 0 },
        pacing: null,
        cost: null,
        ...body,
        variants,
        id,
        status: 'draft',
        createdBy: null,
        createdAt: '2026-01-01T00:00:00Z',
        updatedAt: '2026-01-01T00:00:00Z',
      } as unknown as Campaign
      campaigns.set(id, campaign)
      return json(201, campaign)
    }
    const match = /^\/api\/v1\/campaigns\/([^/]+)(?:\/(\w+))?$/.exec(url)
    const found = match?.[1] ? campaigns.get(decodeURIComponent(match[1])) : undefined
    if (!found || !match) return json(404, { error: { code: 'not_found', message: 'Not found' } })
    if (method === 'GET') return json(200, found)
    if (method === 'PATCH') {
      const variants = (body?.variants as Campaign['variants'] | undefined)?.map((variant, index) => ({
        ...variant,
        id: variant.id ?? `00000000-0000-4000-8000-00000000b00${index}`,
      }))
      const next = { ...found, ...body, ...(variants ? { variants } : {}) } as Campaign
      campaigns.set(found.id, next)
      return json(200, next)
    }
    if (method === 'POST' && match[2] === 'activate') {
      const next = { ...found, status: 'active' as const }
      campaigns.set(found.id, next)
      return json(200, next)
    }
    return json(404, { error: { code: 'not_found', message: 'Not found' } })
  })
  return { fetch, calls, campaigns }
}

function find<T extends Element = HTMLInputElement>(container: HTMLElement, selector: string): T {
  const element = container.querySelector<T>(selector)
  if (!element) throw new Error(`nothing matches ${selector}`)
  return element
}

function type(container: HTMLElement, selector: string, value: string) {
  const input = find(container, selector)
  act(() => {
    input.value = value
    input.dispatchEvent(new Event('input', { bubbles: true }))
  })
}

function choose(container: HTMLElement, selector: string, value?: string) {
  const control = find<HTMLInputElement | HTMLSelectElement>(container, selector)
  act(() => {
    if (control instanceof HTMLSelectElement && value !== undefined) {
      control.value = value
      control.dispatchEvent(new Event('change', { bubbles: true }))
    } else (control as HTMLInputElement).click()
  })
}

/** Enter in a field submits the step's form: the keyboard's way on. The preview stands beside every step. */
async function continueOn(container: HTMLElement) {
  expect(container.querySelector('.editor-preview .preview-frame')).not.toBeNull()
  act(() => {
    find(container, 'form.editor-form').dispatchEvent(
      new Event('submit', { bubbles: true, cancelable: true }),
    )
  })
  await settle()
}

const stepHeading = (container: HTMLElement) => find<HTMLHeadingElement>(container, '#step-title')
const stepInAddress = () => new URLSearchParams(location.search).get('step')

let unmount = () => {}

beforeEach(() => {
  history.replaceState(null, '', '/admin/campaigns/new')
  localStorage.clear()
})

afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
  history.replaceState(null, '', '/')
})

describe('new campaign by objective', () => {
  it('goes from the objective and a template through every step to the review, and activates', async () => {
    if (!triggered) throw new Error('no type declares a trigger step')
    const [key, admin] = triggered
    const template = admin.templates?.[0]
    if (!template) throw new Error('no template')
    const server = fakeServer()
    vi.stubGlobal('fetch', server.fetch)
    const view = renderInto(<NewCampaignPage site={site} sites={[site]} />)
    unmount = view.unmount
    await settle()
    const { container } = view

    // Every objective is offered with when to use it; the one the server cannot show is marked.
    for (const [type, option] of Object.entries(adminTypes)) {
      const radio = find(container, `#objective-${type}`)
      const when = find(container, `#${radio.getAttribute('aria-describedby')}`)
      expect(when.textContent).toBe(option.objective.when)
      expect(radio.closest('.choice')?.textContent?.includes('Not shown by this server yet')).toBe(
        type === unservedType,
      )
    }

    choose(container, `#objective-${key}`)
    expect(find(container, 'h1').textContent).toBe(`New ${admin.label.toLowerCase()} campaign`)
    choose(container, `#template-${template.id}`)
    expect(find(container, '#field-name').value).toBe(template.name)
    type(container, '#field-name', 'Spring newsletter')
    await continueOn(container)

    const created = server.calls.filter((call) => call.method === 'POST' && call.url === '/api/v1/campaigns')
    expect(created).toHaveLength(1)
    expect(created[0]?.body).toMatchObject({ type: key, name: 'Spring newsletter', config: template.config })
    const id = [...server.campaigns.keys()][0] ?? ''
    expect(new URLSearchParams(location.search).get('draft')).toBe(id)
    expect(stepInAddress()).toBe('creative')
    expect(stepHeading(container).textContent).toContain('Format and creative')
    expect(document.activeElement).toBe(stepHeading(container))
    expect(find(container, '#field-variants-0-creative-headline').value).toBe(template.creative.headline)

    await continueOn(container)
    expect(stepInAddress()).toBe('audience')
    // The rule builder: a device condition (mobile), then a UTM source one.
    dom.click(dom.buttonNamed(container, 'Add condition'))
    dom.click(dom.labelled(container, 'Mobile'))
    dom.click(dom.buttonNamed(container, 'Add condition'))
    dom.choose(dom.labelled(container, 'Field', 1), 'utm_source')
    dom.typeInto(dom.labelled(container, 'UTM source value'), 'newsletter')
    await continueOn(container)

    expect(stepInAddress()).toBe('triggers')
    const saved = () => server.campaigns.get(id)
    expect(saved()?.targeting).toEqual({
      include: {
        all: [
          { field: 'device', op: 'in', values: ['mobile'] },
          { field: 'utm_source', op: 'equals', value: 'newsletter' },
        ],
      },
    })
    choose(container, '#field-config-trigger', 'scroll')
    type(container, '#field-config-trigger-percent', '50')
    await continueOn(container)
    expect(saved()?.config).toMatchObject({ trigger: { on: 'scroll', percent: 50 } })

    expect(stepInAddress()).toBe('schedule')
    await continueOn(container)
    expect(stepInAddress()).toBe('delivery')
    type(container, '#field-frequency-perDay', '2')
    await continueOn(container)
    expect(saved()?.frequency).toMatchObject({ perDay: 2 })

    expect(stepInAddress()).toBe('review')
    const review = find<HTMLElement>(container, '.review-list').textContent ?? ''
    expect(review).toContain('Visitors on mobile whose utm_source is newsletter.')
    expect(review).toContain('Once the visitor has scrolled 50% of the page.')
    expect(review).toContain('At most 2 a day per visitor')
    expect(find<HTMLButtonElement>(container, 'button[type="submit"]').textContent).toBe('Activate')
    await continueOn(container)

    expect(server.calls.at(-1)).toMatchObject({ method: 'POST', url: `/api/v1/campaigns/${id}/activate` })
    expect(saved()?.status).toBe('active')
    expect(location.pathname).toBe(`/admin/campaigns/${id}`)
  })

  it('saves the draft as it is typed and resumes it, at the same step, after a reload', async () => {
    if (!previewed) throw new Error('no type with a preview and a slot template')
    const [key, admin] = previewed
    const template = admin.templates?.find((option) => option.placements)
    if (!template) throw new Error('no template')
    const server = fakeServer()
    vi.stubGlobal('fetch', server.fetch)
    const first = renderInto(<NewCampaignPage site={site} sites={[site]} />)
    unmount = first.unmount
    await settle()
    choose(first.container, `#objective-${key}`)
    choose(first.container, `#template-${template.id}`)
    // The preview stands beside the objective step already, and beside every step after it.
    expect(first.container.querySelector('.editor-preview .preview')).not.toBeNull()
    await continueOn(first.container)
    const id = [...server.campaigns.keys()][0] ?? ''

    type(first.container, '#field-variants-0-creative-headline', 'Hello from the test')
    type(first.container, '#field-placements', 'home-hero, landing')
    await continueOn(first.container)
    expect(stepInAddress()).toBe('audience')
    expect(first.container.querySelector('.editor-preview .preview')).not.toBeNull()

    // Typed, not continued: the autosave sends it after a pause.
    dom.click(dom.buttonNamed(first.container, 'Add condition'))
    dom.click(dom.labelled(first.container, 'Mobile'))
    const patches = () => server.calls.filter((call) => call.method === 'PATCH').length
    const before = patches()
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_000))
    })
    await settle()
    expect(patches()).toBe(before + 1)
    expect(find(first.container, '[role="status"].muted').textContent).toBe('Draft saved.')
    first.unmount()
    unmount = () => {}

    // A reload: a fresh page at the same address.
    expect(location.search).toBe(`?draft=${id}&step=audience`)
    const second = renderInto(<NewCampaignPage site={site} sites={[site]} />)
    unmount = second.unmount
    await settle()
    expect(stepHeading(second.container).textContent).toContain('Audience and targeting')
    expect(dom.labelled<HTMLInputElement>(second.container, 'Mobile').checked).toBe(true)
    act(() => {
      const creative = [...second.container.querySelectorAll<HTMLButtonElement>('.flow-step')].find(
        (button) => button.textContent?.includes('Format and creative'),
      )
      creative?.click()
    })
    await settle()
    expect(stepInAddress()).toBe('creative')
    expect(find(second.container, '#field-variants-0-creative-headline').value).toBe('Hello from the test')
    expect(find(second.container, '#field-placements').value).toBe('home-hero, landing')
    second.unmount()
    unmount = () => {}

    // The campaign's own page sends the marketer back to the step they left.
    history.replaceState(null, '', `/admin/campaigns/${id}`)
    const page = renderInto(<CampaignEditorPage id={id} site={site} sites={[site]} />)
    unmount = page.unmount
    await settle()
    const resume = [...page.container.querySelectorAll('a')].find(
      (link) => link.textContent === 'Continue the guided setup',
    )
    expect(resume?.getAttribute('href')).toBe(`/admin/campaigns/new?draft=${id}&step=creative`)
  })

  it('keeps the marketer on the step and lists what the API refuses, linked to its field', async () => {
    if (!triggered) throw new Error('no type declares a trigger step')
    const [key] = triggered
    const server = fakeServer()
    const refusing = vi.fn(async (url: string, init?: RequestInit) => {
      const body = init?.body ? JSON.parse(String(init.body)) : undefined
      if (init?.method === 'PATCH' && body?.config?.trigger?.on === 'click')
        return json(400, {
          error: {
            code: 'validation_failed',
            message: 'Invalid campaign',
            details: [{ path: 'config.trigger.selector', message: 'must not be empty' }],
          },
        })
      return server.fetch(url, init)
    })
    vi.stubGlobal('fetch', refusing)
    const view = renderInto(<NewCampaignPage site={site} sites={[site]} />)
    unmount = view.unmount
    await settle()
    const { container } = view

    // No name: nothing is created, and the problem is at the name.
    choose(container, `#objective-${key}`)
    await continueOn(container)
    expect(server.campaigns.size).toBe(0)
    expect(find(container, '.error-summary').textContent).toContain('Name')
    type(container, '#field-name', 'Click me')
    await continueOn(container)
    const id = [...server.campaigns.keys()][0] ?? ''
    // A blank campaign's variant needs a headline to be saved: it starts as the name, to be written next.
    expect(server.campaigns.get(id)?.variants[0]?.creative.headline).toBe('Click me')
    expect(find(container, '#field-variants-0-creative-headline').value).toBe('Click me')
    history.replaceState(null, '', `/admin/campaigns/new?draft=${id}&step=triggers`)
    act(() => {
      window.dispatchEvent(new PopStateEvent('popstate'))
    })
    await settle()
    choose(container, '#field-config-trigger', 'click')
    await continueOn(container)
    expect(stepInAddress()).toBe('triggers')
    expect(find(container, '.error-summary').textContent).toContain('must not be empty')
    expect(find(container, '#field-config-trigger-selector').getAttribute('aria-invalid')).toBe('true')
  })
})
