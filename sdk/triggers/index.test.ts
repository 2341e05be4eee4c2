// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Trigger } from '../../schema/trigger'
import { createTriggerContext } from './context'
import { arm } from './index'

function setup(trigger: Trigger, { pages = 1 } = {}) {
  const context = createTriggerContext(() => pages, vi.fn())
  const fire = vi.fn()
  const stop = arm(trigger, fire, context)
  return { fire, stop, context }
}

/** Lays out a page `height` pixels tall in an 800 px window, scrolled to `top`. */
function scrollTo(top: number, height = 2800) {
  Object.defineProperty(document.documentElement, 'scrollHeight', { configurable: true, value: height })
  Object.defineProperty(window, 'innerHeight', { configurable: true, value: 800 })
  Object.defineProperty(window, 'scrollY', { configurable: true, value: top })
  window.dispatchEvent(new Event('scroll'))
}

const mouseOut = (init: MouseEventInit) => document.dispatchEvent(new MouseEvent('mouseout', init))

beforeEach(() => {
  vi.useFakeTimers()
  scrollTo(0)
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('triggers', () => {
  it('load fires at once', () => {
    expect(setup({ on: 'load' }).fire).toHaveBeenCalledOnce()
  })

  it('delay fires after its seconds, once', () => {
    const { fire } = setup({ on: 'delay', seconds: 5 })
    vi.advanceTimersByTime(4999)
    expect(fire).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    vi.advanceTimersByTime(60_000)
    expect(fire).toHaveBeenCalledOnce()
  })

  it('scroll fires once the visitor is past the percent of the scrollable height', () => {
    const { fire } = setup({ on: 'scroll', percent: 50 })
    scrollTo(900)
    expect(fire).not.toHaveBeenCalled()
    scrollTo(1000)
    scrollTo(2000)
    expect(fire).toHaveBeenCalledOnce()
  })

  it('scroll fires at once on a page already scrolled far enough, or one too short to scroll', () => {
    scrollTo(1500)
    expect(setup({ on: 'scroll', percent: 50 }).fire).toHaveBeenCalledOnce()
    scrollTo(0, 600)
    expect(setup({ on: 'scroll', percent: 100 }).fire).toHaveBeenCalledOnce()
  })

  it('exit fires when the pointer leaves through the top, not through a side or into the page', () => {
    const { fire } = setup({ on: 'exit' })
    mouseOut({ clientX: 0, clientY: 300 })
    mouseOut({ clientY: -1, relatedTarget: document.body })
    expect(fire).not.toHaveBeenCalled()
    mouseOut({ clientY: -2 })
    expect(fire).toHaveBeenCalledOnce()
  })

  it('exit on a touch screen fires on a fast scroll back up, not on a slow one', () => {
    vi.stubGlobal('matchMedia', (query: string) => ({ matches: query === '(pointer: coarse)' }))
    const { fire } = setup({ on: 'exit' })
    scrollTo(2000)
    for (const top of [1950, 1900, 1850, 1800, 1750]) {
      vi.advanceTimersByTime(300)
      scrollTo(top)
    }
    expect(fire).not.toHaveBeenCalled()
    vi.advanceTimersByTime(300)
    scrollTo(1700)
    vi.advanceTimersByTime(50)
    scrollTo(1600)
    vi.advanceTimersByTime(50)
    scrollTo(1450)
    expect(fire).toHaveBeenCalledOnce()
  })

  it('exit with a mouse ignores fast scrolling', () => {
    vi.stubGlobal('matchMedia', () => ({ matches: false }))
    const { fire } = setup({ on: 'exit' })
    scrollTo(2000)
    vi.advanceTimersByTime(10)
    scrollTo(0)
    expect(fire).not.toHaveBeenCalled()
  })

  it('inactivity fires after its seconds without input; any input starts the wait again', () => {
    const { fire } = setup({ on: 'inactivity', seconds: 10 })
    vi.advanceTimersByTime(9000)
    document.dispatchEvent(new Event('pointermove'))
    vi.advanceTimersByTime(9000)
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }))
    vi.advanceTimersByTime(9999)
    expect(fire).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(fire).toHaveBeenCalledOnce()
  })

  it('click fires on a click inside an element the selector matches, and on no other', () => {
    document.body.innerHTML = '<a class="buy" href="#"><span>Buy</span></a><button>Other</button>'
    const { fire } = setup({ on: 'click', selector: 'a.buy' })
    document.querySelector('button')!.click()
    expect(fire).not.toHaveBeenCalled()
    document.querySelector('span')!.click()
    expect(fire).toHaveBeenCalledOnce()
  })

  it('click with a selector the browser refuses reports it and never fires', () => {
    document.body.innerHTML = '<button>Buy</button>'
    const { fire, context } = setup({ on: 'click', selector: 'button[' })
    document.querySelector('button')!.click()
    expect(fire).not.toHaveBeenCalled()
    expect(context.report).toHaveBeenCalledOnce()
  })

  it('event fires when Promo.track sends that name', () => {
    const { fire, context } = setup({ on: 'event', name: 'AddToCart' })
    context.tracked('Purchase')
    expect(fire).not.toHaveBeenCalled()
    context.tracked('AddToCart')
    context.tracked('AddToCart')
    expect(fire).toHaveBeenCalledOnce()
  })

  it('pageCount fires from the page that reaches the count, and not before', () => {
    expect(setup({ on: 'pageCount', atLeast: 3 }, { pages: 2 }).fire).not.toHaveBeenCalled()
    expect(setup({ on: 'pageCount', atLeast: 3 }, { pages: 3 }).fire).toHaveBeenCalledOnce()
  })

  it('a kind this chunk does not know never fires', () => {
    const { fire } = setup({ on: 'hover' } as unknown as Trigger)
    vi.advanceTimersByTime(60_000)
    expect(fire).not.toHaveBeenCalled()
  })
})

describe('listeners', () => {
  const watched: Trigger[] = [
    { on: 'scroll', percent: 50 },
    { on: 'exit' },
    { on: 'inactivity', seconds: 10 },
    { on: 'click', selector: 'a' },
  ]

  it('are all passive, and all removed when the wait is stopped', () => {
    vi.stubGlobal('matchMedia', () => ({ matches: true }))
    const added: [EventTarget, string, unknown][] = []
    const removed: [EventTarget, string][] = []
    for (const target of [window, document]) {
      const add = target.addEventListener.bind(target)
      const remove = target.removeEventListener.bind(target)
      vi.spyOn(target, 'addEventListener').mockImplementation((type, listener, options) => {
        added.push([target, type, options])
        add(type, listener, options)
      })
      vi.spyOn(target, 'removeEventListener').mockImplementation((type, listener, options) => {
        removed.push([target, type])
        remove(type, listener, options)
      })
    }
    try {
      for (const trigger of watched) setup(trigger).stop()
    } finally {
      vi.restoreAllMocks()
    }
    expect(added.length).toBeGreaterThan(4)
    for (const [, , options] of added) expect(options).toMatchObject({ passive: true })
    expect(removed).toEqual(added.map(([target, type]) => [target, type]))
  })

  it('are removed once the trigger fired, and a stopped wait never fires', () => {
    const { fire } = setup({ on: 'inactivity', seconds: 1 })
    vi.advanceTimersByTime(1000)
    document.dispatchEvent(new Event('pointermove'))
    vi.advanceTimersByTime(5000)
    expect(fire).toHaveBeenCalledOnce()
    const stopped = setup({ on: 'delay', seconds: 1 })
    stopped.stop()
    vi.advanceTimersByTime(5000)
    expect(stopped.fire).not.toHaveBeenCalled()
  })
})
