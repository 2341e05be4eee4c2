// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createTriggerContext, pageCountKey } from './context'

beforeEach(() => sessionStorage.clear())

describe('the page count', () => {
  it('goes on across the pages of the tab while consent allows storage', () => {
    const first = createTriggerContext(
      () => sessionStorage,
      () => true,
      vi.fn(),
    )
    first.viewed()
    first.viewed()
    expect(first.pages()).toBe(2)
    const next = createTriggerContext(
      () => sessionStorage,
      () => true,
      vi.fn(),
    )
    next.viewed()
    expect(next.pages()).toBe(3)
    expect(sessionStorage.getItem(pageCountKey)).toBe('3')
  })

  it('stays in memory, storing nothing, without consent to store', () => {
    sessionStorage.setItem(pageCountKey, '7')
    const context = createTriggerContext(
      () => sessionStorage,
      () => false,
      vi.fn(),
    )
    context.viewed()
    context.viewed()
    expect(context.pages()).toBe(2)
    expect(sessionStorage.getItem(pageCountKey)).toBe('7')
  })

  it('counts in memory when storage throws or holds nonsense', () => {
    const refused = createTriggerContext(
      () => {
        throw new Error('SecurityError')
      },
      () => true,
      vi.fn(),
    )
    refused.viewed()
    expect(refused.pages()).toBe(1)
    sessionStorage.setItem(pageCountKey, 'many')
    const garbled = createTriggerContext(
      () => sessionStorage,
      () => true,
      vi.fn(),
    )
    garbled.viewed()
    expect(garbled.pages()).toBe(1)
  })
})

describe('tracked names', () => {
  it('reach each listener until it stops listening', () => {
    const context = createTriggerContext(
      () => sessionStorage,
      () => false,
      vi.fn(),
    )
    const listener = vi.fn()
    const stop = context.onTrack(listener)
    const props = { value: 12, currency: 'EUR', contents: [{ id: 'sku-1', quantity: 2 }] }
    context.tracked('Lead')
    context.tracked('AddToCart', props)
    stop()
    context.tracked('Purchase')
    expect(listener.mock.calls).toEqual([
      ['Lead', undefined],
      ['AddToCart', props],
    ])
    expect(listener.mock.calls[1]?.[1]).toBe(props)
  })
})
