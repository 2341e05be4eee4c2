import { render } from 'preact'
import type { MountFormat } from '../../../sdk/kit/context'
import { shadowFor } from '../../../sdk/kit/shadow'
import { AppUnit } from './app-unit'
import { css } from './styles'

/** Draws an app promotion (smart banner bar, inline or popup) in the host's shadow root. */
export const mount: MountFormat = (host, decision, ctx) => {
  const root = shadowFor(host, css)
  render(<AppUnit decision={decision} ctx={ctx} />, root)
  return () => render(null, root)
}
