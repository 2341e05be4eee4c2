/** The boxes that scroll sideways on their own when their content is wider than the screen (tables). */
const scrollers = '.table-card'

/**
 * Makes each scroll box reachable with the keyboard while it actually scrolls (WCAG 2.1.1: a keyboard user
 * scrolls a box by focusing it), and takes it out of the tab order again when everything fits. Watches the
 * whole app, so every page's tables are covered without each page doing it.
 */
export function keyboardScrollRegions(root: HTMLElement): () => void {
  const update = (box: HTMLElement) => {
    const scrolls = box.scrollWidth > box.clientWidth + 1
    if (scrolls && box.getAttribute('tabindex') === null) box.setAttribute('tabindex', '0')
    else if (!scrolls && box.getAttribute('tabindex') === '0') box.removeAttribute('tabindex')
  }
  const sizes = new ResizeObserver((entries) => {
    for (const entry of entries) update(entry.target as HTMLElement)
  })
  const watched = new WeakSet<Element>()
  const scan = () => {
    for (const box of root.querySelectorAll<HTMLElement>(scrollers)) {
      if (!watched.has(box)) {
        watched.add(box)
        sizes.observe(box)
      }
      update(box)
    }
  }
  const changes = new MutationObserver(scan)
  changes.observe(root, { childList: true, subtree: true })
  scan()
  return () => {
    changes.disconnect()
    sizes.disconnect()
  }
}
