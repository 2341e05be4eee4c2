import type { ComponentChildren } from 'preact'
import { useLayoutEffect, useRef } from 'preact/hooks'
import { trapFocus } from './focus-trap'

/** The id of a unit's headline, which names its dialog or region (each unit has a shadow root of its own). */
export const titleId = 'promo-title'

interface PopupProps {
  class: string
  style: Record<string, string>
  preview?: boolean | undefined
  onClose(): void
  /** Whether a click on the backdrop may close it (a form says no once something is typed); yes by default. */
  dismissible?(): boolean
  children: ComponentChildren
}

/**
 * A unit as a modal over the page: focus stays inside while it is open and goes back where it was after; Escape,
 * or a click on the backdrop, closes it. In the admin's live preview the editor keeps its focus, keys and clicks.
 */
export function Popup({ class: className, style, preview, onClose, dismissible, children }: PopupProps) {
  const backdrop = useRef<HTMLDivElement>(null)
  const dialog = useRef<HTMLDivElement>(null)
  // Set up once, for the dialog's whole life.
  useLayoutEffect(() => {
    const shade = backdrop.current
    if (preview || !shade || !dialog.current) return
    const release = trapFocus(dialog.current)
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose()
    }
    const onShadeClick = (event: MouseEvent) => {
      if (event.target === shade && (dismissible?.() ?? true)) onClose()
    }
    document.addEventListener('keydown', onKeyDown)
    shade.addEventListener('click', onShadeClick)
    return () => {
      document.removeEventListener('keydown', onKeyDown)
      shade.removeEventListener('click', onShadeClick)
      release()
    }
  }, [])
  return (
    <div class="backdrop" ref={backdrop}>
      <div
        ref={dialog}
        class={className}
        style={style}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
      >
        {children}
      </div>
    </div>
  )
}
