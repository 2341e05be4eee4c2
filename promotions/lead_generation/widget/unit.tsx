import { useEffect, useRef, useState } from 'preact/hooks'
import type { Decision } from '../../../schema/serve'
import { CloseButton } from '../../../sdk/kit/close-button'
import { creativeColors } from '../../../sdk/kit/colors'
import type { FormatContext } from '../../../sdk/kit/context'
import { Popup, titleId } from '../../../sdk/kit/popup'
import type { LeadConfig } from './config'
import { LeadForm } from './form'
import { formEvents } from './form-events'

interface LeadUnitProps {
  decision: Decision
  ctx: FormatContext
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
    ctx.onLeave?.(events.left)
    // A page-level form is in view as it appears; an inline one once it is viewable as every unit is (half
    // of it in view for a second), which the loader watches.
    const inline = display === 'inline' && box.current
    const stopWatching = inline && ctx.watch ? ctx.watch(inline, events.viewed) : events.viewed()
    return () => {
      stopWatching?.()
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
        class={`unit popup${themed}`}
        style={style}
        preview={ctx.preview}
        onClose={close}
        dismissible={() => !events.isStarted()}
      >
        {form}
        {closeButton}
      </Popup>
    )
  }
  // A slide-in is a panel in the corner, closable, Escape included; an inline form stays in its slot.
  const panel = display === 'slide_in'
  const onKeyDown = (event: KeyboardEvent) => {
    if (panel && event.key === 'Escape' && !ctx.preview) close()
  }
  return (
    <aside
      ref={box}
      class={`unit ${panel ? 'popup panel' : 'inline'}${themed}`}
      style={style}
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
    >
      {form}
      {panel && closeButton}
    </aside>
  )
}
