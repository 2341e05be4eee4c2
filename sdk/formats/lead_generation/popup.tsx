import type { ComponentChildren } from 'preact'
import { useLayoutEffect, useRef } from 'preact/hooks'
import { trapFocus } from '../../kit/focus-trap'
import { titleId } from './form'

interface PopupProps {
  style: Record<string, string>
  themed: string
  preview?: boolean | undefined
  onClose(): void
  /** Whether a click on the backdrop may close it: not once the visitor has typed something. */
  dismissible(): boolean
  children: ComponentChildren
}

/**
 * The form as a modal over the page: focus stays inside while it is open and goes back where it was after;
 * Escape closes it. In the admin's live preview the editor keeps its focus, its keys and its clicks.
 */
export function Popup({ style, themed, preview, onClose, dismissible, children }: PopupProps) {
  const backdrop = useRef<HTMLDivElement>(null)
  const dialog = useRef<HTMLDivElement>(null)
  useLayoutEffect(() => {
    const shade = backdrop.current
    if (preview || !shade || !dialog.current) return
    const release = trapFocus(dialog.current)
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose()
    }
    const onShadeClick = (event: MouseEvent) => {
      if (event.target === shade && dismissible()) onClose()
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
        class={`unit popup${themed}`}
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
