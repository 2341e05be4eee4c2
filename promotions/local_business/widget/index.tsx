import { render } from 'preact'
import type { MountFormat } from '../../../sdk/kit/context'
import { shadowFor } from '../../../sdk/kit/shadow'
import { unitCss } from '../../../sdk/kit/unit-css'
import { Locator } from './locator'
import { css } from './styles'

/** Draws a store locator (search, "use my location", the nearest stores) in its slot's shadow root. */
export const mount: MountFormat = (host, decision, ctx) => {
  const root = shadowFor(host, unitCss + css)
  render(<Locator decision={decision} ctx={ctx} />, root)
  return () => render(null, root)
}
