import { plain } from '../../../admin/plain-types'

export const offerEventAdmin = plain(
  'Offers and events',
  'A time-limited offer, or an event to sign up for.',
  ['rsvps', 'conversions', 'revenue', 'aov', 'roas', 'cpa'],
)
