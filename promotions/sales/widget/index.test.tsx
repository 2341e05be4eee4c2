// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { sampleCode } from '../../../sdk/formats/promo-code'
import type { FormatContext, TrackListener } from '../../../sdk/kit/context'
import type { SalesConfig } from '../config'
import type { ProductCard, SalesDecision, SalesFill } from '../decision'
import { money, nextValue } from './cart'
import { mount } from './index'

const hostile = '<img src=x onerror=alert(1)>'
const campaignId = '0190a0a0-0000-7000-8000-000000000001'
const variantId = '0190a0a0-0000-7000-8000-000000000002'

const sweater: ProductCard = {
  id: 'sku-1001',
  title: 'Merino travel sweater',
  url: 'https://shop.example/p/sweater',
  clickUrl: 'https://promo.example/r/card-token',
  imageUrl: 'https://shop.example/sweater.jpg',
  price: 89,
  compareAtPrice: 99,
  bought: 14,
}

function decision(
  config: Partial<SalesConfig>,
  sales: SalesFill = { products: [] },
  format = 'inline',
): SalesDecision {
  return {
    campaignId,
    variantId,
    type: 'sales',
    format,
    ...(format === 'inline' ? { slot: 'product-aside' } : {}),
    creative: { headline: 'Winter picks', ctaText: 'Shop the sale', ctaUrl: 'https://shop.example/sale' },
    config: { currency: 'EUR', ...config },
    clickUrl: 'https://promo.example/r/unit-token',
    sales,
  }
}

const cleanups: (() => void)[] = []
function draw(unit: SalesDecision, ctx: Partial<FormatContext> = {}) {
  const host = document.createElement('div')
  document.body.appendChild(host)
  const listeners: TrackListener[] = []
  const context = {
    onClick: vi.fn(),
    onClose: vi.fn(),
    report: vi.fn(),
    onTrack: (listener: TrackListener) => listeners.push(listener),
    sender: () => ({ api: 'https://api.example', site: 'pk_site', anonymousId: 'anon-1' }),
    ...ctx,
  }
  const unmount = mount(host, unit, context)
  cleanups.push(() => {
    unmount()
    host.remove()
  })
  const root = host.shadowRoot!
  /** The page calls `Promo.track(name, props)`. */
  const track = (name: string, props?: Record<string, unknown>) => {
    for (const listener of listeners) listener(name, props)
  }
  const text = (selector: string) => root.querySelector(selector)?.textContent
  return { host, root, context, track, text }
}

