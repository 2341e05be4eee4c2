// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Campaign } from '../../../admin/api'
import { CampaignEditorPage } from '../../../admin/pages/campaign-editor'
import { json, renderInto, settle } from '../../../admin/testing/render'
import { testSite } from '../../../admin/testing/site'
import { salesConfig } from '../config'
import { defaultSalesConfig, withDefaults } from './editor'
import { sampleFill } from './preview'
import { salesTemplates } from './templates'

const site = testSite({ id: 's1', name: 'Shop' })

const config = {
  nudge: 'product_promo',
  format: 'inline',
  products: [
    { id: 'sku-1', name: 'Merino sweater', url: 'https://shop.example/p/1', price: 89, compareAtPrice: 99 },
  ],
  productIds: ['sku-1'],
  currency: 'EUR',
}

const campaign: Campaign = {
  id: 'c1',
  siteId: 's1',
  name: 'Winter sale',
  type: 'sales',
  status: 'paused',
  objective: null,
  priority: 0,
  weight: 1,
  placements: ['product-aside'],
  schedule: { timezone: 'Europe/Paris' },
  targeting: {},
  frequency: { countOn: 'viewable' },
  experiment: { holdoutPercent: 0 },
  pacing: null,
  cost: null,
  config,
  variants: [{ id: 'v1', name: 'A', weight: 1, creative: { headline: 'Winter picks' } }],
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
function click(container: HTMLElement, text: string) {
  const button = [...container.querySelectorAll('button')].find((b) => b.textContent === text)
  if (!button) throw new Error(`no button “${text}”`)
  act(() => button.click())
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

function editing(saved: Campaign = campaign) {
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
  return { c: view.container, patches }
}

describe('sales editor', () => {
  it('starts from a config the schema takes as it is, and its templates are taken too', () => {
    expect(salesConfig.parse(defaultSalesConfig())).toEqual(defaultSalesConfig())
    for (const template of salesTemplates) expect(salesConfig.safeParse(template.config).success).toBe(true)
  })

  it('fills the defaults the schema fills, for the preview, without the schema', () => {
    const configs = [
      {},
      config,
      { nudge: 'free_shipping', freeShippingThreshold: 50, format: 'sticky_bottom' },
      { discount: { type: 'free_shipping' }, socialProof: {} },
      {
        discount: { type: 'percentage', value: 10 },
        socialProof: { minimum: 3 },
        trigger: { on: 'exit' },
        format: 'popup',
      },
    ]
    for (const each of configs) expect(withDefaults(each)).toEqual(salesConfig.parse(each))
  })

  it('shows a saved config in its fields, and sends back every change as the config the API takes', async () => {
    const { c, patches } = editing()
    await settle()
    expect(el<HTMLSelectElement>(c, '#field-config-nudge').value).toBe('product_promo')
    expect(el(c, '#field-config-products-0-name').value).toBe('Merino sweater')
    expect(el(c, '#field-config-products-0-price').value).toBe('89')
    expect(el(c, '#field-config-productIds').value).toBe('sku-1')

    choose(c, 'field-config-nudge', 'upsell')
    type(c, 'field-config-products-0-compareAtPrice', '109')
    click(c, 'Add a product')
    type(c, 'field-config-products-1-name', 'Wool socks')
    type(c, 'field-config-products-1-id', 'sku-2')
    type(c, 'field-config-products-1-url', 'https://shop.example/p/2')
    type(c, 'field-config-products-1-price', '12.5')
    type(c, 'field-config-categoryIds', 'knitwear, winter')
    choose(c, 'field-config-discount-type', 'percentage')
    type(c, 'field-config-discount-value', '15')
    type(c, 'field-config-promoCodes', 'WINTER15')
    tick(c, 'field-config-socialProof', true)
    type(c, 'field-config-socialProof-minimum', '10')
    type(c, 'field-config-freeShippingThreshold', '60')
    choose(c, 'field-config-optimizationGoal', 'revenue')
    type(c, 'field-config-dailyBudget', '25')
    type(c, 'field-config-targetRoas', '4')
    submit(c)
    await settle()

    expect(patches).toHaveLength(1)
    const sent = patches[0]?.config
    expect(sent).toEqual({
      nudge: 'upsell',
      format: 'inline',
      products: [
        {
          id: 'sku-1',
          name: 'Merino sweater',
          url: 'https://shop.example/p/1',
          price: 89,
          compareAtPrice: 109,
        },
        { id: 'sku-2', name: 'Wool socks', url: 'https://shop.example/p/2', price: 12.5 },
      ],
      productIds: ['sku-1'],
      categoryIds: ['knitwear', 'winter'],
      discount: { type: 'percentage', value: 15 },
      promoCodes: ['WINTER15'],
      socialProof: { minimum: 10, windowHours: 24 },
      freeShippingThreshold: 60,
      currency: 'EUR',
      optimizationGoal: 'revenue',
      dailyBudget: 25,
      targetRoas: 4,
    })
    // What the editor sends is what the type's schema takes (the defaults it adds aside).
    expect(salesConfig.parse(sent)).toEqual(withDefaults(sent as Record<string, unknown>))
    expect(patches[0]?.placements).toEqual(['product-aside'])
  })

  it('drops the discount and social proof when they are turned off, and moves products', async () => {
    const saved = {
      ...campaign,
      config: {
        ...config,
        products: [...config.products, { id: 'sku-2', name: 'Socks', url: 'https://shop.example/p/2' }],
        discount: { type: 'fixed_amount', value: 5 },
        socialProof: { minimum: 5, windowHours: 24 },
      },
    }
    const { c, patches } = editing(saved)
    await settle()
    choose(c, 'field-config-discount-type', 'none')
    tick(c, 'field-config-socialProof', false)
    click(c, 'Move up product 2')
    submit(c)
    await settle()
    const sent = patches[0]?.config as Record<string, unknown>
    expect(sent).not.toHaveProperty('discount')
    expect(sent).not.toHaveProperty('socialProof')
    expect((sent.products as { id: string }[]).map((p) => p.id)).toEqual(['sku-2', 'sku-1'])
    expect(salesConfig.safeParse(sent).success).toBe(true)
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
                { path: 'config.products.0.url', message: 'Invalid URL' },
                {
                  path: 'config.freeShippingThreshold',
                  message: 'the free_shipping nudge needs a threshold',
                },
                { path: 'config.currency', message: 'an ISO 4217 code like EUR' },
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
    choose(c, 'field-config-nudge', 'free_shipping')
    type(c, 'field-config-currency', 'euro')
    submit(c)
    await settle()
    const errorOf = (id: string) => c.querySelector(`#${id}-error`)?.textContent
    expect(errorOf('field-config-products-0-url')).toBe('Invalid URL')
    expect(errorOf('field-config-freeShippingThreshold')).toBe('the free_shipping nudge needs a threshold')
    expect(el(c, '#field-config-currency').getAttribute('aria-invalid')).toBe('true')
    const summary = c.querySelector('.error-summary')?.textContent ?? ''
    expect(summary).toContain('Free shipping from: the free_shipping nudge needs a threshold')
    expect(summary).toContain('Currency: an ISO 4217 code like EUR')
  })

  it('previews the unit with the widget itself and a sample visitor’s fill', async () => {
    const { c } = editing()
    await settle()
    await new Promise((resolve) => setTimeout(resolve, 200))
    await settle()
    const host = c.querySelector('.preview-host')
    const card = host?.shadowRoot?.querySelector('.card .name')
    expect(card?.textContent).toBe('Merino sweater')
  })
})

describe('the preview’s sample fill', () => {
  it('makes cards of the config’s products, a cart on the way to free shipping, and the code button with a discount', () => {
    const fill = sampleFill(
      withDefaults({ ...config, socialProof: { minimum: 7 }, discount: { type: 'percentage', value: 10 } }),
    )
    expect(fill.products[0]).toMatchObject({
      id: 'sku-1',
      title: 'Merino sweater',
      price: 89,
      bought: 7,
      currency: 'EUR',
    })
    expect(fill.codes).toBe(true)
    const shipping = sampleFill(withDefaults({ nudge: 'free_shipping', freeShippingThreshold: 50 }))
    expect(shipping.cart?.value).toBe(30)
    expect(shipping.codes).toBe(false)
    expect(sampleFill(withDefaults({ nudge: 'cart_reminder' })).cart?.items).toHaveLength(1)
  })
})
