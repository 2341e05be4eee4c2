import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type ObserveRatio, type ViewabilityOptions, watchViewable } from './viewability'

/** An observer the test drives by hand, and a document whose visibility it flips. */
function setup(options: Pick<ViewabilityOptions, 'video'> = {}) {
  let report: (ratio: number, area?: number) => void = () => {}
  const disconnect = vi.fn()
  const observe: ObserveRatio = (_element, onRatio) => {
    report = onRatio
    return disconnect
  }
  const doc = Object.assign(new EventTarget(), { hidden: false })
  const setHidden = (hidden: boolean) => {
    doc.hidden = hidden
    doc.dispatchEvent(new Event('visibilitychange'))
  }
  const onViewable = vi.fn()
  const watch = watchViewable({} as Element, onViewable, {
    ...options,
    observe,
    doc: doc as ViewabilityOptions['doc'],
  })
  return {
    ratio: (value: number, area = 300 * 250) => report(value, area),
    setHidden,
    onViewable,
    disconnect,
    ...watch,
  }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('viewability (50% of pixels for one continuous second)', () => {
  it('is not viewable after 0.9 s in view', () => {
    const unit = setup()
    unit.ratio(1)
    vi.advanceTimersByTime(900)
    expect(unit.onViewable).not.toHaveBeenCalled()
  })

  it('is viewable once after 1.1 s in view, and never again', () => {
    const unit = setup()
    unit.ratio(0.5)
    vi.advanceTimersByTime(1100)
    expect(unit.onViewable).toHaveBeenCalledTimes(1)
    unit.ratio(0)
    unit.ratio(1)
    vi.advanceTimersByTime(5000)
    expect(unit.onViewable).toHaveBeenCalledTimes(1)
  })

  it('needs half of the pixels: 49% in view never counts', () => {
    const unit = setup()
    unit.ratio(0.49)
    vi.advanceTimersByTime(5000)
    expect(unit.onViewable).not.toHaveBeenCalled()
  })

  it('restarts the second when the unit leaves the view', () => {
    const unit = setup()
    unit.ratio(1)
    vi.advanceTimersByTime(700)
    unit.ratio(0.2)
    vi.advanceTimersByTime(700)
    unit.ratio(1)
    vi.advanceTimersByTime(900)
    expect(unit.onViewable).not.toHaveBeenCalled()
    vi.advanceTimersByTime(100)
    expect(unit.onViewable).toHaveBeenCalledTimes(1)
  })

  it('pauses while the tab is hidden and needs a full second after it returns', () => {
    const unit = setup()
    unit.ratio(1)
    vi.advanceTimersByTime(600)
    unit.setHidden(true)
    vi.advanceTimersByTime(5000)
    expect(unit.onViewable).not.toHaveBeenCalled()
    unit.setHidden(false)
    vi.advanceTimersByTime(900)
    expect(unit.onViewable).not.toHaveBeenCalled()
    vi.advanceTimersByTime(100)
    expect(unit.onViewable).toHaveBeenCalledTimes(1)
  })

  it('does not start counting in a hidden tab', () => {
    const unit = setup()
    unit.setHidden(true)
    unit.ratio(1)
    vi.advanceTimersByTime(3000)
    expect(unit.onViewable).not.toHaveBeenCalled()
  })

  it('stops watching when the unit is removed', () => {
    const unit = setup()
    unit.ratio(1)
    unit.stop()
    unit.ratio(1)
    vi.advanceTimersByTime(3000)
    expect(unit.onViewable).not.toHaveBeenCalled()
    expect(unit.disconnect).toHaveBeenCalled()
  })
})

describe('large display units (at least 242,500 px²): 30% of pixels for one second', () => {
  const large = 970 * 250

  it('counts 30% in view of a 970×250 unit after one second', () => {
    const unit = setup()
    unit.ratio(0.3, large)
    vi.advanceTimersByTime(999)
    expect(unit.onViewable).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(unit.onViewable).toHaveBeenCalledTimes(1)
  })

  it('never counts 29% of a large unit, nor 30% of a unit just under the size', () => {
    const unit = setup()
    unit.ratio(0.29, large)
    vi.advanceTimersByTime(5000)
    const small = setup()
    small.ratio(0.4, large - 1)
    vi.advanceTimersByTime(5000)
    expect(unit.onViewable).not.toHaveBeenCalled()
    expect(small.onViewable).not.toHaveBeenCalled()
  })
})

describe('video units: 50% of pixels for two continuous seconds', () => {
  it('is not viewable after 1.9 s, and is after 2 s', () => {
    const unit = setup({ video: true })
    unit.ratio(0.5)
    vi.advanceTimersByTime(1900)
    expect(unit.onViewable).not.toHaveBeenCalled()
    vi.advanceTimersByTime(100)
    expect(unit.onViewable).toHaveBeenCalledTimes(1)
  })

  it('keeps the 50% rule however large the video is', () => {
    const unit = setup({ video: true })
    unit.ratio(0.4, 1280 * 720)
    vi.advanceTimersByTime(5000)
    expect(unit.onViewable).not.toHaveBeenCalled()
  })

  it('restarts the two seconds when the video leaves the view', () => {
    const unit = setup({ video: true })
    unit.ratio(1)
    vi.advanceTimersByTime(1500)
    unit.ratio(0)
    unit.ratio(1)
    vi.advanceTimersByTime(1500)
    expect(unit.onViewable).not.toHaveBeenCalled()
    vi.advanceTimersByTime(500)
    expect(unit.onViewable).toHaveBeenCalledTimes(1)
  })
})

describe('in-view time', () => {
  it('adds up only the time in view, after being viewable too', () => {
    const unit = setup()
    vi.advanceTimersByTime(400)
    unit.ratio(0.8)
    vi.advanceTimersByTime(1500)
    unit.ratio(0.2)
    vi.advanceTimersByTime(10_000)
    unit.ratio(0.6)
    vi.advanceTimersByTime(700)
    expect(unit.take()).toBe(2200)
  })

  it('stops counting while the tab is hidden', () => {
    const unit = setup()
    unit.ratio(1)
    vi.advanceTimersByTime(300)
    unit.setHidden(true)
    vi.advanceTimersByTime(60_000)
    unit.setHidden(false)
    vi.advanceTimersByTime(200)
    expect(unit.take()).toBe(500)
  })

  it('reports each stretch once: take() starts the count again from zero', () => {
    const unit = setup()
    unit.ratio(1)
    vi.advanceTimersByTime(1200)
    expect(unit.take()).toBe(1200)
    vi.advanceTimersByTime(300)
    expect(unit.take()).toBe(300)
    expect(unit.take()).toBe(0)
  })

  it('freezes when watching stops', () => {
    const unit = setup()
    unit.ratio(1)
    vi.advanceTimersByTime(800)
    unit.stop()
    vi.advanceTimersByTime(5000)
    expect(unit.take()).toBe(800)
    expect(unit.take()).toBe(0)
  })
})
