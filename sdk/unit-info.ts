import type { Decision } from '../schema/serve'

/** What listeners of `render`, `impression`, `viewable`, `click` and `close` receive. */
export interface UnitInfo {
  campaignId: string
  variantId: string
  type: string
  format: string
  slot?: string
}

export const unitInfo = ({ campaignId, variantId, type, format, slot }: Decision): UnitInfo =>
  slot ? { campaignId, variantId, type, format, slot } : { campaignId, variantId, type, format }
