// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type HandoffStore, handoffKey, handoffMs, noteClick, pageKey, takeLanding } from './handoff'
import { landingInUrl } from './in-url'

const ids = {
  campaignId: '0190a0a0-0000-7000-8000-000000000011',
  variantId: '0190a0a0-0000-7000-8000-000000000012',
}
const here = 'https://shop.example/blog/rails'

function store(options: { canStore?: boolean } = {}) {
  let now = 1_000_000
  const handoff: HandoffStore & { tick(ms: number): void } = {
    storage: () => localStorage,
    canStore: () => options.canStore ?? true,
    now: () => now,
    tick: (ms) => {
      now += ms
    },
  }
  return handoff
}

beforeEach(() => {
  localStorage.clear()
})

describe('the page key of a landing', () => {
  it('is one key however the page is linked: no fragment, no visit parameters, no trailing slash', () => {
    const key = pageKey('https://shop.example/guides/layering?id=4')
    for (const href of [
      'https://shop.example/guides/layering/?id=4',
      'https://shop.example/guides/layering?utm_source=promo&id=4&utm_medium=onsite&utm_campaign=x#top',
      'https://shop.example/guides/layering?id=4&fbclid=abc&gclid=def',
      `https://shop.example/guides/layering?utm_id=${ids.campaignId}&id=4&promo_variant=${ids.variantId}`,
      'https://shop.example/guides/layering?id=4&utm_medium=share&promo_share=6f1c2a4e-9b7d-4c3a-8e21-5d0f7a9b1c2d',
    ])
      expect(pageKey(href)).toBe(key)
    expect(pageKey('https://shop.example/guides/layering?id=5')).not.toBe(key)
    expect(pageKey('javascript:alert(1)')).toBeUndefined()
  })
})

describe('a click handed to the page it leads to', () => {
  it('gives the landing page the campaign and variant of the click, once', () => {
    const handoff = store()
    noteClick(handoff, ids, 'https://shop.example/guides/layering', here)
    expect(takeLanding(handoff, 'https://shop.example/other')).toBeUndefined()
    expect(
      takeLanding(handoff, 'https://shop.example/guides/layering?utm_source=promo&utm_medium=onsite'),
    ).toEqual(ids)
    expect(takeLanding(handoff, 'https://shop.example/guides/layering')).toBeUndefined()
    expect(localStorage.getItem(handoffKey)).toBeNull()
  })

  it('forgets a click after ten minutes', () => {
    const handoff = store()
    noteClick(handoff, ids, 'https://shop.example/a', here)
    handoff.tick(handoffMs)
    expect(takeLanding(handoff, 'https://shop.example/a')).toBeUndefined()
    expect(localStorage.getItem(handoffKey)).toBeNull()
  })

  it('keeps several clicks (cards opened in new tabs), each for its own page', () => {
    const handoff = store()
    const other = { ...ids, campaignId: '0190a0a0-0000-7000-8000-000000000021' }
    noteClick(handoff, ids, 'https://shop.example/a', here)
    noteClick(handoff, other, 'https://shop.example/b', here)
    expect(takeLanding(handoff, 'https://shop.example/b')).toEqual(other)
    expect(takeLanding(handoff, 'https://shop.example/a')).toEqual(ids)
  })

  it('notes nothing for a link to another site, or without consent to storage', () => {
    noteClick(store(), ids, 'https://elsewhere.example/a', here)
    noteClick(store({ canStore: false }), ids, 'https://shop.example/a', here)
    expect(localStorage.getItem(handoffKey)).toBeNull()
    noteClick(store(), ids, 'https://shop.example/a', here)
    expect(takeLanding(store({ canStore: false }), 'https://shop.example/a')).toBeUndefined()
  })

  it('survives whatever else is stored under its key', () => {
    localStorage.setItem(handoffKey, '{not json')
    expect(takeLanding(store(), here)).toBeUndefined()
    localStorage.setItem(handoffKey, '[null, 3, {"u": 7}]')
    expect(takeLanding(store(), here)).toBeUndefined()
    noteClick(store(), ids, here, here)
    expect(takeLanding(store(), here)).toEqual(ids)
  })
})

describe('a click named by the address of the page it leads to', () => {
  const named = `https://other.shop.example/a?utm_id=${ids.campaignId}&promo_variant=${ids.variantId}`
  /** The page as loaded: by following a link, by a reload, or by a step through history. */
  const loadedBy = (type: string) =>
    vi.spyOn(performance, 'getEntriesByType').mockReturnValue([{ type } as PerformanceNavigationTiming])
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('gives the campaign and variant the redirect appended', () => {
    expect(landingInUrl(named)).toEqual(ids)
    loadedBy('navigate')
    expect(landingInUrl(named)).toEqual(ids)
  })

  it('is none unless both name ids: a site’s own utm_id is its campaign, not a Promo click', () => {
    expect(landingInUrl(`https://shop.example/a?utm_id=${ids.campaignId}`)).toBeUndefined()
    expect(landingInUrl(`https://shop.example/a?promo_variant=${ids.variantId}`)).toBeUndefined()
    expect(
      landingInUrl(`https://shop.example/a?utm_id=spring-7&promo_variant=${ids.variantId}`),
    ).toBeUndefined()
    expect(
      landingInUrl(`https://shop.example/a?utm_id=${ids.campaignId}x&promo_variant=${ids.variantId}`),
    ).toBe(undefined)
  })

  it('is no new landing when the page is reloaded or stepped back to', () => {
    loadedBy('reload')
    expect(landingInUrl(named)).toBeUndefined()
    vi.restoreAllMocks()
    loadedBy('back_forward')
    expect(landingInUrl(named)).toBeUndefined()
  })
})
