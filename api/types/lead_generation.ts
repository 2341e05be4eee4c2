import type { LeadGenerationConfig } from '../../schema/types/lead_generation'
import type { ServerType } from './index'

/**
 * Lead forms: inline in a marked slot, or placed on the page as a popup or slide-in. What the browser gets of
 * the config leaves out what is the site's alone: how leads are scored, and the gated asset's address (it is
 * handed out as a signed, expiring link after a submit).
 */
export const leadGeneration: ServerType = {
  format: (config) => (config as Partial<LeadGenerationConfig>).display ?? 'inline',
  publicConfig: (config) => {
    const { scoring: _scoring, offer, ...rest } = config as Partial<LeadGenerationConfig>
    if (!offer) return rest
    const { assetUrl: _asset, ...shown } = offer
    return { ...rest, offer: { ...shown, gated: Boolean(offer.assetUrl) } }
  },
}
