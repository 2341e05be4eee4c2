import { eq, sql } from 'drizzle-orm'
import { MailError } from '../../../api/ports/mail'
import type { Deps } from '../../../api/services/deps'
import { defaultMailFrom } from '../../../api/services/followup/mail'
import type { FollowUpDeps } from '../../../api/services/followup/types'
import type { Services } from '../../../api/services/index'
import { mailOutbox } from '../../../schema/db'
import type { OfferEventConfig } from '../config'
import type { MailFor, QueuedMail } from './store'
import { signCancel } from './token'

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

/** The confirmation, waitlist and promotion mails: plain text, with the event's time, place and cancel link. */
export function rsvpMail(services: Services, campaignName: string, event: EventConfig): MailFor {
  return (row, reason) => {
    const hello = row.firstName ? `Hello ${row.firstName},` : 'Hello,'
    const place = where(event)
    const details = [`When: ${event.startsAt}`, ...(place ? [`Where: ${place}`] : [])].join('\n')
    const calendar = `Add it to your calendar: ${googleCalendarUrl(campaignName, event)}`
    const link = `Can't make it? Cancel here: ${cancelUrl(services, row.id)}`
    if (reason === 'promoted') {
      return {
        subject: `A seat opened up: you're confirmed for ${campaignName}`,
        text: `${hello}\n\nA seat opened up and it is yours: you're confirmed for ${campaignName}.\n\n${details}\n${calendar}\n\n${link}\n`,
      }
    }
    if (row.status === 'waitlisted') {
      return {
        subject: `You're on the waitlist for ${campaignName}`,
        text: `${hello}\n\n${campaignName} is full, so you're number ${row.position} on the waitlist. We'll mail you if a seat opens up.\n\n${details}\n\n${link}\n`,
      }
    }
    return {
      subject: `You're confirmed for ${campaignName}`,
      text: `${hello}\n\nYour seat for ${campaignName} is confirmed.\n\n${details}\n${calendar}\n\n${link}\n`,
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
