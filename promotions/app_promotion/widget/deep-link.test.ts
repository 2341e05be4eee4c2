// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openApp } from './deep-link'

const place = { href: 'https://a.example/' }
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true })
})

describe('openApp', () => {
  it('tries the deep link, then goes to the store after the timeout while the page is still visible', () => {
    vi.useFakeTimers()
    vi.stubGlobal('location', place)
    const opened = vi.fn()
    openApp('shop://product/42', 'https://promo.example/r/store', 1500, opened)
    expect(place.href).toBe('shop://product/42')
    vi.advanceTimersByTime(1499)
    expect(place.href).toBe('shop://product/42')
    vi.advanceTimersByTime(1)
    expect(place.href).toBe('https://promo.example/r/store')
    expect(opened).not.toHaveBeenCalled()
  })

  it('cancels the fallback when the app takes over (the page is hidden) and counts the open', () => {
    vi.useFakeTimers()
    vi.stubGlobal('location', place)
    const opened = vi.fn()
    openApp('shop://product/42', 'https://promo.example/r/store', 1500, opened)
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true })
    document.dispatchEvent(new Event('visibilitychange'))
    vi.advanceTimersByTime(5000)
    expect(place.href).toBe('shop://product/42')
    expect(opened).toHaveBeenCalledTimes(1)
  })

  it('cancels the fallback on pagehide', () => {
    vi.useFakeTimers()
    vi.stubGlobal('location', place)
    const opened = vi.fn()
    openApp('shop://product/42', 'https://promo.example/r/store', 1500, opened)
    window.dispatchEvent(new Event('pagehide'))
    vi.advanceTimersByTime(5000)
    expect(place.href).toBe('shop://product/42')
    expect(opened).toHaveBeenCalledTimes(1)
  })
})
