import { Preview } from '../../../admin/preview'
import type { Decision } from '../../../schema/serve'
import type { OfferEventDecision } from '../decision'
import { mount } from '../widget'
import { withDefaults } from './editor'

/**
 * The unit as visitors see it: the offer widget itself in the admin's mock page, its countdown ticking (an
 * evergreen one from now), an event's seats all free, and an RSVP form that sends nothing.
 */
export function OfferEventPreview({ decision }: { decision: Decision }) {
  const config = withDefaults(decision.config)
  const event = config.event as { capacity?: number } | undefined
  const shown: OfferEventDecision = { ...decision, config }
  if (event?.capacity) shown.seatsLeft = event.capacity
  return <Preview decision={shown} mount={mount} />
}
