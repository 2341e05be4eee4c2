import type { LeadField, LeadGenerationConfig } from '../../../schema/types/lead_generation'

export type { LeadField }

/**
 * The campaign config as the serve answer carries it: saved through the type's schema, so every default is
 * filled in. `captchaSiteKey` (the Turnstile site key) is not in the schema yet; the form uses it once it is.
 */
export type LeadConfig = LeadGenerationConfig & { captchaSiteKey?: string }

/** Each field's starting value: empty text, unticked consent (never assumed), a checkbox as configured. */
export function initialValues(fields: readonly LeadField[]): Record<string, string | boolean> {
  const values: Record<string, string | boolean> = {}
  for (const field of fields)
    values[field.name] = field.type === 'checkbox' ? field.checked : field.type === 'consent' ? false : ''
  return values
}
