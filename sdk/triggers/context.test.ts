// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { createTriggerContext } from './context'

describe('tracked names', () => {
  it('reach each listener until it stops listening', () => {
    const context = createTriggerContext(() => 1, vi.fn())
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
