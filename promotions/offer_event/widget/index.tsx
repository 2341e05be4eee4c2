import { render } from 'preact'
import type { MountFormat } from '../../../sdk/kit/context'
import { shadowFor } from '../../../sdk/kit/shadow'
import type { EventCard } from './event-card'
import { Offer } from './offer'
import { css } from './styles'

export type { FormatContext } from '../../../sdk/kit/context'

/**
 * Draws an offer or event (bar, hero, inline or popup) in the host's shadow root. An event's card and RSVP form
 * are a chunk of their own, loaded first, so the unit appears whole (no shift) and a countdown bar never pays for
 * a form.
 */
export const mount: MountFormat = (host, decision, ctx) => {
  const root = shadowFor(host, css)
  let live = true
  const draw = (Card?: typeof EventCard) => {
    if (live) render(<Offer decision={decision} ctx={ctx} Card={Card} />, root)
  }
  if (decision.config.event)
    import('./event-card').then(
      (chunk) => draw(chunk.EventCard),
      (error) => ctx.report?.(error),
    )
  else draw()
  return () => {
    live = false
    render(null, root)
  }
}
