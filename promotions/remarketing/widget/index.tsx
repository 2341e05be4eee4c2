import { render } from 'preact'
import type { MountFormat } from '../../../sdk/kit/context'
import { shadowFor } from '../../../sdk/kit/shadow'
import type { RemarketingDecision } from '../decision'
import { Reminder } from './reminder'
import { css } from './styles'

/** Draws a remarketing reminder (a popup, a bar or a slot's unit) in the host's shadow root. */
export const mount: MountFormat = (host, decision, ctx) => {
  const root = shadowFor(host, css)
  render(<Reminder decision={decision as RemarketingDecision} ctx={ctx} />, root)
  return () => render(null, root)
}
