// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { FormatContext } from '../../../sdk/kit/context'
import type { RemarketingDecision, RemarketingFill, RemarketingProduct } from '../decision'
import { mount } from './index'

const hostile = '<img src=x onerror=alert(1)>'

const mug: RemarketingProduct = {
  id: 'SKU-1',
  title: 'Blue mug',
  url: 'https://shop.example/p/mug',
  clickUrl: 'https://promo.example/r/mug-token?a=anon-1',
  imageUrl: 'https://shop.example/mug.jpg',
  price: 12,
  currency: 'EUR',
}

function decision(
  fill: RemarketingFill | undefined,
  format = 'popup',
  config: Record<string, unknown> = {},
): RemarketingDecision {
  return {
    campaignId: '0190a0a0-0000-7000-8000-000000000001',
    variantId: '0190a0a0-0000-7000-8000-000000000002',
    type: 'remarketing',
    format,
    ...(format === 'inline' ? { slot: 'aside' } : {}),
    creative: {
      headline: 'Your cart is waiting',
      body: 'Finish your order today.',
      ctaText: 'Back to my cart',
      ctaUrl: 'https://shop.example/cart',
    },
    config: { format, dynamicContent: true, ...config },
    clickUrl: 'https://promo.example/r/unit-token',
    ...(fill ? { remarketing: fill } : {}),
  }
}

const cleanups: (() => void)[] = []
function draw(unit: RemarketingDecision, ctx: Partial<FormatContext> = {}) {
  const host = document.createElement('div')
  document.body.appendChild(host)
  const context = { onClick: vi.fn(), onClose: vi.fn(), report: vi.fn(), preview: true, ...ctx }
  const unmount = mount(host, unit, context)
  cleanups.push(() => {
    unmount()
    host.remove()
  })
  const root = host.shadowRoot!
  const text = (selector: string) => root.querySelector(selector)?.textContent
  return { root, context, text }
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
  document.body.innerHTML = ''
  vi.unstubAllGlobals()
})

