import type { LeadField, LeadGenerationConfig } from './config'
import { defaultLeadTexts } from './texts'

/*
 * The form's config as the browser gets it, worked out without zod, so both the API (serve answers) and the
 * admin's preview (promotions/<type>/admin) make it the same way, and neither the SDK chunk nor the admin bundle
 * carries the schema.
 */

/** What browsers may fill a field in with: by type for email and phone, else by the usual field names. */
const autofill: Record<string, string> = {
  email: 'email',
  phone: 'tel',
  name: 'name',
  full_name: 'name',
  first_name: 'given-name',
  last_name: 'family-name',
  company: 'organization',
}
const autocompleteOf = (field: LeadField) =>
  field.type === 'email' || field.type === 'phone'
    ? autofill[field.type]
    : field.type === 'text'
      ? autofill[field.name]
      : undefined

/**
 * The fields as the form draws them: in step order, the steps numbered 0, 1, 2… (as `stepTitles` counts them),
 * each with its autofill hint, a consent box unticked.
 */
function browserFields(fields: readonly LeadField[]) {
  const steps = [...new Set(fields.map((field) => field.step))].sort((a, b) => a - b)
  return fields
    .map((field) => {
      const autocomplete = autocompleteOf(field)
      return {
        ...field,
        step: steps.indexOf(field.step),
        ...(autocomplete ? { autocomplete } : {}),
        // Consent is never ticked in advance, whatever was saved.
        ...(field.type === 'consent' ? { checked: false } : {}),
      }
    })
    .sort((a, b) => a.step - b.step)
}

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
