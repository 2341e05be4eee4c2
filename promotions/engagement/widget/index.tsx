import { render } from 'preact'
import type { MountFormat } from '../../../sdk/kit/context'
import { shadowFor } from '../../../sdk/kit/shadow'
import { unitCss } from '../../../sdk/kit/unit-css'
import { css } from './styles'
import { Engagement } from './widget'

/** Draws an engagement campaign (likes, reactions, shares, a poll, comments) in its slot's shadow root. */
export const mount: MountFormat = (host, decision, ctx) => {
  const root = shadowFor(host, unitCss + css)
  render(<Engagement decision={decision} ctx={ctx} />, root)
  return () => render(null, root)
}
