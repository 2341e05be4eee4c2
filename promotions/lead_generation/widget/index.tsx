import { render } from 'preact'
import type { MountFormat } from '../../../sdk/kit/context'
import { shadowFor } from '../../../sdk/kit/shadow'
import { css } from './styles'
import { LeadUnit } from './unit'

/** Draws a lead form (inline, popup or slide-in) in the host's shadow root. */
export const mount: MountFormat = (host, decision, ctx) => {
  const root = shadowFor(host, css)
  render(<LeadUnit decision={decision} ctx={ctx} host={host} />, root)
  return () => render(null, root)
}
