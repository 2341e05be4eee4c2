/** Reports the share of an element's pixels in view each time it crosses a threshold; returns a stop function. */
export type ObserveRatio = (element: Element, onRatio: (ratio: number) => void) => () => void

export const observeIntersection: ObserveRatio = (element, onRatio) => {
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) onRatio(entry.isIntersecting ? entry.intersectionRatio : 0)
    },
    { threshold: [0, 0.5, 1] },
  )
  observer.observe(element)
  return () => observer.disconnect()
}

export interface ViewabilityOptions {
  observe?: ObserveRatio
  doc?: Pick<Document, 'hidden' | 'addEventListener' | 'removeEventListener'>
  /** How long the unit must stay in view without a break. */
  dwellMs?: number
  /** Share of the unit's pixels that must be in view. */
  threshold?: number
}

/**
 * Calls `onViewable` once, when at least half of the element has been in view for one continuous second
 * (the MRC display standard). Scrolling away or hiding the tab restarts the second.
 */
export function watchViewable(element: Element, onViewable: () => void, options: ViewabilityOptions = {}) {
  const { observe = observeIntersection, doc = document, dwellMs = 1000, threshold = 0.5 } = options
  let inView = false
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined

  const update = () => {
    if (stopped) return
    if (inView && !doc.hidden) {
      timer ??= setTimeout(() => {
        stop()
        onViewable()
      }, dwellMs)
    } else {
      clearTimeout(timer)
      timer = undefined
    }
  }
  // Rounding can report exactly half of the pixels as a hair under 0.5.
  const unobserve = observe(element, (ratio) => {
    inView = ratio >= threshold - 0.001
    update()
  })
  doc.addEventListener('visibilitychange', update)

  function stop() {
    stopped = true
    clearTimeout(timer)
    unobserve()
    doc.removeEventListener('visibilitychange', update)
  }
  return stop
}
