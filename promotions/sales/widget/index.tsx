import { render } from 'preact'
import type { MountFormat } from '../../../sdk/kit/context'
import { shadowFor } from '../../../sdk/kit/shadow'
import type { SalesDecision } from '../decision'
import { Sales } from './sales'
import { css } from './styles'

/** Draws a sales nudge (product cards, free-shipping bar, cart reminder; inline, a bar or a popup) in the host's shadow root. */
export const mount: MountFormat = (host, decision, ctx) => {
  const root = shadowFor(host, css)
  render(<Sales decision={decision as SalesDecision} ctx={ctx} />, root)
  return () => render(null, root)
}
