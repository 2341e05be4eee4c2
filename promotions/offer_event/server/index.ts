import { siteInBody } from '../../../api/http/limits'
import type { ServerType } from '../../../api/promotion'
import type { OfferEventConfig } from '../config'
import { rsvpAdminRoutes } from './admin'
import { offerEventDocs } from './docs'
import { offerEventAnalytics } from './kpis'
import { offerEventPersonalData } from './personal-data'
import { rsvpReminders } from './reminders'
import { rsvpRoutes } from './routes'
import { OfferServing } from './serving'

/**
 * Offers and events: countdown and flash-sale bars and event cards, in the banner format the config names.
 * Serving stops a unit whose countdown is over or whose stock is gone, and adds an evergreen countdown's
 * `deadline` and a flash sale's `remaining` to the decision (serving.ts). Its routes are the RSVP: `POST /rsvps`
 * and the cancel link (public), and an event's RSVP list for the admin.
 */
export const offerEvent: ServerType = {
  format: (config) => (config as Partial<OfferEventConfig>).format ?? 'sticky_top',
  filler: (services) => {
    const serving = new OfferServing(services)
    return {
      eligible: (siteId, campaigns) => serving.eligible(siteId, campaigns),
      wanted: (choices) => serving.wanted(choices),
      fill: (siteId, choices, visitor, now, trace) => serving.fill(siteId, choices, visitor, now, trace),
    }
  },
  visitorProof: true,
  routes: rsvpRoutes,
  adminRoutes: { '/campaigns/:id/rsvps': rsvpAdminRoutes },
  docs: offerEventDocs,
  // One RSVP a person, like a lead form's submit: the same limits (PROMO_RATE_LEADS_*).
  limits: [{ method: 'POST', path: '/api/v1/rsvps', limits: 'leads', site: siteInBody }],
  analytics: offerEventAnalytics,
  personalData: offerEventPersonalData,
  jobs: [rsvpReminders],
}
