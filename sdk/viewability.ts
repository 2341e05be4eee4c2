/**
 * Reports the share of an element's pixels in view, and its area in CSS pixels, each time it crosses a
 * threshold; returns a stop function.
 */
export type ObserveRatio = (element: Element, onRatio: (ratio: number, area?: number) => void) => () => void

export const observeIntersection: ObserveRatio = (element, onRatio) => {
  const observer = new IntersectionObserver(
    (entries) => {
      for (const { isIntersecting, intersectionRatio, boundingClientRect: box } of entries)
        onRatio(isIntersecting ? intersectionRatio : 0, box.width * box.height)
    },
    { threshold: [0, 0.3, 0.5, 1] },
  )
  observer.observe(element)
  return () => observer.disconnect()
}

/** The MRC's large display unit: from this many square pixels, 30% in view is enough. */
export const largeUnitArea = 242_500

export interface ViewabilityOptions {
  observe?: ObserveRatio
  doc?: Pick<Document, 'hidden' | 'addEventListener' | 'removeEventListener'>
  /** A video unit: half of its pixels for two continuous seconds, whatever its size. */
  video?: boolean
}

/** What `watchViewable` returns: the in-view time so far, and the end of watching. */
export interface ViewWatch {
  /** Milliseconds in view (by the same share of pixels, tab visible) since the last call. */
  take(): number
  stop(): void
}

/**
 * Calls `onViewable` once, when the element has been in view for long enough without a break, by the MRC
 * rules: display units half of their pixels for one second (large units 30%), video half for two seconds.
 * Scrolling away or hiding the tab restarts the count. Watching goes on after that, for the in-view time.
 */
export function watchViewable(
  element: Element,
  onViewable: () => void,
  { observe = observeIntersection, doc = document, video = false }: ViewabilityOptions = {},
): ViewWatch {
  const dwellMs = video ? 2000 : 1000
  let inView = false
  let viewed = false
  let stopped = false
  let since: number | undefined
  let total = 0
  let timer: ReturnType<typeof setTimeout> | undefined

  const update = () => {
    const counting = inView && !doc.hidden && !stopped
    if (counting) {
      since ??= Date.now()
      if (!viewed)
        timer ??= setTimeout(() => {
          viewed = true
          onViewable()
        }, dwellMs)
    } else {
      if (since !== undefined) total += Date.now() - since
      since = undefined
      clearTimeout(timer)
      timer = undefined
    }
  }
  const unobserve = observe(element, (ratio, area = 0) => {
    // Rounding can report exactly the threshold as a hair under it.
    inView = ratio >= (!video && area >= largeUnitArea ? 0.3 : 0.5) - 0.001
    update()
  })
  doc.addEventListener('visibilitychange', update)

  return {
    take() {
      update()
      const ms = total + (since === undefined ? 0 : Date.now() - since)
      total = 0
      if (since !== undefined) since = Date.now()
      return ms
    },
    stop() {
      stopped = true
      update()
      unobserve()
      doc.removeEventListener('visibilitychange', update)
    },
  }
}
