const focusable =
  'a[href],button:not([disabled]),input:not([disabled]),select:not([disabled]),textarea:not([disabled]),[tabindex]:not([tabindex="-1"])'

/** The element that really has focus, looking through open shadow roots. */
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement
  return active instanceof HTMLElement ? active : null
}

/**
 * Keeps keyboard focus inside `container` (a modal dialog, possibly in a shadow root): Tab and Shift+Tab
 * wrap around its focusable elements, and focus that wanders out is brought back. The returned release
 * function gives focus back to whatever had it before.
 */
export function trapFocus(container: HTMLElement): () => void {
  const previous = deepActiveElement()
  const root = container.getRootNode() as Document | ShadowRoot

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Tab') return
    const items = Array.from(container.querySelectorAll<HTMLElement>(focusable))
    const first = items[0]
    const last = items[items.length - 1]
    const active = root.activeElement
    const inside = active instanceof Node && container.contains(active)
    if (!first || !last) {
      event.preventDefault()
    } else if (event.shiftKey && (!inside || active === first || active === container)) {
      event.preventDefault()
      last.focus()
    } else if (!event.shiftKey && (!inside || active === last)) {
      event.preventDefault()
      first.focus()
    }
  }
  const onFocusIn = (event: FocusEvent) => {
    if (!event.composedPath().includes(container)) container.focus()
  }

  container.addEventListener('keydown', onKeyDown)
  document.addEventListener('focusin', onFocusIn)
  container.focus()
  return () => {
    container.removeEventListener('keydown', onKeyDown)
    document.removeEventListener('focusin', onFocusIn)
    if (previous?.isConnected) previous.focus()
  }
}
