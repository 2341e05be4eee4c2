import { listen } from './listen'

/** A fling back up on a touch screen: this far within this long reads as heading for the browser's bar. */
const flingPx = 200
const flingMs = 250

/**
 * Exit intent. With a mouse, the pointer leaves the window through its top edge, towards the tabs and the
 * address bar. On a touch screen, where there is no pointer to follow, a fast scroll back up.
 */
export function watchExit(fire: () => void): () => void {
  const stopMouse = listen(document, ['mouseout'], (event) => {
    const { relatedTarget, clientY } = event as MouseEvent
    if (!relatedTarget && clientY <= 0) fire()
  })
  if (!globalThis.matchMedia?.('(pointer: coarse)').matches) return stopMouse
  let fromY = scrollY
  let since = performance.now()
  const stopScroll = listen(window, ['scroll'], () => {
    const y = scrollY
    const now = performance.now()
    if (fromY - y >= flingPx && now - since <= flingMs) fire()
    else if (y >= fromY || now - since > flingMs) {
      fromY = y
      since = now
    }
  })
  return () => {
    stopMouse()
    stopScroll()
  }
}
