// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Campaign } from '../api'
import { CampaignEditorPage } from '../pages/campaign-editor'
import { json, renderInto, settle } from '../testing/render'
import { testSite } from '../testing/site'
import { buttonNamed, choose, click, labelled, typeInto } from './testing/dom'
import { mobileFromNewsletter, scrollHalfway, weekdaysNineToFive } from './testing/must-show'

// The preview has its own tests; here it would only add the SDK widget to a test about the form.
vi.mock('../preview', () => ({ Preview: () => null }))

const site = testSite({ id: 's1', name: 'Shop' })

const saved: Campaign = {
  id: 'c1',
  siteId: 's1',
  name: 'Newsletter popup',
  type: 'lead_generation',
  status: 'draft',
  objective: null,
  priority: 0,
  weight: 1,
  placements: [],
  schedule: { ...weekdaysNineToFive },
  targeting: mobileFromNewsletter,
  frequency: { countOn: 'viewable' },
  experiment: { holdoutPercent: 0 },
  pacing: null,
  cost: null,
  config: {
    display: 'popup',
    fields: [{ name: 'email', type: 'email', label: 'Email', required: true }],
    trigger: scrollHalfway,
  },
  variants: [{ id: 'v1', name: 'A', weight: 1, creative: { headline: 'Join us' } }],
  createdBy: null,
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-02T00:00:00Z',
}

let unmount = () => {}
afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
  history.replaceState(null, '', '/')
})

function submit(container: HTMLElement) {
  act(() => {
    container
      .querySelector('form.editor-form')
      ?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
  })
}

describe('the campaign editor’s targeting, trigger and schedule', () => {
  it('creates a lead popup for mobile visitors from the newsletter, on a 50% scroll, on weekdays 9–17', async () => {
    const posted: Record<string, unknown>[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (url.startsWith('/api/v1/audiences')) return json(200, { data: [] })
        if (init?.method === 'POST') {
          posted.push(JSON.parse(String(init.body)))
          return json(201, saved)
        }
        return json(404, {})
      }),
    )
    history.replaceState(null, '', '/admin/campaigns/new?type=lead_generation')
    const view = renderInto(<CampaignEditorPage site={site} sites={[site]} />)
    unmount = view.unmount
    await settle()
    const { container } = view

    typeInto(container.querySelector('#field-name'), 'Newsletter popup')
    typeInto(container.querySelector('#field-variants-0-creative-headline'), 'Join us')
    // An inline form shows with its slot: no trigger until the form is a popup.
    expect(container.querySelector('#field-config-trigger')).toBeNull()
    choose(container.querySelector('#field-config-display'), 'popup')
    choose(labelled(container, 'When it appears'), 'scroll')

    click(buttonNamed(container, 'Add condition'))
    click(labelled(container, 'Mobile'))
    click(buttonNamed(container, 'Add condition'))
    choose(labelled(container, 'Field', 1), 'utm_source')
    typeInto(labelled(container, 'UTM source value'), 'newsletter')
    expect(container.querySelector('.targeting-sentence')?.textContent).toContain(
      'Visitors on mobile whose utm_source is newsletter.',
    )

    choose(labelled(container, 'Time zone'), 'Europe/Paris')
    click(buttonNamed(container, 'Weekdays 9–17'))

    submit(container)
    await settle()
    expect(posted).toHaveLength(1)
    expect(posted[0]).toMatchObject({
      type: 'lead_generation',
      targeting: mobileFromNewsletter,
      schedule: weekdaysNineToFive,
      config: { display: 'popup', trigger: scrollHalfway },
    })
    expect((labelled(container, 'When it appears') as HTMLSelectElement).value).toBe('scroll')
  })

  it('loads a saved campaign’s targeting, trigger and hours into the editors and saves them unchanged', async () => {
    const patches: Record<string, unknown>[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (url.startsWith('/api/v1/audiences')) return json(200, { data: [] })
        if (init?.method === 'PATCH') {
          patches.push(JSON.parse(String(init.body)))
          return json(200, saved)
        }
        return url === '/api/v1/campaigns/c1' ? json(200, saved) : json(404, {})
      }),
    )
    const view = renderInto(<CampaignEditorPage id="c1" site={site} sites={[site]} />)
    unmount = view.unmount
    await settle()
    const { container } = view
    expect(labelled<HTMLSelectElement>(container, 'When it appears').value).toBe('scroll')
    expect(labelled<HTMLSelectElement>(container, 'Time zone').value).toBe('Europe/Paris')
    expect(
      container.querySelector('[aria-label="Wednesday 12:00 to 13:00"]')?.getAttribute('aria-pressed'),
    ).toBe('true')
    expect(labelled<HTMLInputElement>(container, 'UTM source value').value).toBe('newsletter')

    submit(container)
    await settle()
    expect(patches[0]).toMatchObject({ targeting: mobileFromNewsletter, schedule: weekdaysNineToFive })
    expect((patches[0]?.config as Record<string, unknown> | undefined)?.trigger).toEqual(scrollHalfway)
  })

  it('shows the API’s targeting and schedule errors at their editors and in the summary', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (url.startsWith('/api/v1/audiences')) return json(200, { data: [] })
        if (init?.method === 'PATCH')
          return json(400, {
            error: {
              code: 'validation_failed',
              message: 'Invalid campaign',
              details: [
                {
                  path: 'targeting.include.all.1.value',
                  message: 'Too small: expected string to have >=1 characters',
                },
                { path: 'schedule.dayparting', message: 'Too big: expected array to have <=28 items' },
              ],
            },
          })
        return url === '/api/v1/campaigns/c1' ? json(200, saved) : json(404, {})
      }),
    )
    const view = renderInto(<CampaignEditorPage id="c1" site={site} sites={[site]} />)
    unmount = view.unmount
    await settle()
    submit(view.container)
    await settle()
    const { container } = view
    const summary = container.querySelector('.error-summary')?.textContent
    expect(summary).toContain('Show to: Too small: expected string to have >=1 characters')
    expect(summary).toContain('Days and hours: Too big: expected array to have <=28 items')
    expect(labelled(container, 'UTM source value').getAttribute('aria-invalid')).toBe('true')
    expect(container.querySelector('.dayparting .field-error')?.textContent).toBe(
      'Too big: expected array to have <=28 items',
    )
  })
})
