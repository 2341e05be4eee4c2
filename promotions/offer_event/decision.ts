import type { Decision } from '../../schema/serve'

/**
 * What an offer_event decision carries beyond the generic decision, filled on the server after the engine chose
 * the campaign (server/serving.ts) and read by the widget. Plain types, so the widget chunk pays nothing for them.
 */
export type OfferEventDecision = Decision & {
  /** An evergreen countdown's end for this visitor (ISO 8601): their first view plus the config's hours. */
  deadline?: string
  /** A flash sale's units left: its stock less the live redemptions of its promo code (above 0 when served). */
  remaining?: number
  /** An event's seats not yet confirmed (0: full, so RSVPs join the waitlist or are refused). */
  seatsLeft?: number
}
