// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { onRouteChange } from './navigation'

const { pushState, replaceState } = history

beforeEach(() => {
  history.replaceState(null, '', '/')
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
  history.pushState = pushState
  history.replaceState = replaceState
})

describe('route changes of a single-page app', () => {
  it('pushState, replaceState and back/forward each call back once the tick is over', () => {
    const changed = vi.fn()
    onRouteChange(changed)
    history.pushState({}, '', '/pricing')
    expect(changed).not.toHaveBeenCalled()
    vi.runAllTimers()
    expect(changed).toHaveBeenCalledTimes(1)
    history.replaceState({}, '', '/pricing?plan=pro')
    vi.runAllTimers()
    expect(changed).toHaveBeenCalledTimes(2)
    pushState.call(history, {}, '', '/about')
    window.dispatchEvent(new PopStateEvent('popstate'))
    vi.runAllTimers()
    expect(changed).toHaveBeenCalledTimes(3)
  })

  it('several changes in one tick call back once', () => {
    const changed = vi.fn()
    onRouteChange(changed)
    history.pushState({}, '', '/a')
    history.replaceState({}, '', '/b')
    history.pushState({}, '', '/c')
    window.dispatchEvent(new PopStateEvent('popstate'))
    vi.runAllTimers()
    expect(changed).toHaveBeenCalledTimes(1)
  })

  it('a new hash, the same URL again or a change undone within the tick is no new page', () => {
    const changed = vi.fn()
    onRouteChange(changed)
    history.pushState({}, '', '/#reviews')
    vi.runAllTimers()
    history.replaceState({ scroll: 10 }, '', '/#reviews')
    vi.runAllTimers()
    history.pushState({}, '', '/gone')
    history.replaceState({}, '', '/')
    vi.runAllTimers()
    expect(changed).not.toHaveBeenCalled()
  })

  it("keeps the app's history working: same return, its state, and its own errors", () => {
    onRouteChange(vi.fn())
    expect(history.pushState({ step: 2 }, '', '/checkout')).toBeUndefined()
    expect(history.state).toEqual({ step: 2 })
    expect(location.pathname).toBe('/checkout')
    expect(() => history.pushState({}, '', 'https://elsewhere.example/')).toThrow()
  })
})
