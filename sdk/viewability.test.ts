import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type ObserveRatio, type ViewabilityOptions, watchViewable } from './viewability'

/** An observer the test drives by hand, and a document whose visibility it flips. */
function setup() {
  let report: (ratio: number) => void = () => {}
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
  const stop = watchViewable({} as Element, onViewable, { observe, doc: doc as ViewabilityOptions['doc'] })
  return { ratio: (value: number) => report(value), setHidden, onViewable, disconnect, stop }
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
    expect(unit.disconnect).toHaveBeenCalled()
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
    vi.advanceTimersByTime(3000)
    expect(unit.onViewable).not.toHaveBeenCalled()
    expect(unit.disconnect).toHaveBeenCalled()
  })
})
