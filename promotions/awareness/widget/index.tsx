import { render } from 'preact'
import type { MountFormat } from '../../../sdk/kit/context'
import { shadowFor } from '../../../sdk/kit/shadow'
import { Banner } from './banner'
import { css } from './styles'

export type { FormatContext } from '../../../sdk/kit/context'

/** Draws an awareness banner (hero, inline, sticky bar or popup) in the host's shadow root. */
export const mount: MountFormat = (host, decision, ctx) => {
  const root = shadowFor(host, css)
  render(<Banner decision={decision} ctx={ctx} />, root)
  return () => render(null, root)
}
