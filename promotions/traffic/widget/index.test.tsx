// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { itemImpressionEvent, itemUrlProp } from '../../../schema/content'
import type { Decision } from '../../../schema/serve'
import type { FormatContext } from '../../../sdk/kit/context'
import { trafficConfig } from '../config'
import { mount } from './index'
import { itemImpression, itemUrl } from './rail'

const clickBase = 'https://promo.example/r/'
const utm = 'utm_source=promo&utm_medium=onsite&utm_campaign=winter-reads'

/** A catalog item as serve sends it: its click URL is signed, carries the visitor and slot, and ends in `&i=1`. */
const item = (n: number, extra: Record<string, string> = {}) => ({
  url: `https://shop.example/guides/${n}`,
  title: `Guide ${n}`,
  summary: `What guide ${n} is about`,
  imageUrl: `https://shop.example/img/${n}.jpg`,
  clickUrl: `${clickBase}token-${n}.mac?a=visitor-1&l=article-end&i=1`,
  ...extra,
})

function rail(
  config: Record<string, unknown> = {},
  items: Decision['items'] | null = [item(1), item(2), item(3)],
) {
  const unit: Decision = {
    slot: 'article-end',
    campaignId: '0190a0a0-0000-7000-8000-000000000011',
    variantId: '0190a0a0-0000-7000-8000-000000000012',
    type: 'traffic',
    format: 'inline',
    creative: { headline: 'Reads' },
    // As the API stores it: parsed, defaults filled in.
    config: trafficConfig.parse(config),
  }
  if (items) unit.items = items
  return unit
}

/** Each watched element and the callback that says it has been viewable, as the unit runtime would call it. */
function watcher() {
  const watched = new Map<Element, () => void>()
  const stopped = new Set<Element>()
  const watch = vi.fn((element: Element, onViewable: () => void) => {
    watched.set(element, onViewable)
    return () => stopped.add(element)
  })
  return { watch, watched, stopped }
}

const cleanups: (() => void)[] = []
function draw(unit: Decision, ctx: Partial<FormatContext> = {}) {
  const host = document.createElement('div')
  document.body.appendChild(host)
  const { watch, watched, stopped } = watcher()
  const track = vi.fn((_name: string, _props?: Record<string, string | number | boolean>) => {})
  const context = { onClick: vi.fn(), onClose: vi.fn(), track, watch, ...ctx }
  const unmount = mount(host, unit, context)
  cleanups.push(() => {
    unmount()
    host.remove()
  })
  const root = host.shadowRoot!
  const cards = () => [...root.querySelectorAll<HTMLLIElement>('li.card')]
  const links = () => [...root.querySelectorAll<HTMLAnchorElement>('a.link')]
  return { host, root, context, track, cards, links, watched, stopped, unmount }
}

