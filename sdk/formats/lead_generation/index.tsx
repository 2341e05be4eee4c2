import { render } from 'preact'
import type { MountFormat } from '../../kit/context'
import { shadowFor } from '../../kit/shadow'
import type { LeadContext } from './sender'
import { css } from './styles'
import { LeadUnit } from './unit'

export type { LeadContext, LeadSender } from './sender'

/** Draws a lead form (inline, popup or slide-in) in the host's shadow root. */
export const mount: MountFormat = (host, decision, ctx: LeadContext) => {
  const root = shadowFor(host, css)
  render(<LeadUnit decision={decision} ctx={ctx} host={host} />, root)
  return () => render(null, root)
}
