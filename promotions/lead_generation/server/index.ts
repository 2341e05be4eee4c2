import { siteInBody } from '../../../api/http/limits'
import type { ServerType } from '../../../api/promotion'
import { followUp } from '../../../api/services/followup/index'
import { browserFields } from '../browser-fields'
import { defaultLeadTexts, type LeadGenerationConfig } from '../config'
import { leadAdminRoutes } from './admin'
import { leadGenerationDemo } from './demo'
import { leadGenerationDocs } from './docs'
import { leadSubmitRoutes } from './submit'

/**
 * Lead forms: inline in a marked slot, or placed on the page as a popup or slide-in. What the browser gets of
 * the config leaves out what is the site's alone: how leads are scored, and the gated asset's address (it is
 * handed out as a signed, expiring link after a submit). The fields come in step order with their autofill
 * hints, worked out here rather than in the form's chunk, and the form's own words (defaults for campaigns
 * saved before they could be set).
 */
export const leadGeneration: ServerType = {
  docs: leadGenerationDocs,
  format: (config) => (config as Partial<LeadGenerationConfig>).display ?? 'inline',
  visitorProof: true,
  // POST /leads is public; GET /leads and below are the admin's, behind the admin guard.
  routes: (services) => leadSubmitRoutes(services, { followUp: (event) => followUp(services, event) }),
  adminRoutes: { '/leads': leadAdminRoutes },
  limits: [{ method: 'POST', path: '/api/v1/leads', limits: 'leads', site: siteInBody }],
  demo: leadGenerationDemo,
  publicConfig: (config) => {
    const { scoring: _scoring, offer, ...saved } = config as Partial<LeadGenerationConfig>
    const rest = {
      ...saved,
      // Campaigns saved before the form's words could be set get the defaults.
      texts: { ...defaultLeadTexts, ...saved.texts },
      fields: browserFields(saved.fields ?? []),
    }
    if (!offer) return rest
    const { assetUrl: _asset, ...shown } = offer
    return { ...rest, offer: { ...shown, gated: Boolean(offer.assetUrl) } }
  },
}