/** Lets Preact apply a state update. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
  document.body.innerHTML = ''
})

describe('traffic rail layouts', () => {
  it.each(['grid', 'carousel', 'list'] as const)('%s: the heading and one linked card per item', (layout) => {
    const { root, cards, links } = draw(rail({ layout, heading: 'Keep reading' }))
    const section = root.firstElementChild!
    expect(section.tagName).toBe('SECTION')
    expect(section.className).toBe(`rail ${layout}`)
    expect(root.querySelector('h2')!.textContent).toBe('Keep reading')
    expect(section.getAttribute('aria-labelledby')).toBe(root.querySelector('h2')!.id)
    expect(cards()).toHaveLength(3)
    expect(links().map((link) => link.querySelector('.title')!.textContent)).toEqual([
      'Guide 1',
      'Guide 2',
      'Guide 3',
    ])
    expect(root.querySelectorAll('.summary')).toHaveLength(3)
  })

  it('has no heading element when the heading is empty', () => {
    const { root } = draw(rail({ heading: '' }))
    expect(root.querySelector('h2')).toBeNull()
    expect(root.firstElementChild!.hasAttribute('aria-labelledby')).toBe(false)
  })

  it('reserves each image box (size and aspect ratio) and loads images lazily', () => {
    const { root } = draw(rail())
    const images = [...root.querySelectorAll('img')]
    expect(images).toHaveLength(3)
    for (const image of images) {
      expect(image.getAttribute('width')).toBe('320')
      expect(image.getAttribute('height')).toBe('180')
      expect(image.getAttribute('loading')).toBe('lazy')
      expect(image.getAttribute('decoding')).toBe('async')
      expect(image.getAttribute('alt')).toBe('')
    }
    const sheet = root.adoptedStyleSheets[0]!
    const rules = [...sheet.cssRules].map((rule) => rule.cssText).join('\n')
    expect(rules).toMatch(/\.image\s*\{[^}]*aspect-ratio:\s*16\s*\/\s*9/)
  })

  it('shows at most maxCards cards', () => {
    const { cards } = draw(rail({ maxCards: 2 }))
    expect(cards()).toHaveLength(2)
  })

  it('draws nothing when there is no card to show', () => {
    const { root } = draw(rail({}, []))
    expect(root.childElementCount).toBe(0)
  })
})

describe('card text and links', () => {
  it('shows markup in titles and summaries as text, never as elements', () => {
    const { root } = draw(
      rail({}, [item(1, { title: '<b>Bold</b> move', summary: '<img src=x onerror=alert(1)>' })]),
    )
    expect(root.querySelector('b')).toBeNull()
    expect(root.querySelectorAll('img')).toHaveLength(1)
    expect(root.querySelector('.title')!.textContent).toBe('<b>Bold</b> move')
    expect(root.querySelector('.summary')!.textContent).toBe('<img src=x onerror=alert(1)>')
  })

  it('links each card through its signed click URL exactly as served, UTM and item marker intact', () => {
    const signed = `${clickBase}token-9.mac?a=visitor-1&l=article-end&${utm}&i=1`
    const { links } = draw(rail({}, [item(9, { clickUrl: signed })]))
    expect(links()[0]!.getAttribute('href')).toBe(signed)
    const url = new URL(links()[0]!.href)
    expect(url.searchParams.get('utm_campaign')).toBe('winter-reads')
    expect(url.searchParams.get('i')).toBe('1')
  })

  it('opens in the same tab by default, and in a new one with rel=noopener when openInNewTab', () => {
    const same = draw(rail()).links()[0]!
    expect(same.hasAttribute('target')).toBe(false)
    expect(same.hasAttribute('rel')).toBe(false)
    const other = draw(rail({ openInNewTab: true })).links()[0]!
    expect(other.getAttribute('target')).toBe('_blank')
    expect(other.getAttribute('rel')).toBe('noopener')
  })

  it('leaves out an item whose link is not http(s)', () => {
    const { links } = draw(rail({}, [item(1, { clickUrl: 'javascript:alert(1)' }), item(2)]))
    expect(links().map((link) => link.getAttribute('href'))).toEqual([item(2).clickUrl])
  })

  it('tells the context a click and where it leads; the signed redirect counts it', () => {
    const { links, context, track } = draw(rail())
    links()[1]!.click()
    expect(context.onClick).toHaveBeenCalledWith('https://shop.example/guides/2')
    expect(track).not.toHaveBeenCalledWith('click', expect.anything())
  })

  it('counts a middle click, which opens the card in a new tab, as a click too', () => {
    const { links, context } = draw(rail())
    links()[0]!.dispatchEvent(new MouseEvent('auxclick', { bubbles: true, button: 1 }))
    links()[0]!.dispatchEvent(new MouseEvent('auxclick', { bubbles: true, button: 2 }))
    expect(context.onClick).toHaveBeenCalledTimes(1)
  })

  it('in the admin preview, links do not navigate', () => {
    const { links } = draw(rail(), { preview: true, track: undefined, watch: undefined })
    const event = new MouseEvent('click', { bubbles: true, cancelable: true })
    links()[0]!.dispatchEvent(event)
    expect(event.defaultPrevented).toBe(true)
  })
})

describe('manual cards', () => {
  /** A campaign's own cards as serve sends them: as items, each with its signed click URL. */
  const lookbook = {
    url: `https://shop.example/lookbook?${utm}`,
    title: 'Spring lookbook',
    summary: 'Forty outfits',
    imageUrl: 'https://shop.example/look.jpg',
    imageAlt: 'A model in a green coat',
    badge: 'New',
    clickUrl: `${clickBase}token-look.mac?a=visitor-1&l=article-end&i=1`,
  }
  const sizes = {
    url: 'https://shop.example/sizes',
    title: 'Size guide',
    clickUrl: `${clickBase}token-sizes.mac?a=visitor-1&l=article-end&i=1`,
  }

  it('show their badge, image alt text and description, each linking through its signed click URL', () => {
    const { root, links } = draw(rail({}, [lookbook, sizes]))
    expect(links().map((link) => link.getAttribute('href'))).toEqual([lookbook.clickUrl, sizes.clickUrl])
    expect(root.querySelector('.badge')!.textContent).toBe('New')
    expect(root.querySelector('img')!.getAttribute('alt')).toBe('A model in a green coat')
    expect(root.querySelector('.summary')!.textContent).toBe('Forty outfits')
  })

  it('leave counting their clicks to the redirect, as recommended items do', () => {
    const { links, context, track } = draw(rail({}, [lookbook, sizes]))
    const event = new MouseEvent('click', { bubbles: true, cancelable: true })
    links()[1]!.dispatchEvent(event)
    expect(event.defaultPrevented).toBe(false)
    expect(context.onClick).toHaveBeenCalledWith('https://shop.example/sizes')
    expect(track).not.toHaveBeenCalled()
  })

  it('are never drawn from the config: a card without a signed click URL is not shown', () => {
    const cards = [{ title: 'Size guide', url: 'https://shop.example/sizes' }]
    const { root } = draw(rail({ cards }, null))
    expect(root.childElementCount).toBe(0)
  })
})

