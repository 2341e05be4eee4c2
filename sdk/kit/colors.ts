import type { Creative } from '../../schema/campaign'

const hex = /^#(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i

/**
 * The creative's colours as CSS custom properties for Preact's object `style`, which sets them through the
 * CSSOM (allowed by a strict CSP). Anything but a hex colour is dropped, so no value can smuggle in CSS.
 */
export function creativeColors(creative: Creative): Record<string, string> {
  const style: Record<string, string> = {}
  const set = (name: string, value: string | undefined) => {
    if (value && hex.test(value)) style[name] = value
  }
  set('--promo-bg', creative.backgroundColor)
  set('--promo-fg', creative.textColor)
  set('--promo-accent', creative.accentColor)
  return style
}
