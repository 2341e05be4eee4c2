// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Campaign } from '../../../admin/api'
import { CampaignEditorPage } from '../../../admin/pages/campaign-editor'
import { json, renderInto, settle } from '../../../admin/testing/render'
import { testSite } from '../../../admin/testing/site'
import type { Decision } from '../../../schema/serve'
import { offerEventConfig } from '../config'
import { defaultOfferEventConfig, wallTime, withDefaults, withOffset } from './editor'
import { offerEventKpis, offerEventSteps } from './kpis'
import { OfferEventPreview } from './preview'

const site = testSite({
  id: 's1',
  name: 'Shop',
  publishableKey: 'pk_live_abc',
  allowedOrigins: [],
  createdAt: '2025-01-01T00:00:00Z',
})

const config = {
  kind: 'flash_sale',
  format: 'sticky_top',
  dismissible: true,
  countdown: { endsAt: '2030-11-29T23:59:00+01:00', endedText: 'Over' },
  offer: { discountPercent: 30, promoCode: 'FLASH30' },
}

const campaign: Campaign = {
  id: 'c1',
  siteId: 's1',
  name: 'Black Friday',
  type: 'offer_event',
  status: 'paused',
  objective: null,
  priority: 0,
  weight: 1,
  placements: [],
  schedule: { timezone: 'Europe/Paris' },
  targeting: {},
  frequency: { countOn: 'viewable' },
  experiment: { holdoutPercent: 0 },
  pacing: null,
  cost: null,
  config,
  variants: [{ id: 'v1', name: 'A', weight: 1, creative: { headline: '30% off' } }],
  createdBy: null,
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-02T00:00:00Z',
}

const el = <T extends Element = HTMLInputElement>(container: HTMLElement, selector: string): T => {
  const found = container.querySelector<T>(selector)
  if (!found) throw new Error(`nothing at ${selector}`)
  return found
}
function type(container: HTMLElement, id: string, value: string) {
  const input = el<HTMLInputElement | HTMLTextAreaElement>(container, `#${id}`)
  act(() => {
    input.value = value
    input.dispatchEvent(new Event('input', { bubbles: true }))
  })
}
function choose(container: HTMLElement, id: string, value: string) {
  const select = el<HTMLSelectElement>(container, `#${id}`)
  act(() => {
    select.value = value
    select.dispatchEvent(new Event('change', { bubbles: true }))
  })
}
function tick(container: HTMLElement, id: string, checked: boolean) {
  const box = el(container, `#${id}`)
  act(() => {
    box.checked = checked
    box.dispatchEvent(new Event('change', { bubbles: true }))
  })
}
function submit(container: HTMLElement) {
  act(() => {
    container.querySelector('form')?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
  })
}

let unmount = () => {}
afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

async function editor(saved: Campaign = campaign) {
  const patches: Record<string, unknown>[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'PATCH') {
        const body = JSON.parse(String(init.body))
        patches.push(body)
        return json(200, { ...saved, config: body.config })
      }
      return url === '/api/v1/campaigns/c1' ? json(200, saved) : json(404, {})
    }),
  )
  const view = renderInto(<CampaignEditorPage id="c1" site={site} sites={[site]} />)
  unmount = view.unmount
  await settle()
  return { c: view.container, patches }
}

