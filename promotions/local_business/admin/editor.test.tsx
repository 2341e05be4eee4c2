// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Campaign } from '../../../admin/api'
import { CampaignEditorPage } from '../../../admin/pages/campaign-editor'
import { json, renderInto, settle } from '../../../admin/testing/render'
import { testSite } from '../../../admin/testing/site'
import { localBusinessConfig } from '../config'
import { LocatorFields, locatorTexts } from './editor'

const site = testSite({
  id: 's1',
  name: 'Shop',
  publishableKey: 'pk_live_abc',
  allowedOrigins: [],
  createdAt: '2025-01-01T00:00:00Z',
})

const config = {
  storeRefs: ['paris-11', 'lyon-2'],
  geolocation: 'approximate',
  maxStores: 3,
  radiusKm: 50,
  distanceUnit: 'km',
  actions: ['directions', 'call'],
  mapsProvider: 'google',
  sku: 'SKU-1',
  texts: { title: 'Nos magasins' },
}

const campaign: Campaign = {
  id: 'c1',
  siteId: 's1',
  name: 'Locator',
  type: 'local_business',
  status: 'paused',
  objective: null,
  priority: 0,
  weight: 1,
  placements: ['store-finder'],
  schedule: { timezone: 'Europe/Paris' },
  targeting: {},
  frequency: { countOn: 'viewable' },
  experiment: { holdoutPercent: 0 },
  pacing: null,
  cost: null,
  config,
  variants: [{ id: 'v1', name: 'A', weight: 1, creative: { headline: 'Find us' } }],
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

const frenchDays = ['Dimanche', 'Lundi', 'Mardi', 'Mercredi', 'Jeudi', 'Vendredi', 'Samedi']

describe('LocatorFields', () => {
  it('hands back the config with each change', () => {
    const onChange = vi.fn()
    const view = renderInto(
      <LocatorFields
        config={{ geolocation: 'approximate', actions: ['directions'] }}
        errors={new Map()}
        onChange={onChange}
      />,
    )
    unmount = view.unmount
    choose(view.container, 'field-config-geolocation', 'precise')
    expect(onChange).toHaveBeenLastCalledWith({ geolocation: 'precise', actions: ['directions'] })
    tick(view.container, 'field-config-actions-call', true)
    expect(onChange).toHaveBeenLastCalledWith({ geolocation: 'approximate', actions: ['directions', 'call'] })
    // One weekday typed: the week is kept whole, the others at the schema's names.
    type(view.container, 'field-config-texts-weekdays-1', 'Lundi')
    const week = onChange.mock.lastCall?.[0].texts.weekdays
    expect(week).toEqual(['Sunday', 'Lundi', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'])
    // An emptied text goes back to the schema's default.
    type(view.container, 'field-config-texts-noResult', 'Rien ici')
    type(view.container, 'field-config-texts-noResult', '')
    expect(onChange.mock.lastCall?.[0]).toEqual({
      geolocation: 'approximate',
      actions: ['directions'],
      texts: {},
    })
  })

  it('turns the map on with a word on what it costs the visitor, and previews its room without loading it', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => (url === '/api/v1/campaigns/c1' ? json(200, campaign) : json(404, {}))),
    )
    const view = renderInto(<CampaignEditorPage id="c1" site={site} sites={[site]} />)
    unmount = view.unmount
    await settle()
    const c = view.container
    const toggle = el(c, '#field-config-map-enabled')
    expect(toggle.checked).toBe(false)
    const hint = el(c, `#${toggle.getAttribute('aria-describedby')}`)
    expect(hint.textContent).toContain('OpenStreetMap, a third party that then sees the visitor')
    expect(c.querySelector('.preview-slot .preview-host')?.shadowRoot?.querySelector('.map')).toBeFalsy()

    tick(c, 'field-config-map-enabled', true)
    expect(el(c, '#field-config-map-heightPx').value).toBe('240')
    type(c, 'field-config-map-heightPx', '180')
    await vi.waitFor(async () => {
      await settle(1)
      const box = c
        .querySelector('.preview-slot .preview-host')
        ?.shadowRoot?.querySelector<HTMLElement>('.map')
      expect(box?.style.height).toBe('180px')
      expect(box?.querySelector('iframe')).toBeNull()
    })
    expect(c.textContent).toContain("The map's space stays empty here")
    expect(vi.mocked(fetch).mock.calls.every(([url]) => String(url).startsWith('/api/'))).toBe(true)
  })

  it('edits every field of the schema', () => {
    const schemaTexts = Object.keys(localBusinessConfig.shape.texts.parse(undefined)).sort()
    expect([...locatorTexts.map((t) => t.key), 'weekdays'].sort()).toEqual(schemaTexts)
  })

  it('shows a saved locator in its fields, and sends back every change as the config the API takes', async () => {
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

    expect(el(c, '#field-config-storeRefs').value).toBe('paris-11, lyon-2')
    expect(el(c, '#field-config-sku').value).toBe('SKU-1')
    expect(el(c, '#field-config-radiusKm').value).toBe('50')
    expect(el(c, '#field-config-texts-title').value).toBe('Nos magasins')
    expect(el(c, '#field-config-texts-search').value).toBe('')
    expect(el(c, '#field-config-texts-weekdays-0').value).toBe('Sunday')
    expect(el(c, '#field-config-actions-call').checked).toBe(true)

    type(c, 'field-config-storeRefs', 'paris-11, lyon-2, lille-1')
    choose(c, 'field-config-geolocation', 'precise')
    choose(c, 'field-config-maxStores', '7')
    type(c, 'field-config-radiusKm', '12.5')
    choose(c, 'field-config-distanceUnit', 'mi')
    tick(c, 'field-config-actions-call', false)
    tick(c, 'field-config-actions-storePage', true)
    tick(c, 'field-config-actions-inventory', true)
    choose(c, 'field-config-mapsProvider', 'openstreetmap')
    expect(c.querySelector('#field-config-map-heightPx')).toBeNull()
    tick(c, 'field-config-map-enabled', true)
    type(c, 'field-config-map-heightPx', '300')
    type(c, 'field-config-sku', 'SKU-2')
    const texts: Record<string, unknown> = {}
    for (const { key } of locatorTexts) {
      texts[key] = `${key} fr`
      type(c, `field-config-texts-${key}`, `${key} fr`)
    }
    for (const [index, day] of frenchDays.entries()) type(c, `field-config-texts-weekdays-${index}`, day)
    // The live preview shows the card with the words as typed (the variant's headline stands before the title).
    await vi.waitFor(async () => {
      await settle(1)
      const shadow = c.querySelector('.preview-slot .preview-host')?.shadowRoot
      expect(shadow?.textContent).toContain('search fr')
      expect(shadow?.textContent).toContain('useLocation fr')
      expect(shadow?.querySelector('input')?.getAttribute('placeholder')).toBe('searchPlaceholder fr')
    })
    submit(c)
    await settle()

    expect(patches).toHaveLength(1)
    const sent = patches[0]?.config
    expect(sent).toEqual({
      storeRefs: ['paris-11', 'lyon-2', 'lille-1'],
      geolocation: 'precise',
      maxStores: 7,
      radiusKm: 12.5,
      distanceUnit: 'mi',
      actions: ['directions', 'storePage', 'inventory'],
      mapsProvider: 'openstreetmap',
      map: { enabled: true, heightPx: 300 },
      sku: 'SKU-2',
      texts: { ...texts, weekdays: frenchDays },
    })
    // What the editor sends is what the type's schema takes, unchanged.
    expect(localBusinessConfig.parse(sent)).toEqual(sent)
    expect(el(c, '#field-config-texts-weekdays-6').value).toBe('Samedi')
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
                { path: 'config.radiusKm', message: 'Too big: expected number to be <=1000' },
                { path: 'config.texts.weekdays.2', message: 'Too small: expected at least 1 character' },
                { path: 'config.texts.noResult', message: 'must be plain text, not HTML' },
                { path: 'config.storeRefs', message: 'a store appears twice' },
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
    type(c, 'field-config-radiusKm', '5000')
    type(c, 'field-config-texts-weekdays-2', '')
    type(c, 'field-config-texts-noResult', '<b>none</b>')
    type(c, 'field-config-storeRefs', 'a, a')
    submit(c)
    await settle()
    const errorOf = (id: string) => c.querySelector(`#${id}-error`)?.textContent
    for (const id of [
      'field-config-radiusKm',
      'field-config-texts-weekdays-2',
      'field-config-texts-noResult',
      'field-config-storeRefs',
    ])
      expect(el(c, `#${id}`).getAttribute('aria-invalid')).toBe('true')
    expect(errorOf('field-config-radiusKm')).toBe('Too big: expected number to be <=1000')
    expect(errorOf('field-config-texts-weekdays-2')).toBe('Too small: expected at least 1 character')
    expect(errorOf('field-config-texts-noResult')).toBe('must be plain text, not HTML')
    const summary = c.querySelector('.error-summary')?.textContent ?? ''
    expect(summary).toContain('Radius: Too big')
    expect(summary).toContain('Weekday name (Tuesday): Too small')
    expect(summary).toContain('No store found: must be plain text')
    // The API's own schema refuses the same values at the same paths.
    const refused = localBusinessConfig.safeParse({ radiusKm: 5000, texts: { noResult: '<b>none</b>' } })
    expect(refused.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'radiusKm',
      'texts.noResult',
    ])
  })
})
