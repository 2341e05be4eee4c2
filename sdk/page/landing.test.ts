// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type LandingFields, measureLanding } from './landing'

const ids = {
  campaignId: '0190a0a0-0000-7000-8000-000000000011',
  variantId: '0190a0a0-0000-7000-8000-000000000012',
}

/** The page as the browser reports it: visibility, height, window height and scroll offset. */
const view = { visibility: 'visible' as DocumentVisibilityState, height: 4000, window: 1000, scrollY: 0 }

function setVisibility(state: DocumentVisibilityState) {
  view.visibility = state
  document.dispatchEvent(new Event('visibilitychange'))
}
function scrollTo(y: number) {
  view.scrollY = y
  window.dispatchEvent(new Event('scroll'))
}

function land() {
  const sent: [string, Partial<LandingFields>][] = []
  const trackListeners = new Set<(name: string) => void>()
  const landing = measureLanding(ids, {
    send: (name, fields) => sent.push([name, fields]),
    onTrack: (listener) => {
      trackListeners.add(listener)
      return () => trackListeners.delete(listener)
    },
  })
  const names = () => sent.map(([name]) => name)
  const track = (name: string) => {
    for (const listener of trackListeners) listener(name)
  }
  return { landing, sent, names, track, trackListeners }
}

beforeEach(() => {
  vi.useFakeTimers()
  Object.assign(view, { visibility: 'visible', height: 4000, window: 1000, scrollY: 0 })
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => view.visibility })
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => view.visibility === 'hidden' })
  Object.defineProperty(document.documentElement, 'scrollHeight', {
    configurable: true,
    get: () => view.height,
  })
  Object.defineProperty(window, 'innerHeight', { configurable: true, get: () => view.window })
  Object.defineProperty(window, 'scrollY', { configurable: true, get: () => view.scrollY })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('a landing page view', () => {
  it('sends landing at once, with the campaign and variant of the click', () => {
    const { sent } = land()
    expect(sent[0]).toEqual(['landing', ids])
  })

  it('sends each scroll depth once, when the bottom of the window first reaches it', () => {
    const { names, landing } = land()
    expect(names()).toEqual(['landing', 'scroll_25'])
    scrollTo(900)
    expect(names()).toEqual(['landing', 'scroll_25'])
    scrollTo(1000)
    expect(names()).toEqual(['landing', 'scroll_25', 'scroll_50'])
    scrollTo(0)
    scrollTo(3000)
    scrollTo(1500)
    scrollTo(3000)
    expect(names()).toEqual(['landing', 'scroll_25', 'scroll_50', 'scroll_75', 'scroll_100'])
    landing.end(true)
    scrollTo(0)
    scrollTo(3000)
    expect(names().filter((name) => name.startsWith('scroll_'))).toHaveLength(4)
  })

  it('passes every depth a jump goes over, and reads a page that fits the window to its end at once', () => {
    const long = land()
    scrollTo(2999.5)
    expect(long.names()).toEqual(['landing', 'scroll_25', 'scroll_50', 'scroll_75', 'scroll_100'])
    long.landing.end(true)
    view.height = 800
    expect(land().names()).toEqual(['landing', 'scroll_25', 'scroll_50', 'scroll_75', 'scroll_100'])
  })

  it('counts no depth while the page is hidden (a tab opened in the background), only once it is seen', () => {
    view.visibility = 'hidden'
    view.height = 800
    const { names } = land()
    expect(names()).toEqual(['landing'])
    setVisibility('visible')
    expect(names()).toEqual(['landing', 'scroll_25', 'scroll_50', 'scroll_75', 'scroll_100'])
  })

  it('sends time_on_page once, with the seconds the page was visible', () => {
    const { sent, landing } = land()
    vi.advanceTimersByTime(12_340)
    landing.end(false)
    vi.advanceTimersByTime(5000)
    landing.end(false)
    landing.end(true)
    const times = sent.filter(([name]) => name === 'time_on_page')
    expect(times).toEqual([['time_on_page', { ...ids, value: 12.3 }]])
  })

  it('leaves out the time before a page opened in a background tab was first seen', () => {
    view.visibility = 'hidden'
    const { sent, landing } = land()
    vi.advanceTimersByTime(60_000)
    setVisibility('visible')
    vi.advanceTimersByTime(8000)
    setVisibility('hidden')
    landing.end(false)
    expect(sent.find(([name]) => name === 'time_on_page')![1].value).toBe(8)
  })

  it('counts 0 visible seconds for a page closed before it was ever seen', () => {
    view.visibility = 'hidden'
    const { sent, landing } = land()
    vi.advanceTimersByTime(30_000)
    landing.end(false)
    expect(sent.find(([name]) => name === 'time_on_page')![1].value).toBe(0)
  })
})

describe('bounce', () => {
  it('is a landing left without an interaction and without going on to another page', () => {
    const { names, landing } = land()
    scrollTo(3000)
    vi.advanceTimersByTime(40_000)
    landing.end(false)
    expect(names().slice(-2)).toEqual(['time_on_page', 'bounce'])
  })

  it('is not a landing the visitor clicked, tapped or typed on (a link to another page is a click)', () => {
    for (const event of [
      new MouseEvent('click', { bubbles: true }),
      new Event('input', { bubbles: true, composed: true }),
      new Event('change', { bubbles: true }),
    ]) {
      const { names, landing } = land()
      document.body.dispatchEvent(event)
      landing.end(false)
      expect(names()).not.toContain('bounce')
    }
  })

  it("is still a landing on which the visitor only scrolled, touched to scroll or pressed the browser's keys", () => {
    const { names, landing } = land()
    scrollTo(2000)
    document.body.dispatchEvent(new Event('pointerdown', { bubbles: true }))
    document.body.dispatchEvent(
      new KeyboardEvent('keydown', { bubbles: true, key: 'Control', ctrlKey: true }),
    )
    landing.end(false)
    expect(names()).toContain('bounce')
  })

  it('is not a landing on which the page tracked an event (a conversion, a form sent)', () => {
    const { names, landing, track } = land()
    track('Lead')
    landing.end(false)
    expect(names()).not.toContain('bounce')
  })

  it('is not a landing the visitor went on from to another page of the site (a route change)', () => {
    const { names, landing } = land()
    landing.end(true)
    expect(names()).toContain('time_on_page')
    expect(names()).not.toContain('bounce')
  })

  it('is decided once, when the view ends: what happens after counts for nothing', () => {
    const { names, landing, trackListeners } = land()
    landing.end(false)
    expect(trackListeners.size).toBe(0)
    document.body.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    landing.end(true)
    expect(names().filter((name) => name === 'bounce')).toHaveLength(1)
  })
})
