import type { LeadField, LeadGenerationConfig } from '../config'

export type { LeadField }

/**
 * A field as the serve answer carries it: in step order, its step counted from 0 with no gaps, and with the
 * autofill hint the API worked out for it, if any.
 */
export type PublicLeadField = LeadField & { autocomplete?: string }

/**
 * The campaign config as the serve answer carries it: saved through the type's schema, so every default is
 * filled in, without what the API keeps to itself (scoring, the gated asset's address).
 */
export type LeadConfig = Omit<LeadGenerationConfig, 'fields'> & { fields: PublicLeadField[] }

/** Each field's starting value: empty text, a box as the API sends it (a consent box always unticked). */
export const initialValues = (fields: readonly LeadField[]) =>
  Object.fromEntries(fields.map((field) => [field.name, 'checked' in field ? field.checked : ''])) as Record<
    string,
    string | boolean
  >