/** Lets Preact apply state updates, and a fetch answer arrive. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
  document.body.innerHTML = ''
  vi.unstubAllGlobals()
})

describe('the cart value from the page’s events', () => {
  it('adds item_price × quantity, takes removals off, empties at Purchase, and ignores the rest', () => {
    const add = {
      contents: [
        { id: 'a', quantity: 2, item_price: 9.99 },
        { id: 'b', item_price: 5 },
      ],
    }
    expect(nextValue(10, 'AddToCart', add, 'EUR')).toBe(34.98)
    expect(nextValue(10, 'AddToCart', { value: 7.5 }, 'EUR')).toBe(17.5)
    expect(
      nextValue(10, 'RemoveFromCart', { contents: [{ id: 'a', quantity: 1, item_price: 25 }] }, 'EUR'),
    ).toBe(0)
    expect(nextValue(10, 'Purchase', { value: 10 }, 'EUR')).toBe(0)
    expect(nextValue(10, 'ViewContent', { value: 99 }, 'EUR')).toBe(10)
    expect(nextValue(10, 'AddToCart', { value: 5, currency: 'usd' }, 'EUR')).toBe(10)
    expect(nextValue(10, 'AddToCart', { value: 5, currency: 'eur' }, 'EUR')).toBe(15)
  })

  it('leaves out what is not a finite, non-negative number: prices as strings, negative quantities, junk', () => {
    const junk = {
      contents: [
        { id: 'a', quantity: -3, item_price: 10 },
        { id: 'b', quantity: 1, item_price: '10' },
        null,
        'x',
        { id: 'c', quantity: 1, item_price: Number.POSITIVE_INFINITY },
      ],
      value: '12',
    }
    expect(nextValue(10, 'AddToCart', junk, 'EUR')).toBe(10)
    expect(nextValue(10, 'AddToCart', { value: -5 }, 'EUR')).toBe(10)
    expect(nextValue(10, 'AddToCart', undefined, 'EUR')).toBe(10)
    expect(nextValue(10, 'AddToCart', { contents: 'no' as unknown as [] }, 'EUR')).toBe(10)
  })

  it('writes money in the currency, and a bare number when the currency is unknown', () => {
    expect(money(12, 'EUR')).toBe(
      new Intl.NumberFormat(undefined, { style: 'currency', currency: 'EUR' }).format(12),
    )
    expect(money(12, 'EUR')).toContain('12.00')
    expect(money(12, undefined)).toBe('12.00')
    expect(money(12, 'nope')).toBe('12.00')
  })
})

describe('product promo cards', () => {
  it('shows each product with picture, price, struck compare-at price and its real purchase count, as text', () => {
    const hostileCard = { ...sweater, id: 'sku-2', title: hostile, bought: undefined, compareAtPrice: 50 }
    const { root, text } = draw(
      decision({ socialProof: { minimum: 5, windowHours: 24 } }, { products: [sweater, hostileCard] }),
    )
    const cards = root.querySelectorAll('.card')
    expect(cards).toHaveLength(2)
    expect(cards[0]!.querySelector('.name')!.textContent).toBe('Merino travel sweater')
    expect(cards[0]!.querySelector('.price')!.textContent).toBe(`${money(89, 'EUR')}${money(99, 'EUR')}`)
    expect(cards[0]!.querySelector('s.was')!.textContent).toBe('€99.00')
    expect(cards[0]!.querySelector('.proof')!.textContent).toBe('14 bought today')
    expect(cards[0]!.querySelector('img')!.getAttribute('src')).toBe('https://shop.example/sweater.jpg')
    expect(cards[1]!.querySelector('.name')!.textContent).toBe(hostile)
    expect(cards[1]!.querySelector('.proof')).toBeNull()
    // A compare-at price below the price is no saving: not shown.
    expect(cards[1]!.querySelector('s')).toBeNull()
    expect(root.querySelectorAll('img')).toHaveLength(2)
    expect(text('.headline')).toBe('Winter picks')
    expect(root.querySelector('style')).toBeNull()
  })

  it('names the window of a count that is not a day', () => {
    const { text } = draw(decision({ socialProof: { minimum: 5, windowHours: 48 } }, { products: [sweater] }))
    expect(text('.proof')).toBe('14 bought in the last 48 hours')
  })

  it('links each card through its signed click URL and tells the context where it leads', () => {
    const { root, context } = draw(decision({}, { products: [sweater] }))
    const link = root.querySelector<HTMLAnchorElement>('.card a')!
    expect(link.getAttribute('href')).toBe('https://promo.example/r/card-token')
    link.addEventListener('click', (event) => event.preventDefault())
    link.click()
    expect(context.onClick).toHaveBeenCalledWith('https://shop.example/p/sweater')
    expect(root.querySelector('a.cta')!.getAttribute('href')).toBe('https://promo.example/r/unit-token')
  })

  it('drops cards without an http(s) link, and draws nothing when none is left', () => {
    const bad = { ...sweater, url: 'javascript:alert(1)', clickUrl: 'data:text/html,x' }
    const { root } = draw(decision({}, { products: [bad] }))
    expect(root.querySelector('.unit')).toBeNull()
    expect(root.querySelector('a[href^="javascript"]')).toBeNull()
  })

  it.each([
    ['checkout', 'Before you check out'],
    ['upsell', 'You may prefer'],
    ['cross_sell', 'Goes well with your cart'],
  ] as const)('a %s pick has its own heading when the creative has none', (nudge, heading) => {
    const unit = decision({ nudge }, { products: [sweater] })
    unit.creative.headline = ''
    const { root, text } = draw(unit)
    expect(text('.headline')).toBe(heading)
    expect(root.querySelector('.unit')!.getAttribute('aria-labelledby')).toBe('promo-title')
    expect(root.querySelectorAll('.card')).toHaveLength(1)
  })
})

describe('the free-shipping bar', () => {
  const cart = (value: number) => ({
    items: [{ id: 'a', quantity: 1, price: value }],
    value,
    updatedAt: '2026-12-07T05:00:00Z',
    abandoned: false,
  })

  it('says how far the cart is from free shipping, and moves as the page adds to the cart', async () => {
    const { root, track, text } = draw(
      decision({ nudge: 'free_shipping', freeShippingThreshold: 50 }, { products: [], cart: cart(38) }),
    )
    const bar = root.querySelector('[role=progressbar]')!
    expect(text('.ship')).toBe('€12.00 away from free shipping')
    expect(bar.getAttribute('aria-valuenow')).toBe('38')
    expect(root.querySelector<HTMLElement>('.fill')!.style.width).toBe('76%')
    track('AddToCart', { contents: [{ id: 'b', quantity: 1, item_price: 7 }], value: 7, currency: 'EUR' })
    await settle()
    expect(text('.ship')).toBe('€5.00 away from free shipping')
    expect(bar.getAttribute('aria-valuetext')).toBe('€5.00 away from free shipping')
    track('AddToCart', { contents: [{ id: 'c', quantity: 2, item_price: 10 }], currency: 'EUR' })
    await settle()
    expect(text('.ship')).toBe("You've got free shipping")
    expect(root.querySelector<HTMLElement>('.fill')!.style.width).toBe('100%')
    expect(bar.getAttribute('aria-valuenow')).toBe('50')
    track('RemoveFromCart', { contents: [{ id: 'c', quantity: 2, item_price: 10 }], currency: 'EUR' })
    await settle()
    expect(text('.ship')).toBe('€5.00 away from free shipping')
    expect(root.querySelector('.ship')!.getAttribute('aria-live')).toBe('polite')
  })

  it('starts from an empty cart when the visitor has none', () => {
    const { text } = draw(decision({ nudge: 'free_shipping', freeShippingThreshold: 50 }))
    expect(text('.ship')).toBe('€50.00 away from free shipping')
  })
})

describe('the cart reminder', () => {
  const left = {
    items: [
      {
        id: 'sku-1',
        quantity: 1,
        price: 89,
        title: 'Merino sweater',
        url: 'https://shop.example/p/1',
        imageUrl: 'https://shop.example/1.jpg',
      },
      { id: 'sku-2', quantity: 1, price: 19.5, title: hostile, url: 'https://shop.example/p/2' },
    ],
    value: 108.5,
    currency: 'EUR',
    updatedAt: '2026-12-06T10:00:00Z',
    abandoned: true,
  }

  it('names the items a returning visitor left, with picture, price and a link back', () => {
    const { root, text, context } = draw(decision({ nudge: 'cart_reminder' }, { products: [], cart: left }))
    expect(text('.left')).toBe('You left 2 items in your cart')
    const lines = root.querySelectorAll('.lines .card')
    expect([...lines].map((line) => line.querySelector('.name')!.textContent)).toEqual([
      'Merino sweater',
      hostile,
    ])
    expect(lines[0]!.querySelector('a')!.getAttribute('href')).toBe('https://shop.example/p/1')
    expect(lines[0]!.querySelector('.price')!.textContent).toBe('€89.00')
    expect(lines[0]!.querySelector('img')).not.toBeNull()
    expect(lines[1]!.querySelector('img')).toBeNull()
    const back = root.querySelector<HTMLAnchorElement>('a.cta')!
    expect(back.textContent).toBe('Shop the sale')
    back.addEventListener('click', (event) => event.preventDefault())
    back.click()
    expect(context.onClick).toHaveBeenCalledWith(undefined)
  })

  it('counts quantities, names a line without a title by its id, and shows nothing without a cart', () => {
    const cart = { ...left, items: [{ id: 'sku-9', quantity: 3, price: 4 }] }
    const unit = decision({ nudge: 'cart_reminder' }, { products: [], cart })
    unit.creative.ctaText = undefined
    const { root, text } = draw(unit)
    expect(text('.left')).toBe('You left 3 items in your cart')
    expect(text('.lines .name')).toBe('sku-9')
    expect(text('.lines .price')).toBe('3 × €4.00')
    expect(root.querySelector('.lines a')).toBeNull()
    expect(text('a.cta')).toBe('Back to your cart')
    const empty = draw(decision({ nudge: 'cart_reminder' }))
    expect(empty.root.querySelector('.unit')).toBeNull()
  })
})

describe('popup and bars', () => {
  it('an exit-intent popup is a modal dialog that Escape closes', async () => {
    const { root, context } = draw(
      decision({ discount: { type: 'percentage', value: 10 } }, { products: [sweater] }, 'popup'),
    )
    const dialog = root.querySelector('[role=dialog]')!
    expect(dialog.getAttribute('aria-modal')).toBe('true')
    expect(dialog.getAttribute('aria-labelledby')).toBe('promo-title')
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    await settle()
    expect(context.onClose).toHaveBeenCalledOnce()
    expect(root.querySelector('[role=dialog]')).toBeNull()
  })

  it('a sticky bar sits over the page with a close button; an inline unit has none', async () => {
    const bar = draw(
      decision({ nudge: 'free_shipping', freeShippingThreshold: 50 }, { products: [] }, 'sticky_top'),
    )
    expect(bar.root.querySelector('.unit')!.className).toContain('bar top')
    bar.root.querySelector<HTMLButtonElement>('.close')!.click()
    await settle()
    expect(bar.context.onClose).toHaveBeenCalledOnce()
    expect(bar.root.querySelector('.unit')).toBeNull()
    const inline = draw(decision({}, { products: [sweater] }))
    expect(inline.root.querySelector('.close')).toBeNull()
  })
})

describe('the promo code', () => {
  function fakeApi(answer: () => Promise<Response>) {
    const fetch = vi.fn(answer)
    vi.stubGlobal('fetch', fetch)
    return fetch
  }
  const withCodes = (extra: Partial<SalesFill> = {}) =>
    decision({}, { products: [sweater], codes: true, ...extra })

  it('reveals this visitor’s code from the API, then copies it and says so', async () => {
    const fetch = fakeApi(async () =>
      Response.json({ code: 'VIP-7HK2M9QRTA', campaignId, variantId, expiresAt: null }),
    )
    const writeText = vi.fn(async () => {})
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    const { root, text } = draw(withCodes())
    const reveal = root.querySelector<HTMLButtonElement>('.code button')!
    expect(reveal.textContent).toBe('Reveal code')
    reveal.click()
    await settle()
    await settle()
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit]
    expect(url).toBe('https://api.example/api/v1/promo-codes/reveal')
    expect(JSON.parse(String(init.body))).toEqual({
      site: 'pk_site',
      campaignId,
      variantId,
      anonymousId: 'anon-1',
    })
    expect(text('.value')).toBe('VIP-7HK2M9QRTA')
    const copy = root.querySelector<HTMLButtonElement>('.code button')!
    expect(copy.textContent).toBe('Copy')
    expect(root.activeElement).toBe(copy)
    copy.click()
    await settle()
    expect(writeText).toHaveBeenCalledWith('VIP-7HK2M9QRTA')
    expect(text('[role=status]')).toBe('Copied')
    expect(root.querySelector('[role=status]')!.getAttribute('aria-live')).toBe('polite')
  })

  it('without the Clipboard API, selects the code for the visitor to copy', async () => {
    fakeApi(async () => Response.json({ code: 'WINTER10', campaignId, variantId: null, expiresAt: null }))
    vi.stubGlobal('navigator', { ...navigator, clipboard: undefined })
    const { root, text } = draw(withCodes())
    root.querySelector<HTMLButtonElement>('.code button')!.click()
    await settle()
    await settle()
    root.querySelector<HTMLButtonElement>('.code button')!.click()
    await settle()
    expect(getSelection()!.toString()).toBe('WINTER10')
    expect(text('[role=status]')).toMatch(/^(Copied|Code selected: copy it with your keyboard\.)$/)
  })

  it('says so when no code is left, or the API is down, and never throws', async () => {
    fakeApi(async () => Response.json({ error: { code: 'exhausted' } }, { status: 409 }))
    const gone = draw(withCodes())
    gone.root.querySelector<HTMLButtonElement>('.code button')!.click()
    await settle()
    await settle()
    expect(gone.text('[role=status]')).toBe('No code is available right now.')
    expect(gone.text('.code button')).toBe('Reveal code')
    fakeApi(() => Promise.reject(new TypeError('Failed to fetch')))
    const down = draw(withCodes())
    down.root.querySelector<HTMLButtonElement>('.code button')!.click()
    await settle()
    expect(down.text('[role=status]')).toBe('Please try again.')
    expect(down.context.report).not.toHaveBeenCalled()
  })

  it('asks nothing of the API for a visitor the SDK keeps no id for', async () => {
    const fetch = fakeApi(async () => Response.json({}))
    const { root, text } = draw(withCodes(), {
      sender: () => ({ api: 'https://api.example', site: 'pk_site' }),
    })
    root.querySelector<HTMLButtonElement>('.code button')!.click()
    await settle()
    expect(fetch).not.toHaveBeenCalled()
    expect(text('[role=status]')).toBe('No code is available right now.')
  })

  it('the preview shows a sample code and sends nothing', async () => {
    const fetch = fakeApi(async () => Response.json({}))
    const { root, text } = draw(withCodes(), { preview: true, sender: undefined, onTrack: undefined })
    root.querySelector<HTMLButtonElement>('.code button')!.click()
    await settle()
    expect(text('.value')).toBe(sampleCode)
    expect(fetch).not.toHaveBeenCalled()
  })

  it('shows the button when the config has a discount and the decision does not say, and not when it says no', () => {
    expect(
      draw(
        decision({ discount: { type: 'fixed_amount', value: 5 } }, { products: [sweater] }),
      ).root.querySelector('.code'),
    ).not.toBeNull()
    expect(draw(decision({}, { products: [sweater] })).root.querySelector('.code')).toBeNull()
    expect(
      draw(
        decision({ discount: { type: 'fixed_amount', value: 5 } }, { products: [sweater], codes: false }),
      ).root.querySelector('.code'),
    ).toBeNull()
  })
})

describe('through the SDK client', () => {
  it('the free-shipping bar hears the page’s Promo.track calls, and stops when the unit goes', async () => {
    const { createClient } = await import('../../../sdk/client')
    const units = await import('../../../sdk/units')
    const sales = await import('./index')
    const slot = document.body.appendChild(document.createElement('div'))
    slot.setAttribute('data-promo-slot', 'cart-bar')
    const unit = decision(
      { nudge: 'free_shipping', freeShippingThreshold: 50 },
      {
        products: [],
        cart: { items: [], value: 20, updatedAt: '2026-12-07T05:00:00Z', abandoned: false },
      },
    )
    unit.slot = 'cart-bar'
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify({ decisions: [unit], ttl: 60 }))),
    )
    const client = createClient({
      site: 'pk_test_sales_client',
      api: 'https://api.example',
      loadFormat: vi.fn(async (name: string) => ({ sales, units })[name] as never),
      transport: { post: async () => ({ status: 200 }), beacon: () => true },
      observe: () => () => {},
    })
    client.start()
    const text = () => slot.querySelector('promo-unit')?.shadowRoot?.querySelector('.ship')?.textContent
    await vi.waitFor(() => expect(text()).toBe('€30.00 away from free shipping'))
    client.track('AddToCart', { contents: [{ id: 'sku-2', quantity: 3, item_price: 5 }], currency: 'eur' })
    await vi.waitFor(() => expect(text()).toBe('€15.00 away from free shipping'))
    client.track('AddToCart', { value: 'lots', currency: 'EUR' })
    client.track('Purchase', { value: 35, currency: 'EUR' })
    await vi.waitFor(() => expect(text()).toBe('€50.00 away from free shipping'))
  })
})
