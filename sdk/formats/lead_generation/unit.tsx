import { useEffect, useRef, useState } from 'preact/hooks'
import type { Decision } from '../../../schema/serve'
import { CloseButton } from '../../kit/close-button'
import { creativeColors } from '../../kit/colors'
import type { LeadConfig } from './config'
import { LeadForm, titleId } from './form'
import { formEvents } from './form-events'
import { Popup } from './popup'
import type { LeadContext } from './sender'

interface LeadUnitProps {
  decision: Decision
  ctx: LeadContext
  host: HTMLElement
}

/**
 * One lead form in its placement: inline in its slot, a modal popup, or a slide-in panel in the corner. It
 * reports its funnel (view, start, abandon) through the context; closing hides it at once and then tells the
 * context.
 */
export function LeadUnit({ decision, ctx, host }: LeadUnitProps) {
  const config = decision.config as LeadConfig
  const [events] = useState(() => formEvents(ctx.preview ? undefined : ctx.track))
  const [open, setOpen] = useState(true)
  const box = useRef<HTMLElement>(null)
  const display = decision.slot ? 'inline' : config.display === 'slide_in' ? 'slide_in' : 'popup'

  useEffect(() => {
    const onHidden = () => document.visibilityState === 'hidden' && events.left()
    // Captured at the window, so they run before the SDK's own listeners hand the event queue to sendBeacon.
    addEventListener('pagehide', events.left, true)
    addEventListener('visibilitychange', onHidden, true)
    let stopWatching = () => {}
    const inline = box.current
    // A page-level form is in view as it appears; an inline one once half of it is.
    if (display !== 'inline' || !inline || typeof IntersectionObserver === 'undefined') events.viewed()
    else {
      const observer = new IntersectionObserver(
        (entries) => {
          if (!entries.some((entry) => entry.isIntersecting && entry.intersectionRatio >= 0.5)) return
          events.viewed()
          observer.disconnect()
        },
        { threshold: 0.5 },
      )
      observer.observe(inline)
      stopWatching = () => observer.disconnect()
    }
    return () => {
      removeEventListener('pagehide', events.left, true)
      removeEventListener('visibilitychange', onHidden, true)
      stopWatching()
      events.left()
    }
  }, [])

  if (!open) return null
  const close = () => {
    events.left()
    setOpen(false)
    ctx.onClose()
  }
  const style = creativeColors(decision.creative)
  const themed = Object.keys(style).length ? ' themed' : ''
  const form = <LeadForm decision={decision} config={config} ctx={ctx} host={host} events={events} />
  const closeButton = <CloseButton onClose={close} />

  if (display === 'popup') {
    return (
      <Popup
        style={style}
        themed={themed}
        preview={ctx.preview}
        onClose={close}
        dismissible={() => !events.isStarted()}
      >
        {form}
        {closeButton}
      </Popup>
    )
  }
  if (display === 'slide_in') {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !ctx.preview) close()
    }
    return (
      <aside
        ref={box}
        class={`unit panel${themed}`}
        style={style}
        aria-labelledby={titleId}
        onKeyDown={onKeyDown}
      >
        {form}
        {closeButton}
      </aside>
    )
  }
  return (
    <aside ref={box} class={`unit inline${themed}`} style={style} aria-labelledby={titleId}>
      {form}
    </aside>
  )
}
