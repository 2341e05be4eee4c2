import { render } from 'preact'
import type { MountFormat } from '../../../sdk/kit/context'
import { shadowFor } from '../../../sdk/kit/shadow'
import { Rail } from './rail'
import { css } from './styles'

/** Draws a traffic campaign's rail of cards (grid, carousel or list) in the host's shadow root. */
export const mount: MountFormat = (host, decision, ctx) => {
  const root = shadowFor(host, css)
  render(<Rail decision={decision} ctx={ctx} />, root)
  return () => render(null, root)
}
