import { eq, sql } from 'drizzle-orm'
import ical, { ICalCalendarMethod } from 'ical-generator'
import { MailError } from '../../../api/ports/mail'
import type { Deps } from '../../../api/services/deps'
import { defaultMailFrom } from '../../../api/services/followup/mail'
import type { FollowUpDeps } from '../../../api/services/followup/types'
import type { Services } from '../../../api/services/index'
import { mailOutbox } from '../../../schema/db'
import type { OfferEventConfig } from '../config'
import type { MailFor, QueuedMail } from './store'
import { checkInCode, signCancel } from './token'

type EventConfig = NonNullable<OfferEventConfig['event']>

/** The mailer when one is live; mails then go out `queued` and are sent after their transaction commits. */
export function liveMailer(services: Services) {
  const mailer = (services.deps as Deps & FollowUpDeps).mailer
  return mailer && mailer.transport !== 'outbox' ? mailer : undefined
}

export const cancelUrl = (services: Services, rsvpId: string) =>
  `${services.publicUrl}/api/v1/rsvps/cancel?token=${signCancel(services.deps.signingSecret, rsvpId)}`

function where(event: EventConfig) {
  if (event.isVirtual && event.onlineUrl) return `Online: ${event.onlineUrl}`
  const venue = event.venue
  if (!venue) return undefined
  return [venue.name, venue.address, venue.city, venue.country].filter(Boolean).join(', ')
}

const utcStamp = (iso: string) =>
  new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')

/** An "add to Google Calendar" link, in UTC; an event without an end is given one hour. */
export function googleCalendarUrl(name: string, event: EventConfig): string {
  const start = Date.parse(event.startsAt)
  const end = event.endsAt ?? new Date(start + 3_600_000).toISOString()
  const params = new URLSearchParams({
    action: 'TEMPLATE',
    text: name,
    dates: `${utcStamp(event.startsAt)}/${utcStamp(end)}`,
  })
  const place = where(event)
  if (place) params.set('location', place)
  return `https://calendar.google.com/calendar/render?${params}`
}

/** The address part of a From (`Shop <hi@shop.example>` → `hi@shop.example`). */
const addressOf = (from: string) => /<([^<>\s]+@[^<>\s]+)>/.exec(from)?.[1] ?? from.trim()

export interface MailContext {
  /** The campaign's name: the event's title. */
  name: string
  /** The site's name: the event's organizer. */
  siteName: string
  event: EventConfig
}

/**
 * The event as an iCalendar file (RFC 5545) with ical-generator. METHOD:PUBLISH, not REQUEST: the mail shares the
 * event for the person's own calendar; a REQUEST is a meeting invitation, which makes clients offer
 * accept/decline and mail the answer to the organizer (here a no-reply address) and expects the person as an
 * ATTENDEE. The UID is the RSVP's, so the promotion mail's file updates the one a waitlist mail never sent, and a
 * file imported twice is one event. Times are UTC (`Z`), which every client shows in its own zone.
 */
export function eventIcs(
  services: Services,
  context: MailContext,
  rsvpId: string,
  options: { cancelLink?: string } = {},
): string {
  const { event } = context
  const deps = services.deps as Deps & FollowUpDeps
  const start = new Date(event.startsAt)
  const end = event.endsAt ? new Date(event.endsAt) : new Date(start.getTime() + 3_600_000)
  const calendar = ical({
    prodId: { company: 'Promo', product: 'Events', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
  })
  const place = where(event)
  calendar.createEvent({
    id: `${rsvpId}@${new URL(services.publicUrl).hostname}`,
    stamp: new Date(services.now()),
    start,
    end,
    summary: context.name,
    ...(place ? { location: place } : {}),
    ...(event.isVirtual && event.onlineUrl ? { url: event.onlineUrl } : {}),
    ...(options.cancelLink ? { description: `Can't make it? Cancel here: ${options.cancelLink}` } : {}),
    organizer: { name: context.siteName, email: addressOf(deps.mailFrom ?? defaultMailFrom) },
  })
  // RFC 5545 ends every content line, the last one too, with CRLF; the library leaves the last one bare.
  const text = calendar.toString()
  return text.endsWith('\r\n') ? text : `${text}\r\n`
}

/** The confirmation, waitlist, promotion and reminder mails: plain text, with time, place and cancel link. */
export function rsvpMail(services: Services, context: MailContext): MailFor {
  const { name, event } = context
  return (row, reason) => {
    const hello = row.firstName ? `Hello ${row.firstName},` : 'Hello,'
    const place = where(event)
    const details = [`When: ${event.startsAt}`, ...(place ? [`Where: ${place}`] : [])].join('\n')
    const calendar = `Add it to your calendar: ${googleCalendarUrl(name, event)}\n(or open the attached invite.ics)`
    const cancelLink = cancelUrl(services, row.id)
    const link = `Can't make it? Cancel here: ${cancelLink}`
    const code = `Your check-in code: ${checkInCode(services.deps.signingSecret, row.id)} (show it at the door)`
    const attachments = [
      {
        filename: 'invite.ics',
        contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
        content: eventIcs(services, context, row.id, { cancelLink }),
      },
    ]
    if (reason === 'reminder') {
      return {
        subject: `Tomorrow: ${name}`,
        text: `${hello}\n\nA reminder: ${name} starts within a day, and your seat is confirmed.\n\n${details}\n${code}\n\n${link}\n`,
      }
    }
    if (reason === 'promoted') {
      return {
        subject: `A seat opened up: you're confirmed for ${name}`,
        text: `${hello}\n\nA seat opened up and it is yours: you're confirmed for ${name}.\n\n${details}\n${calendar}\n${code}\n\n${link}\n`,
        attachments,
      }
    }
    if (row.status === 'waitlisted') {
      return {
        subject: `You're on the waitlist for ${name}`,
        text: `${hello}\n\n${name} is full, so you're number ${row.position} on the waitlist. We'll mail you if a seat opens up.\n\n${details}\n\n${link}\n`,
      }
    }
    return {
      subject: `You're confirmed for ${name}`,
      text: `${hello}\n\nYour seat for ${name} is confirmed.\n\n${details}\n${calendar}\n${code}\n\n${link}\n`,
      attachments,
    }
  }
}

/**
 * Sends mails written `queued` by a committed transaction: `sent`, or `failed` with the reason (free of
 * credentials). Never throws: a failure stays on the row, which the admin's outbox shows.
 */
export async function deliver(services: Services, mails: QueuedMail[]) {
  const mailer = liveMailer(services)
  if (!mailer) return
  const deps = services.deps as Deps & FollowUpDeps
  for (const mail of mails) {
    try {
      await mailer.send({
        from: deps.mailFrom ?? defaultMailFrom,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.attachments?.length ? { attachments: mail.attachments } : {}),
      })
      await services.db
        .update(mailOutbox)
        .set({
          status: 'sent',
          attempts: sql`${mailOutbox.attempts} + 1`,
          sentAt: new Date(services.now()),
        })
        .where(eq(mailOutbox.id, mail.id))
    } catch (error) {
      const reason = error instanceof MailError ? error.message : 'send failed'
      await services.db
        .update(mailOutbox)
        .set({ status: 'failed', attempts: sql`${mailOutbox.attempts} + 1`, lastError: reason })
        .where(eq(mailOutbox.id, mail.id))
        .catch(() => undefined)
      services.log.error('mail not sent', { mailId: mail.id, transport: mailer.transport })
    }
  }
}
