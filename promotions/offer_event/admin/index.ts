import { plain } from '../../../admin/plain-types'
import { AttendeesPage } from './attendees'
import { offerEventTemplates } from './templates'

export const offerEventAdmin = {
  ...plain(
    'Offers and events',
    'A time-limited offer, or an event to sign up for.',
    {
      title: 'Promote an offer or event',
      when: 'Use it for a time-limited offer or an event people sign up for, with a countdown.',
    },
    ['rsvps', 'conversions', 'revenue', 'aov', 'roas', 'cpa'],
    { templates: offerEventTemplates },
  ),
  screens: [{ path: 'attendees', nav: 'Attendees', Screen: AttendeesPage }],
}
