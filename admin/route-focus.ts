/**
 * After a route change: focus the new screen's heading so a screen reader reads it out and the next Tab starts
 * from the top of the screen. A screen still loading has no heading yet: the main region holds focus until the
 * heading appears, unless the user has moved focus meanwhile. Returns a stop function for the wait.
 */
export function focusScreenHeading(main: HTMLElement): () => void {
  const heading = main.querySelector<HTMLElement>('h1')
  if (heading) {
    focusHeading(heading)
    return () => {}
  }
  main.focus()
  const appeared = new MutationObserver(() => {
    const late = main.querySelector<HTMLElement>('h1')
    if (!late) return
    appeared.disconnect()
    if (document.activeElement === main) focusHeading(late)
  })
  appeared.observe(main, { childList: true, subtree: true })
  return () => appeared.disconnect()
}

/** A heading without a tabindex is given one, so it can take focus without joining the Tab order. */
function focusHeading(heading: HTMLElement) {
  if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1
  heading.focus()
}
