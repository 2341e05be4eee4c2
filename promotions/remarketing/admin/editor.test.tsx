// @vitest-environment happy-dom
import { useState } from 'preact/hooks'
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Campaign } from '../../../admin/api'
import { CampaignEditorPage } from '../../../admin/pages/campaign-editor'
import { json, renderInto, settle } from '../../../admin/testing/render'
import { testSite } from '../../../admin/testing/site'
import { remarketingConfig } from '../config'
import { defaultRemarketingConfig, RemarketingFields } from './editor'
import { sampleFill } from './preview'
import { remarketingTemplates } from './templates'

const site = testSite({
  id: 's1',
  name: 'Shop',
  publishableKey: 'pk_live_abc',
  allowedOrigins: [],
  createdAt: '2025-01-01T00:00:00Z',
})

const config = {
  audience: { kind: 'cart_abandoners', lookbackDays: 7 },
  format: 'popup',
  dismissible: true,
  dynamicContent: true,
  maxProducts: 3,
}

const campaign: Campaign = {
  id: 'c1',
  siteId: 's1',
  name: 'Cart reminder',
  type: 'remarketing',
  status: 'paused',
  objective: null,
  priority: 0,
  weight: 1,
  placements: [],
  schedule: { timezone: 'Europe/Paris' },
  targeting: {},
  frequency: { lifetime: 5, minHoursBetween: 24, countOn: 'viewable' },
  experiment: { holdoutPercent: 10 },
  pacing: null,
  cost: null,
  config,
  variants: [
    {
      id: 'v1',
      name: 'A',
      weight: 1,
      creative: {
        headline: 'Your cart is waiting',
        ctaText: 'Back to my cart',
        ctaUrl: 'https://shop.example/cart',
      },
    },
  ],
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
  const input = el<HTMLInputElement>(container, `#${id}`)
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
})

