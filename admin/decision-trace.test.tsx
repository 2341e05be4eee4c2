// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Campaign, DecisionTrace, TraceEntry } from './api'
import { DecisionTracePanel } from './decision-trace'
import { json, renderInto, settle } from './testing/render'
import { reasonSentence } from './trace-reasons'

const campaign: Campaign = {
  id: 'c1',
  siteId: 's1',
  name: 'Spring',
  type: 'awareness',
  status: 'active',
  objective: null,
  priority: 5,
  weight: 1,
  placements: ['home-hero', 'blog'],
  schedule: { timezone: 'UTC' },
  targeting: {},
  frequency: { perDay: 3, minHoursBetween: 12, countOn: 'viewable' },
  experiment: { holdoutPercent: 0 },
  pacing: null,
  cost: null,
  config: { format: 'hero' },
  variants: [{ id: 'v1', name: 'A', weight: 1, creative: { headline: 'Spring' } }],
  createdBy: null,
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-02T00:00:00Z',
}

const markup = '<img src=x onerror=alert(1)>'

const answer: DecisionTrace = {
  decisions: [],
  ttl: 60,
  store: 'ok',
  trace: [
    { campaignId: 'p1', name: 'Exit popup', position: 'popup', outcome: 'chosen' },
    { campaignId: 'c1', name: 'Spring', slot: 'home-hero', outcome: 'skipped', reason: 'cap_day' },
    {
      campaignId: 'c2',
      name: 'US only',
      slot: 'home-hero',
      outcome: 'skipped',
      reason: 'targeting',
      detail: 'include.all.1: country in [US] is false',
    },
    { campaignId: 'c3', name: markup, slot: 'home-hero', outcome: 'chosen' },
  ],
}

function stubServe(body: DecisionTrace = answer) {
  const fetch = vi.fn(async (_url: string, _init?: RequestInit) => json(200, body))
  vi.stubGlobal('fetch', fetch)
  return fetch
}

function click(container: HTMLElement, text: string) {
  const button = [...container.querySelectorAll('button')].find((b) => b.textContent === text)
  if (!button) throw new Error(`no button ${text}`)
  act(() => {
    button.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }))
  })
}

async function trace(container: HTMLElement) {
  act(() => {
    container.querySelector('form')?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
  })
  await settle()
}

const sent = (fetch: ReturnType<typeof stubServe>, call = 0) =>
  JSON.parse(String(fetch.mock.calls[call]?.[1]?.body))

let unmount = () => {}

afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
  sessionStorage.clear()
})