describe('card impressions', () => {
  it('uses the names the API counts', () => {
    expect(itemImpression).toBe(itemImpressionEvent)
    expect(itemUrl).toBe(itemUrlProp)
  })

  it('sends one traffic_promotion_impression per card once that card has been viewable, then stops watching it', () => {
    const { cards, track, watched, stopped } = draw(rail())
    expect([...watched.keys()]).toEqual(cards())
    expect(track).not.toHaveBeenCalled()
    watched.get(cards()[1]!)!()
    expect(track).toHaveBeenCalledOnce()
    expect(track).toHaveBeenCalledWith('traffic_promotion_impression', {
      item_url: 'https://shop.example/guides/2',
    })
    expect(stopped.has(cards()[1]!)).toBe(true)
    watched.get(cards()[0]!)!()
    expect(track.mock.calls.map(([, props]) => props?.item_url)).toEqual([
      'https://shop.example/guides/2',
      'https://shop.example/guides/1',
    ])
  })

  it('counts a card once per decision, however often it is reported or the rail redrawn', async () => {
    const unit = rail()
    const { cards, context, track, watched, host } = draw(unit)
    const first = cards()[0]!
    watched.get(first)!()
    watched.get(first)!()
    // The same decision drawn again into the same host (the format re-rendered) is still one decision.
    mount(host, unit, context)
    await settle()
    for (const viewable of watched.values()) viewable()
    const urls = track.mock.calls.map(([, props]) => props?.item_url)
    expect(urls.filter((url) => url === 'https://shop.example/guides/1')).toHaveLength(1)
  })

  it('stops watching every card when the rail is removed', () => {
    const { cards, stopped, unmount } = draw(rail())
    unmount()
    expect(cards()).toHaveLength(0)
    expect(stopped.size).toBe(3)
  })
})

describe('carousel', () => {
  /** Gives the card list a scrolling box, as a browser lays it out: `total` wide, `visible` in view. */
  function overflow(list: HTMLElement, visible: number, total: number) {
    let left = 0
    Object.defineProperty(list, 'clientWidth', { configurable: true, get: () => visible })
    Object.defineProperty(list, 'scrollWidth', { configurable: true, get: () => total })
    Object.defineProperty(list, 'scrollLeft', { configurable: true, get: () => left })
    list.scrollBy = ((options: ScrollToOptions) => {
      left = Math.min(Math.max(0, left + (options.left ?? 0)), total - visible)
      list.dispatchEvent(new Event('scroll'))
    }) as typeof list.scrollBy
  }

  /** Draws the rail while every card list measures `total` wide with `visible` in view, as laid out overflowing. */
  function drawOverflowing(unit: Decision, visible = 300, total = 900) {
    const box = HTMLUListElement.prototype as unknown as Record<string, unknown>
    Object.defineProperty(box, 'clientWidth', { configurable: true, get: () => visible })
    Object.defineProperty(box, 'scrollWidth', { configurable: true, get: () => total })
    try {
      return draw(unit)
    } finally {
      delete box.clientWidth
      delete box.scrollWidth
    }
  }

  it('has previous and next buttons that scroll the cards by a view, unavailable at the ends; no autoplay', async () => {
    const { root } = drawOverflowing(
      rail(
        { layout: 'carousel', maxCards: 6 },
        [1, 2, 3, 4, 5, 6].map((n) => item(n)),
      ),
    )
    await settle()
    const list = root.querySelector<HTMLUListElement>('ul.cards')!
    overflow(list, 300, 900)
    const [previous, next] = [...root.querySelectorAll<HTMLButtonElement>('button.step')]
    expect(previous!.getAttribute('aria-label')).toBe('Previous')
    expect(next!.getAttribute('aria-label')).toBe('Next')
    expect(next!.getAttribute('aria-controls')).toBe(list.id)
    expect(previous!.getAttribute('aria-disabled')).toBe('true')
    expect(next!.getAttribute('aria-disabled')).toBe('false')

    next!.click()
    await settle()
    expect(list.scrollLeft).toBe(300)
    expect(previous!.getAttribute('aria-disabled')).toBe('false')
    next!.click()
    await settle()
    expect(list.scrollLeft).toBe(600)
    expect(next!.getAttribute('aria-disabled')).toBe('true')
    previous!.click()
    await settle()
    expect(list.scrollLeft).toBe(300)

    // Nothing moves by itself.
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(list.scrollLeft).toBe(300)
  })

  it('has the buttons reachable by keyboard: real buttons, in the tab order before the cards', async () => {
    const { root } = drawOverflowing(rail({ layout: 'carousel' }))
    await settle()
    const focusable = [...root.querySelectorAll('a[href],button')].map((element) => element.tagName)
    expect(focusable).toEqual(['BUTTON', 'BUTTON', 'A', 'A', 'A'])
    for (const button of root.querySelectorAll('button')) expect(button.getAttribute('type')).toBe('button')
  })

  it('shows no buttons while every card fits', async () => {
    const { root } = draw(rail({ layout: 'carousel' }))
    await settle()
    expect(root.querySelectorAll('button')).toHaveLength(0)
  })
})