describe('offer and event editor', () => {
  it('starts from a config the schema takes as it is, and fills the defaults the schema fills', () => {
    const start = defaultOfferEventConfig()
    expect(offerEventConfig.parse(start)).toEqual(start)
    const configs = [
      { countdown: { evergreenHours: 12 } },
      { kind: 'event', event: { startsAt: '2030-01-01T18:00:00+01:00', isVirtual: true } },
      { format: 'popup', countdown: { endsAt: '2030-01-01T00:00:00Z' }, dismissible: false },
    ]
    for (const c of configs) expect(withDefaults(c)).toEqual(offerEventConfig.parse(c))
  })

  it('keeps a time as written, with the offset of the zone it was typed in', () => {
    expect(wallTime('2030-11-29T23:59:00+01:00')).toBe('2030-11-29T23:59')
    const typed = withOffset('2030-07-01T09:30')!
    expect(typed).toMatch(/^2030-07-01T09:30:00[+-]\d\d:\d\d$/)
    // The same instant the browser means by that local time, in summer or winter alike.
    expect(Date.parse(typed)).toBe(new Date('2030-07-01T09:30').getTime())
    expect(Date.parse(withOffset('2030-01-15T09:30')!)).toBe(new Date('2030-01-15T09:30').getTime())
  })

  it('shows a saved config in its fields, and sends back each change as the config the API takes', async () => {
    const { c, patches } = await editor()
    expect(el<HTMLSelectElement>(c, '#field-config-kind').value).toBe('flash_sale')
    expect(el<HTMLSelectElement>(c, '#field-config-countdown').value).toBe('fixed')
    expect(el(c, '#field-config-countdown-endsAt').value).toBe('2030-11-29T23:59')
    expect(el(c, '#field-config-offer-promoCode').value).toBe('FLASH30')
    // Per visitor, 48 hours; stock of 50; an online event.
    choose(c, 'field-config-countdown', 'evergreen')
    type(c, 'field-config-countdown-evergreenHours', '48')
    tick(c, 'field-config-offer-stock', true)
    type(c, 'field-config-offer-stock-total', '50')
    tick(c, 'field-config-event', true)
    type(c, 'field-config-event-onlineUrl', 'https://shop.example/live')
    type(c, 'field-config-event-capacity', '200')
    tick(c, 'field-config-event-waitlist', false)
    submit(c)
    await settle()
    expect(patches).toHaveLength(1)
    const sent = patches[0]?.config as Record<string, any>
    expect(sent.countdown).toEqual({ evergreenHours: 48, endedText: 'Over' })
    expect(sent.offer).toEqual({ discountPercent: 30, promoCode: 'FLASH30', stock: { total: 50 } })
    expect(sent.event).toMatchObject({
      isVirtual: true,
      onlineUrl: 'https://shop.example/live',
      capacity: 200,
      rsvp: true,
      waitlist: false,
    })
    // What the editor sends is what the type's schema takes, unchanged.
    expect(offerEventConfig.parse(sent)).toEqual(sent)
  })

  it('shows the API errors at the config fields they are about', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (init?.method === 'PATCH')
          return json(400, {
            error: {
              code: 'validation_failed',
              message: 'Invalid campaign',
              details: [
                {
                  path: 'config.offer.stock',
                  message: 'stock is counted by redemptions of the promoCode: give one',
                },
                { path: 'config.countdown.endedText', message: 'must be plain text, not HTML' },
              ],
            },
          })
        return url === '/api/v1/campaigns/c1' ? json(200, campaign) : json(404, {})
      }),
    )
    const view = renderInto(<CampaignEditorPage id="c1" site={site} sites={[site]} />)
    unmount = view.unmount
    await settle()
    const c = view.container
    tick(c, 'field-config-offer-stock', true)
    type(c, 'field-config-offer-promoCode', '')
    submit(c)
    await settle()
    expect(c.querySelector('#field-config-offer-stock-error')?.textContent).toMatch(/give one/)
    expect(c.querySelector('#field-config-countdown-endedText-error')?.textContent).toBe(
      'must be plain text, not HTML',
    )
    expect(c.querySelector('.error-summary')?.textContent).toContain('Stock:')
  })
})

/** Waits (in real time: the preview's own timers) until `ok` holds. */
async function until(ok: () => boolean, ms = 3_000) {
  const end = Date.now() + ms
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('offer and event preview', () => {
  const decision = (cfg: Record<string, unknown>): Decision => ({
    campaignId: 'c1',
    variantId: 'v1',
    type: 'offer_event',
    format: 'hero',
    slot: 'home',
    creative: { headline: 'Live soon' },
    config: cfg,
    token: 'preview',
  })
  const unit = (container: HTMLElement) => container.querySelector('.preview-host')?.shadowRoot

  it('ticks the countdown, and shows an event with all its seats free and a form that sends nothing', async () => {
    const view = renderInto(
      <OfferEventPreview
        decision={decision({
          countdown: { endsAt: new Date(Date.now() + 10 * 60_000).toISOString() },
          event: { startsAt: '2030-12-20T18:00:00+01:00', isVirtual: true, capacity: 40 },
        })}
      />,
    )
    unmount = view.unmount
    const digits = () => unit(view.container)?.querySelector('.digits')?.textContent
    await until(() => digits() !== undefined)
    const first = digits()!
    expect(first).toMatch(/^00:(09:5\d|10:00)$/)
    // It ticks in the preview as on a page.
    await until(() => digits() !== first)
    expect(digits()! < first).toBe(true)
    const root = unit(view.container)!
    expect(root.querySelector('.seats')?.textContent).toBe('40 seats left')
    expect(root.querySelector('form')).not.toBeNull()
  })
})

describe('offer and event KPI cards', () => {
  const totals = (extra: Record<string, unknown>) =>
    ({ rsvps: 0, conversions: 0, revenue: 0, impressions: 0, cost: null, ...extra }) as never

  it('shows RSVPs, rates and redemptions from the answer, and "—" with the reason when there is nothing yet', () => {
    const kpis = offerEventKpis(
      totals({
        rsvps: 10,
        confirmed: 5,
        attended: 3,
        waitlisted: 1,
        cancelled: 1,
        cancellationRate: 0.1,
        attendanceRate: 0.375,
        offerRedemptions: 4,
        countdownCtr: 0.05,
      }),
    )
    const byLabel = new Map(kpis.map((k) => [k.label, k]))
    expect(byLabel.get('RSVPs')).toMatchObject({ value: '10', detail: '8 confirmed, 1 waitlisted' })
    expect(byLabel.get('Attendance rate')?.detail).toBe('3 checked in of 8 seats')
    expect(byLabel.get('Offer redemptions')?.value).toBe('4')
    expect(byLabel.get('Countdown CTR')?.value).toMatch(/5/)
    const empty = new Map(offerEventKpis(totals({ confirmed: 0 })).map((k) => [k.label, k]))
    expect(empty.get('Attendance rate')?.detail).toBe('No seats taken yet')
    expect(offerEventSteps(totals({ rsvps: 2, confirmed: 2 }))[0]?.rows.map((r) => r.value)).toEqual([
      2, 0, 0, 0,
    ])
    expect(offerEventSteps(totals({ confirmed: 0 }))).toEqual([])
  })
})