describe('the reminder', () => {
  it('shows message 1, the visitor’s products through their signed click URLs, and the offer', () => {
    const { root, text } = draw(
      decision({ step: 1, products: [mug], incentive: { type: 'percentage', value: 10 } }),
    )
    expect(root.querySelector('[role="dialog"]')).not.toBeNull()
    expect(text('.headline')).toBe('Your cart is waiting')
    expect(text('.body')).toBe('Finish your order today.')
    const link = root.querySelector<HTMLAnchorElement>('.card a')!
    expect(link.href).toBe(mug.clickUrl)
    expect(text('.card .name')).toBe('Blue mug')
    expect(text('.card .price')).toMatch(/12/)
    expect(root.querySelector<HTMLImageElement>('.card img')!.src).toBe(mug.imageUrl)
    expect(text('.deal')).toBe('10% off')
    // No code in the decision: nothing to reveal.
    expect(root.querySelector('.code')).toBeNull()
    expect(root.querySelector<HTMLAnchorElement>('a.cta')!.href).toBe('https://promo.example/r/unit-token')
    expect(text('a.cta')).toBe('Back to my cart')
  })

  it('shows message 2 instead of the creative once the sequence reaches it', () => {
    const { text } = draw(
      decision({ step: 2, message: { headline: 'Still there?', ctaText: 'Use it' }, products: [mug] }),
    )
    expect(text('.headline')).toBe('Still there?')
    expect(text('.body')).toBeUndefined()
    expect(text('a.cta')).toBe('Use it')
  })

  it('reveals the campaign’s code and copies it', async () => {
    const writeText = vi.fn(async () => {})
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    const fetch = vi.fn()
    vi.stubGlobal('fetch', fetch)
    const { root, text } = draw(
      decision({
        step: 1,
        products: [mug],
        incentive: { type: 'fixed_amount', value: 5, code: 'COMEBACK5' },
      }),
    )
    expect(text('.deal')).toMatch(/5/)
    root.querySelector<HTMLButtonElement>('.code button')!.click()
    await settle()
    expect(text('.code .value')).toBe('COMEBACK5')
    root.querySelector<HTMLButtonElement>('.code button')!.click()
    await settle()
    expect(writeText).toHaveBeenCalledWith('COMEBACK5')
    expect(text('.code .note')).toBe('Copied')
    // The code was in the decision: nothing was asked of the API.
    expect(fetch).not.toHaveBeenCalled()
  })

  it('reveals the visitor’s own code of the pool, asking the API with the decision’s visitor token', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ code: 'BACK-7QX2M' }), { status: 200 }))
    vi.stubGlobal('fetch', fetch)
    const unit = {
      ...decision({ step: 1, products: [mug], incentive: { type: 'percentage', value: 10, unique: true } }),
      visitorToken: 'token-of-anon-1',
    }
    const { root, text } = draw(unit, {
      preview: false,
      sender: () => ({ api: 'https://api.example', site: 'pk_site', anonymousId: 'anon-1' }),
    })
    expect(text('.code .value')).toBeUndefined()
    root.querySelector<HTMLButtonElement>('.code button')!.click()
    await settle()
    await settle()
    expect(text('.code .value')).toBe('BACK-7QX2M')
    expect(fetch).toHaveBeenCalledOnce()
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit]
    expect(url).toBe('https://api.example/api/v1/promo-codes/reveal')
    expect(JSON.parse(String(init.body))).toEqual({
      site: 'pk_site',
      campaignId: unit.campaignId,
      variantId: unit.variantId,
      anonymousId: 'anon-1',
      visitorToken: 'token-of-anon-1',
    })
  })

  it('says so when the pool has no code left, and shows a sample in the admin’s preview', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify({ error: { code: 'exhausted' } }), { status: 409 })),
    )
    const unique = decision({
      step: 1,
      products: [mug],
      incentive: { type: 'percentage', value: 10, unique: true },
    })
    const live = draw(unique, {
      preview: false,
      sender: () => ({ api: 'https://api.example', site: 'pk_site', anonymousId: 'anon-1' }),
    })
    live.root.querySelector<HTMLButtonElement>('.code button')!.click()
    await settle()
    await settle()
    expect(live.text('.code .note')).toBe('No code is available right now.')
    const preview = draw(unique)
    preview.root.querySelector<HTMLButtonElement>('.code button')!.click()
    await settle()
    expect(preview.text('.code .value')).toBe('SAMPLE10')
  })

  it('renders every text as text', () => {
    const { root } = draw(
      decision({
        step: 2,
        message: { headline: hostile, body: hostile, ctaText: hostile },
        products: [{ ...mug, title: hostile }],
      }),
    )
    expect(root.querySelector('img[onerror]')).toBeNull()
    expect(root.querySelector('.headline')!.textContent).toBe(hostile)
    expect(root.querySelector('.card .name')!.textContent).toBe(hostile)
  })

  it('leaves out products without an http(s) link, and draws nothing when a dynamic reminder has none', () => {
    const bad = { ...mug, clickUrl: 'javascript:alert(1)', url: 'javascript:alert(1)' }
    expect(draw(decision({ step: 1, products: [bad] })).root.childElementCount).toBe(0)
    const { root } = draw(decision({ step: 1, products: [bad, { ...mug, id: 'SKU-2' }] }))
    expect(root.querySelectorAll('.card')).toHaveLength(1)
  })

  it('closes on its button, as a bar always, inline unless the config says it is not dismissible', () => {
    const popup = draw(decision({ step: 1, products: [mug] }))
    popup.root.querySelector<HTMLButtonElement>('button.close')!.click()
    expect(popup.context.onClose).toHaveBeenCalledOnce()
    const bar = draw(decision({ step: 1, products: [mug] }, 'sticky_top', { dismissible: false }))
    expect(bar.root.querySelector('.bar.top button.close')).not.toBeNull()
    const fixed = draw(decision({ step: 1, products: [mug] }, 'inline', { dismissible: false }))
    expect(fixed.root.querySelector('.inline')).not.toBeNull()
    expect(fixed.root.querySelector('button.close')).toBeNull()
    expect(draw(decision({ step: 1 }, 'inline')).root.querySelector('button.close')).not.toBeNull()
  })

  it('tells the SDK where a product click leads', () => {
    const { root, context } = draw(decision({ step: 1, products: [mug] }))
    root.querySelector<HTMLAnchorElement>('.card a')!.click()
    expect(context.onClick).toHaveBeenCalledWith(mug.url)
  })
})