describe('why this decision', () => {
  it('traces a serve for the first placement as the admin’s own preview visitor, kept for the session', async () => {
    const fetch = stubServe()
    const view = renderInto(<DecisionTracePanel campaign={campaign} siteKey="pk_live_abc" dirty={false} />)
    unmount = view.unmount
    const url = view.container.querySelector<HTMLInputElement>('#trace-url')!
    act(() => {
      url.value = 'https://shop.example/sale?utm_source=mail'
      url.dispatchEvent(new Event('input', { bubbles: true }))
    })
    await trace(view.container)
    await trace(view.container)

    expect(fetch.mock.calls[0]?.[0]).toBe('/api/v1/serve?debug=1')
    expect(fetch.mock.calls[0]?.[1]?.method).toBe('POST')
    const first = sent(fetch)
    expect(first).toMatchObject({
      site: 'pk_live_abc',
      slots: ['home-hero'],
      context: { url: 'https://shop.example/sale?utm_source=mail' },
    })
    expect(first.anonymousId).toMatch(/^admin-preview-[0-9a-f]{16}$/)
    expect(sent(fetch, 1).anonymousId).toBe(first.anonymousId)

    click(view.container, 'New preview visitor')
    await trace(view.container)
    expect(sent(fetch, 2).anonymousId).toMatch(/^admin-preview-/)
    expect(sent(fetch, 2).anonymousId).not.toBe(first.anonymousId)
  })

  it('lists each place, its own first, the chosen campaign first, with a sentence for every skip', async () => {
    stubServe()
    const view = renderInto(<DecisionTracePanel campaign={campaign} siteKey="pk_live_abc" dirty={false} />)
    unmount = view.unmount
    await trace(view.container)

    const places = [...view.container.querySelectorAll('.trace-place')]
    expect(places.map((place) => place.querySelector('h3')?.textContent)).toEqual([
      'Slot “home-hero”',
      'Popup',
    ])
    const lines = [...places[0]!.querySelectorAll('li')].map((li) => li.textContent)
    expect(lines).toEqual([
      `${markup}: Chosen: this is what the visitor sees here`,
      'Spring (this campaign): Capped: 3 per day reached',
      'US only: Targeting: include.all.1: country in [US] is false',
    ])
    expect(view.container.querySelector('img')).toBeNull()
    expect(view.container.textContent).not.toContain('visitor store did not answer')
  })

  it('serves page-level formats without a slot, and says when the store was down', async () => {
    const fetch = stubServe({ ...answer, store: 'unavailable' })
    const popup = { ...campaign, status: 'paused' as const, placements: [], config: { format: 'popup' } }
    const view = renderInto(<DecisionTracePanel campaign={popup} siteKey="pk_live_abc" dirty />)
    unmount = view.unmount
    expect(view.container.textContent).toContain('save to trace your changes')
    await trace(view.container)

    expect(sent(fetch)).toMatchObject({ slots: [], context: {} })
    expect(view.container.querySelector('.trace-place h3')?.textContent).toBe('Popup')
    expect(view.container.querySelector('[role="alert"]')?.textContent).toContain(
      'The visitor store did not answer',
    )
  })

  it('names the campaign that does not compete, and shows a refused trace as an error', async () => {
    const draft = { ...campaign, id: 'c9', status: 'draft' as const }
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json(200, answer)),
    )
    const view = renderInto(<DecisionTracePanel campaign={draft} siteKey="pk_live_abc" dirty={false} />)
    unmount = view.unmount
    await trace(view.container)
    expect(view.container.textContent).toContain('This campaign is draft, so it does not compete')

    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        json(403, { error: { code: 'forbidden', message: 'The decision trace needs sign-in' } }),
      ),
    )
    await trace(view.container)
    expect(view.container.querySelector('[role="alert"]')?.textContent).toBe(
      'The decision trace needs sign-in',
    )
  })
})

describe('trace reasons', () => {
  const skipped = (reason: string, detail?: string): TraceEntry => ({
    campaignId: 'c1',
    name: 'Spring',
    slot: 'home-hero',
    outcome: 'skipped',
    reason,
    ...(detail ? { detail } : {}),
  })

  it('names cap values when the campaign’s caps are known, and the kind of cap otherwise', () => {
    const frequency = { perHour: 1, lifetime: 5, minHoursBetween: 24, countOn: 'viewable' as const }
    expect(reasonSentence(skipped('cap_hour'), frequency)).toBe('Capped: 1 per hour reached')
    expect(reasonSentence(skipped('cap_lifetime'), frequency)).toBe('Capped: 5 in total reached')
    expect(reasonSentence(skipped('cap_week'), frequency)).toBe('Capped: its weekly limit is reached')
    expect(reasonSentence(skipped('cap_day'))).toBe('Capped: its daily limit is reached')
    expect(reasonSentence(skipped('gap'), frequency)).toBe('Too soon: at least 24 hours between views')
  })

  it('says holdout, pacing, audience and unknown reasons plainly', () => {
    expect(reasonSentence(skipped('holdout'))).toBe('Held out (experiment holdout)')
    expect(reasonSentence(skipped('paced'))).toBe('Paced: ahead of its even delivery')
    expect(reasonSentence(skipped('profile', '{"segment":"customer"}'))).toBe(
      'Audience: the visitor’s profile does not match {"segment":"customer"}',
    )
    expect(reasonSentence(skipped('something_new'))).toBe('Skipped (something_new)')
  })
})