describe('RemarketingFields', () => {
  it('gives a new campaign and every template a config the API takes', () => {
    expect(remarketingConfig.safeParse(defaultRemarketingConfig()).success).toBe(true)
    for (const template of remarketingTemplates) {
      expect(remarketingConfig.safeParse(template.config).success, template.id).toBe(true)
    }
  })

  it('shows each audience kind’s own fields, starting from the schema’s defaults', () => {
    const onChange = vi.fn()
    const view = renderInto(<RemarketingFields config={config} errors={new Map()} onChange={onChange} />)
    unmount = view.unmount
    const c = view.container
    expect(c.querySelector('#field-config-audience-minCartValue')).not.toBeNull()
    expect(c.querySelector('#field-config-audience-productIds')).toBeNull()
    choose(c, 'field-config-audience-kind', 'viewers')
    const next = onChange.mock.lastCall?.[0]
    expect(next.audience).toEqual({ kind: 'viewers', lookbackDays: 30, productIds: [], minViews: 1 })
    expect(remarketingConfig.safeParse(next).success).toBe(true)
    choose(c, 'field-config-audience-kind', 'lapsed')
    expect(onChange.mock.lastCall?.[0].audience).toEqual({
      kind: 'lapsed',
      inactiveDays: 30,
      buyersOnly: false,
    })
  })

  it('gives each visitor a code of their own instead of the shared one, in the incentive’s currency', () => {
    let current: Record<string, unknown> = {
      ...config,
      incentive: { type: 'fixed_amount', value: 5, currency: 'USD', uniqueCodes: false, promoCode: 'BACK5' },
    }
    function Editing() {
      const [shown, setShown] = useState(current)
      return (
        <RemarketingFields
          config={shown}
          errors={new Map()}
          onChange={(next) => {
            current = next
            setShown(next)
          }}
        />
      )
    }
    const view = renderInto(<Editing />)
    unmount = view.unmount
    const c = view.container
    type(c, 'field-config-incentive-currency', 'eur')
    tick(c, 'field-config-incentive-uniqueCodes', true)
    expect(current.incentive).toEqual({ type: 'fixed_amount', value: 5, currency: 'EUR', uniqueCodes: true })
    // One or the other: the shared code's field goes while unique codes are on.
    expect(c.querySelector('#field-config-incentive-promoCode')).toBeNull()
    expect(remarketingConfig.safeParse(current).success).toBe(true)
  })

  it('previews a code of their own behind Reveal code, in the incentive’s currency', () => {
    const unique = { type: 'fixed_amount', value: 5, currency: 'EUR', uniqueCodes: true }
    expect(sampleFill({ ...config, incentive: unique }, 1).incentive).toEqual({
      type: 'fixed_amount',
      value: 5,
      currency: 'EUR',
      unique: true,
    })
    const shared = { ...unique, uniqueCodes: false, promoCode: 'BACK5' }
    expect(sampleFill({ ...config, incentive: shared }, 1).incentive).toMatchObject({ code: 'BACK5' })
    expect(sampleFill({ ...config, incentive: shared }, 1).incentive).not.toHaveProperty('unique')
  })

  it('shows a saved campaign in its fields, previews it live, and sends back the config the API takes', async () => {
    const patches: Record<string, unknown>[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (init?.method === 'PATCH') {
          const body = JSON.parse(String(init.body))
          patches.push(body)
          return json(200, { ...campaign, config: body.config })
        }
        return url === '/api/v1/campaigns/c1' ? json(200, campaign) : json(404, {})
      }),
    )
    const view = renderInto(<CampaignEditorPage id="c1" site={site} sites={[site]} />)
    unmount = view.unmount
    await settle()
    const c = view.container

    expect(el(c, '#field-config-audience-lookbackDays').value).toBe('7')
    expect(el(c, '#field-config-dynamicContent').checked).toBe(true)
    expect(el<HTMLSelectElement>(c, '#field-config-format').value).toBe('popup')

    type(c, 'field-config-audience-lookbackDays', '14')
    type(c, 'field-config-audience-minCartValue', '40')
    type(c, 'field-config-exclude-convertedWithinDays', '14')
    type(c, 'field-config-exclude-segments', 'vip, staff')
    choose(c, 'field-config-format', 'sticky_bottom')
    choose(c, 'field-config-maxProducts', '2')
    choose(c, 'field-config-incentive-type', 'percentage')
    type(c, 'field-config-incentive-value', '15')
    type(c, 'field-config-incentive-promoCode', 'BACK15')
    tick(c, 'field-config-sequence', true)
    type(c, 'field-config-sequence-afterDays', '4')
    type(c, 'field-config-sequence-headline', 'Still thinking it over?')
    type(c, 'field-config-sequence-ctaText', 'Use my code')

    // The live preview: the widget with sample products and the offer; then message 2.
    await vi.waitFor(async () => {
      await settle(1)
      const shadow = c.querySelector('.preview-host')?.shadowRoot
      expect(shadow?.querySelectorAll('.card')).toHaveLength(2)
      expect(shadow?.querySelector('.deal')?.textContent).toBe('15% off')
      expect(shadow?.querySelector('.headline')?.textContent).toBe('Your cart is waiting')
    })
    const second = [...c.querySelectorAll<HTMLInputElement>('input[name="remarketing-step"]')][1]!
    act(() => {
      second.checked = true
      second.dispatchEvent(new Event('change', { bubbles: true }))
    })
    await vi.waitFor(async () => {
      await settle(1)
      const shadow = c.querySelector('.preview-host')?.shadowRoot
      expect(shadow?.querySelector('.headline')?.textContent).toBe('Still thinking it over?')
      expect(shadow?.querySelector('a.cta')?.textContent).toBe('Use my code')
    })

    submit(c)
    await settle()
    expect(patches).toHaveLength(1)
    const sent = patches[0]?.config
    expect(sent).toEqual({
      audience: { kind: 'cart_abandoners', lookbackDays: 14, minCartValue: 40 },
      exclude: { convertedWithinDays: 14, segments: ['vip', 'staff'] },
      format: 'sticky_bottom',
      dismissible: true,
      dynamicContent: true,
      maxProducts: 2,
      incentive: { type: 'percentage', value: 15, currency: 'USD', uniqueCodes: false, promoCode: 'BACK15' },
      sequence: { afterDays: 4, headline: 'Still thinking it over?', ctaText: 'Use my code' },
    })
    // What the editor sends is what the type's schema takes, unchanged.
    expect(remarketingConfig.parse(sent)).toEqual(sent)
  })

  it('shows the API’s errors at the config fields they are about', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (init?.method === 'PATCH')
          return json(400, {
            error: {
              code: 'validation_failed',
              message: 'Invalid campaign',
              details: [
                { path: 'config.audience.lookbackDays', message: 'Too big: expected number to be <=540' },
                { path: 'config.sequence.headline', message: 'must be plain text, not HTML' },
              ],
            },
          })
        return url === '/api/v1/campaigns/c1'
          ? json(200, { ...campaign, config: { ...config, sequence: { afterDays: 3, headline: 'Hi' } } })
          : json(404, {})
      }),
    )
    const view = renderInto(<CampaignEditorPage id="c1" site={site} sites={[site]} />)
    unmount = view.unmount
    await settle()
    const c = view.container
    type(c, 'field-config-audience-lookbackDays', '900')
    type(c, 'field-config-sequence-headline', '<b>Back</b>')
    submit(c)
    await settle()
    const errorOf = (id: string) => c.querySelector(`#${id}-error`)?.textContent
    expect(el(c, '#field-config-audience-lookbackDays').getAttribute('aria-invalid')).toBe('true')
    expect(errorOf('field-config-audience-lookbackDays')).toBe('Too big: expected number to be <=540')
    expect(errorOf('field-config-sequence-headline')).toBe('must be plain text, not HTML')
    const summary = c.querySelector('.error-summary')?.textContent ?? ''
    expect(summary).toContain('Looking back (days): Too big')
    expect(summary).toContain('Message 2 headline: must be plain text')
    // The API's own schema refuses the same values at the same paths.
    const refused = remarketingConfig.safeParse({
      ...config,
      audience: { kind: 'cart_abandoners', lookbackDays: 900 },
      sequence: { afterDays: 3, headline: '<b>Back</b>' },
    })
    expect(refused.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'audience.lookbackDays',
      'sequence.headline',
    ])
  })
})
