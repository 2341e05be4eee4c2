import type { AdminType } from '../../../admin/promotion-type'
import { AttendeesPage } from './attendees'
import { defaultOfferEventConfig, OfferEventFields, offerEventLabels } from './editor'
import { offerEventKpis, offerEventSteps } from './kpis'
import { OfferEventPreview } from './preview'
import { offerEventTemplates } from './templates'

/** A time-limited offer with a countdown (and stock), or an event people RSVP to, in a bar, a slot or a popup. */
export const offerEventAdmin: AdminType = {
  label: 'Offers and events',
  description: 'A time-limited offer, or an event to sign up for.',
  objective: {
    title: 'Promote an offer or event',
    when: 'Use it for a time-limited offer or an event people sign up for, with a countdown.',
  },
  templates: offerEventTemplates,
  defaultConfig: defaultOfferEventConfig,
  ConfigEditor: OfferEventFields,
  configLabels: offerEventLabels,
  format: (config) => (typeof config.format === 'string' ? config.format : 'sticky_top'),
  creativeFields: ['headline', 'body', 'ctaText', 'ctaUrl', 'backgroundColor', 'textColor'],
  Preview: OfferEventPreview,
  kpis: offerEventKpis,
  steps: offerEventSteps,
  // The server adds these to every series bucket (server/kpis.ts).
  chartMetrics: [
    { key: 'rsvps', label: 'RSVPs', kind: 'count' },
    { key: 'offerRedemptions', label: 'Offer redemptions', kind: 'count' },
    { key: 'countdownCtr', label: 'Countdown CTR', kind: 'rate' },
  ],
  screens: [{ path: 'attendees', nav: 'Attendees', Screen: AttendeesPage }],
}
