/**
 * The form's own words, for sites in other languages: `step` shows `{n}` of `{total}`; `download` precedes the
 * offer's title. Free of zod, so the admin's preview fills them in as the API does.
 */
export const defaultLeadTexts = {
  next: 'Next',
  back: 'Back',
  step: 'Step {n} of {total}',
  choose: 'Choose…',
  download: 'Download',
  privacy: 'Privacy policy',
  retry: 'Sorry, that did not go through. Please try again in a moment.',
}
export type LeadTexts = typeof defaultLeadTexts
