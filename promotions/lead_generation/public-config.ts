import { browserFields } from './browser-fields'
import type { LeadGenerationConfig } from './config'
import { defaultLeadTexts } from './texts'

/*
 * The form's config as the browser gets it, worked out without zod, so both the API (serve answers) and the
 * admin's preview (promotions/<type>/admin) make it the same way, and neither the SDK chunk nor the admin bundle
 * carries the schema.
 */

/**
 * What the browser gets of a saved config: everything but what is the site's alone (how leads are scored, the
 * gated asset's address, handed out as a signed, expiring link after a submit); the fields in step order with
 * their autofill hints; the form's own words (defaults for campaigns saved before they could be set).
 */
export function publicLeadConfig(config: Partial<LeadGenerationConfig>): Record<string, unknown> {
  const { scoring: _scoring, offer, ...saved } = config
  const rest = {
    ...saved,
    texts: { ...defaultLeadTexts, ...saved.texts },
    fields: browserFields(saved.fields ?? []),
  }
  if (!offer) return rest
  const { assetUrl: _asset, ...shown } = offer
  return { ...rest, offer: { ...shown, gated: Boolean(offer.assetUrl) } }
}
