import type { FormatContext } from '../../../sdk/kit/context'
import { httpUrl } from '../../../sdk/kit/http-url'
import type { OfferEventConfig } from '../config'
import { RsvpForm } from './rsvp-form'
import { eventTime, otherZone, visitorTime } from './time'

type EventConfig = NonNullable<OfferEventConfig['event']>

interface EventCardProps {
  event: EventConfig
  campaignId: string
  visitorToken?: string | undefined
  seatsLeft?: number | undefined
  ctx: FormatContext
}

/** A time in the event's zone and, when the visitor's differs, in theirs too. */
function When({ iso }: { iso: string }) {
  return (
    <>
      <time dateTime={iso}>{eventTime(iso)}</time>
      {otherZone(iso) && <span class="yours"> (your time: {visitorTime(Date.parse(iso))})</span>}
    </>
  )
}

/**
 * The event: when (in its own zone and the visitor's), where (the venue, or the online link), the seats left or
 * the waitlist, and the RSVP form while RSVPs are open.
 */
export function EventCard({ event, campaignId, visitorToken, seatsLeft, ctx }: EventCardProps) {
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
        <When iso={event.startsAt} />
        {event.endsAt && (
          <>
            {' – '}
            <When iso={event.endsAt} />
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
