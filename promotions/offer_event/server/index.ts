import { siteInBody } from '../../../api/http/limits'
import type { ServerType } from '../../../api/promotion'
import type { OfferEventConfig } from '../config'
import { rsvpAdminRoutes } from './admin'
import { offerEventDocs } from './docs'
import { offerEventPersonalData } from './personal-data'
import { rsvpReminders } from './reminders'
import { rsvpRoutes } from './routes'

/**
 * Offers and events: countdown bars and event cards. So far its server part is the RSVP: `POST /rsvps` and the
 * cancel link (public), and an event's RSVP list for the admin. It is not in api/promotions.ts yet (no widget
 * serves it); tests mount it with `createApp(deps, { ...serverTypes, offer_event: offerEvent })`.
 */
export const offerEvent: ServerType = {
  format: (config) => (config as Partial<OfferEventConfig>).format ?? 'sticky_top',
  visitorProof: true,
  routes: rsvpRoutes,
  adminRoutes: { '/campaigns/:id/rsvps': rsvpAdminRoutes },
  docs: offerEventDocs,
  // One RSVP a person, like a lead form's submit: the same limits (PROMO_RATE_LEADS_*).
  limits: [{ method: 'POST', path: '/api/v1/rsvps', limits: 'leads', site: siteInBody }],
  personalData: offerEventPersonalData,
  jobs: [rsvpReminders],
}
