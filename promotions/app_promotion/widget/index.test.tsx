// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Decision } from '../../../schema/serve'
import type { FormatContext } from '../../../sdk/kit/context'
import { stars } from './app-unit'
import { mount } from './index'

const config = {
  appName: 'Shop <b>app</b>',
  iconUrl: 'https://a.example/icon.png',
  rating: 4.4,
  price: 'Free',
  deepLink: 'shop://product/42',
  deepLinkTimeoutMs: 1500,
  qr: { enabled: true, sizePx: 120 },
}

const unit = (format: string, fields: Record<string, unknown>, overrides: Record<string, unknown> = {}) =>
  ({
    campaignId: '0190a0a0-0000-7000-8000-000000000001',
    variantId: '0190a0a0-0000-7000-8000-000000000002',
    type: 'app_promotion',
    format,
    creative: { headline: 'Get the app' },
    config: { ...config, ...overrides },
    ...fields,
  }) as unknown as Decision

const cleanups: (() => void)[] = []
function draw(decision: Decision, ctx: Partial<FormatContext> = {}) {
  const host = document.createElement('div')
  document.body.appendChild(host)
  const context = { onClick: vi.fn(), onClose: vi.fn(), track: vi.fn(), ...ctx }
  const unmount = mount(host, decision, context)
  cleanups.push(() => {
    unmount()
    host.remove()
  })
  return { root: host.shadowRoot!, ctx: context }
}
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
  localStorage.clear()
  vi.useRealTimers()
})

const store = 'https://promo.example/r/store-token?a=v1'

describe('the app unit', () => {
  it('draws a top smart banner: icon, name as text, rating stars as text, price, Open and close', () => {
    const { root } = draw(unit('sticky_top', { platform: 'ios', storeUrl: store }))
    const bar = root.querySelector('aside')!
    expect(bar.className).toContain('bar top')
    expect(root.querySelector('.headline')!.textContent).toBe('Shop <b>app</b>')
    expect(root.querySelector('b')).toBeNull()
    const [tagline, meta] = root.querySelectorAll('.meta')
    expect(tagline!.textContent).toBe('Get the app')
    expect(meta!.textContent).toBe('★★★★☆ 4.4 · Free')
    expect(root.querySelector('[role=img]')!.getAttribute('aria-label')).toBe('Rated 4.4 of 5')
    const button = root.querySelector<HTMLAnchorElement>('a.cta')!
    expect(button.textContent).toBe('Open')
    expect(button.href).toBe(store)
    expect(root.querySelector('button.close')).not.toBeNull()
  })

  it('says Get and links the store straight when there is no deep link; bottom, inline and popup formats', () => {
    const { root } = draw(
      unit('sticky_bottom', { platform: 'android', storeUrl: store }, { deepLink: undefined }),
    )
    expect(root.querySelector('a.cta')!.textContent).toBe('Get')
    expect(root.querySelector('aside')!.className).toContain('bottom')
    expect(
      draw(unit('inline', { platform: 'android', storeUrl: store })).root.querySelector('.inline'),
    ).not.toBeNull()
    expect(
      draw(unit('popup', { platform: 'android', storeUrl: store })).root.querySelector('.popup'),
    ).not.toBeNull()
  })

  it('shows desktop visitors the QR code of the tracked link as an SVG, with no button', () => {
    const rows = ['101', '010', '111']
    const { root } = draw(unit('sticky_top', { platform: 'desktop', qr: { url: `${store}&q=1`, rows } }))
    const svg = root.querySelector('svg.qr')!
    expect(svg.getAttribute('width')).toBe('120')
    expect(svg.querySelector('path')!.getAttribute('d')).toBe(
      'M0 0h1v1h-1zM2 0h1v1h-1zM1 1h1v1h-1zM0 2h1v1h-1zM1 2h1v1h-1zM2 2h1v1h-1z',
    )
    expect(root.querySelector('a.cta')).toBeNull()
  })

  it('remembers a close only with consent to keep ids', () => {
    const decision = unit('sticky_top', { platform: 'ios', storeUrl: store })
    const first = draw(decision)
    first.root.querySelector<HTMLButtonElement>('button.close')!.click()
    expect(first.ctx.onClose).toHaveBeenCalled()
    expect(localStorage.length).toBe(0)
    const consented = { sender: () => ({ api: 'https://promo.example', site: 'pk', anonymousId: 'v1' }) }
    const second = draw(decision, consented)
    second.root.querySelector<HTMLButtonElement>('button.close')!.click()
    expect(draw(decision, consented).root.querySelector('aside')).toBeNull()
    expect(draw(decision).root.querySelector('aside')).not.toBeNull()
  })

  it('rounds stars to the nearest whole star', () => {
    expect(stars(4.6)).toBe('★★★★★ 4.6')
    expect(stars(0)).toBe('☆☆☆☆☆ 0.0')
  })
})
