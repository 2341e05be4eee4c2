import type { FormatContext } from '../../../sdk/kit/context'
import { httpUrl } from '../../../sdk/kit/http-url'
import type { OfferEventConfig } from '../config'
import { RsvpForm } from './rsvp-form'
import type { FormatTime } from './time'
import { eventTime, otherZone } from './zones'

type EventConfig = NonNullable<OfferEventConfig['event']>

interface EventCardProps {
  event: EventConfig
  campaignId: string
  visitorToken?: string | undefined
  seatsLeft?: number | undefined
  ctx: FormatContext
  /** The unit's time formatter (time.ts), handed in so this chunk shares no module with the unit's. */
  format: FormatTime
}

/** A time in the event's zone and, when the visitor's differs, in theirs too. */
function When({ iso, format }: { iso: string; format: FormatTime }) {
  return (
    <>
      <time dateTime={iso}>{eventTime(iso, format)}</time>
      {otherZone(iso) && <span class="yours"> (your time: {format(Date.parse(iso))})</span>}
    </>
  )
}

/**
 * The event: when (in its own zone and the visitor's), where (the venue, or the online link), the seats left or
 * the waitlist, and the RSVP form while RSVPs are open.
 */
export function EventCard({ event, campaignId, visitorToken, seatsLeft, ctx, format }: EventCardProps) {
  const { venue } = event
  const online = httpUrl(event.onlineUrl)
  const now = Date.now()
  const closed =
    now >= Date.parse(event.startsAt) || (event.rsvpClosesAt && now >= Date.parse(event.rsvpClosesAt))
  const full = seatsLeft === 0
  let seats = ''
  if (seatsLeft !== undefined)
    seats = full
      ? event.waitlist
        ? 'Full: join the waitlist.'
        : 'This event is full.'
      : `${seatsLeft} seats left`
  return (
    <div class="event">
      <p class="when">
        <When iso={event.startsAt} format={format} />
        {event.endsAt && (
          <>
            {' – '}
            <When iso={event.endsAt} format={format} />
          </>
        )}
      </p>
      {venue && (
        <p class="where" dir="auto">
          {[venue.name, venue.address, venue.city].filter(Boolean).join(', ')}
        </p>
      )}
      {online && (
        <p class="where">
          <a href={online} rel="noopener" target="_blank">
            Join online
          </a>
        </p>
      )}
      {seats && <p class="seats">{seats}</p>}
      {event.rsvp &&
        (closed ? (
          <p class="done">RSVPs for this event are closed.</p>
        ) : (
          (!full || event.waitlist) && (
            <RsvpForm campaignId={campaignId} visitorToken={visitorToken} ctx={ctx} waitlist={full} />
          )
        ))}
    </div>
  )
}
