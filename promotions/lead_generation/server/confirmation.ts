import type { LeadEvent } from '../../../api/services/followup/types'
import type { LeadGenerationConfig } from '../config'

/**
 * The confirmation a lead-generation campaign sends when it has nothing more specific: the form's success
 * message, under the offer's title. The campaign's name is the marketer's, not the visitor's, so it is not used.
 * `followUp` adds the download link when there is one.
 */
export function confirmationFor(
  config: Pick<LeadGenerationConfig, 'successMessage' | 'offer'>,
): NonNullable<LeadEvent['confirmation']> {
  return { subject: config.offer?.title ?? 'Thank you', text: config.successMessage }
}
