import type { LeadField } from './config'

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
export function browserFields(fields: readonly LeadField[]) {
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
