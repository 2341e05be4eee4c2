import { and, eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { ApiError } from '../../../api/core/errors'
import { publicPreflight, publicSite } from '../../../api/http/auth/public'
import type { AppEnv } from '../../../api/http/env'
import { parseQuery, readBody } from '../../../api/http/request'
import type { Services } from '../../../api/services/index'
import { campaigns, rsvps, sites } from '../../../schema/db'
import { cancelQuery, cancelRequest, type ListedRsvp, type RsvpAnswer, rsvpRequest } from '../answers'
import { offerEventConfig } from '../config'
import { deliver, liveMailer, rsvpMail } from './mail'
import { cancelSeat, type MailState, type RsvpRow, takeSeat } from './store'
import { verifyCancel } from './token'

const answerOf = (row: RsvpRow): RsvpAnswer => ({
  rsvpId: row.id,
  status: row.status,
  ...(row.status === 'waitlisted' && row.position !== null ? { position: row.position } : {}),
})

const noCampaign = () =>
  new ApiError('not_found', 'No event taking RSVPs with this id on this site', [
    { path: 'campaignId', message: 'no active event taking RSVPs with this id' },
  ])

/** The campaign's event when it is an offer_event with an event that takes RSVPs; its status is checked apart. */
export async function eventOf(services: Services, where: ReturnType<typeof and>) {
  const [campaign] = await services.db
    .select({
      id: campaigns.id,
      siteId: campaigns.siteId,
      name: campaigns.name,
      status: campaigns.status,
      config: campaigns.config,
      siteName: sites.name,
    })
    .from(campaigns)
    .innerJoin(sites, eq(sites.id, campaigns.siteId))
    .where(and(eq(campaigns.type, 'offer_event'), where))
    .limit(1)
  if (!campaign) return undefined
  // Stored configs were validated when saved; parsing again fills defaults added since.
  const parsed = offerEventConfig.safeParse(campaign.config)
  if (!parsed.success) {
    services.log.error('an event’s stored config no longer validates: save it again', {
      campaignId: campaign.id,
      paths: parsed.error.issues.map((issue) => issue.path.join('.')),
    })
    throw new ApiError('unavailable', 'This event cannot take RSVPs right now')
  }
  const event = parsed.data.event
  return event ? { ...campaign, event } : undefined
}

export const mailState = (services: Services): MailState => {
  const live = liveMailer(services)
  return {
    mailStatus: live ? ('queued' as const) : ('outbox' as const),
    transport: live?.transport ?? 'outbox',
  }
}

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title><body style="font:16px system-ui;max-width:32rem;margin:3rem auto;padding:0 1rem">${body}</body></html>`

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

/**
 * The public RSVP routes: `POST /rsvps` (publishable key, CORS for the site's origins only) and the cancel link's
 * `GET`/`POST /rsvps/cancel` (the signed token is the only credential: it names one RSVP). A seat is taken, and
 * given back, inside one transaction holding the campaign's counter row (store.ts).
 */
export function rsvpRoutes(services: Services) {
  const app = new Hono<AppEnv>()

  app.options('/rsvps', (c) => publicPreflight(c, services))

  app.post('/rsvps', async (c) => {
    const body = await readBody(c, rsvpRequest, 'json-or-text')
    const site = await publicSite(c, services, body.site)
    c.header('Cache-Control', 'private, no-store')
    const found = await eventOf(
      services,
      and(eq(campaigns.id, body.campaignId), eq(campaigns.siteId, site.id)),
    )
    if (found?.status !== 'active' || !found.event.rsvp) throw noCampaign()
    const { event } = found

    const now = services.now()
    if (event.rsvpClosesAt && now >= Date.parse(event.rsvpClosesAt)) {
      throw new ApiError('rsvp_closed', 'RSVPs for this event are closed', { closesAt: event.rsvpClosesAt })
    }
    if (now >= Date.parse(event.startsAt)) {
      throw new ApiError('rsvp_closed', 'This event has started: RSVPs are closed', {
        startsAt: event.startsAt,
      })
    }

    // Only a browser served under this id holds its token; an RSVP that merely names an id stays unlinked.
    const anonymousId =
      body.anonymousId &&
      body.visitorToken &&
      services.signer.holdsVisitor(site.id, body.anonymousId, body.visitorToken)
        ? body.anonymousId
        : null
    const outcome = await takeSeat(services.db, {
      siteId: site.id,
      campaignId: found.id,
      email: body.email,
      firstName: body.firstName || null,
      anonymousId,
      capacity: event.capacity,
      waitlist: event.waitlist,
      at: new Date(now),
      ...mailState(services),
      mail: rsvpMail(services, found),
    })
    if (outcome.kind === 'full') {
      throw new ApiError('event_full', 'This event is full and keeps no waitlist', {
        capacity: event.capacity,
      })
    }
    if (outcome.kind === 'existing') return c.json(answerOf(outcome.row), 200)
    await deliver(services, [outcome.mail])
    return c.json(answerOf(outcome.row), 201)
  })

  const cancel = async (token: string) => {
    const rsvpId = verifyCancel(services.deps.signingSecret, token)
    if (!rsvpId) throw new ApiError('invalid_token', 'This cancel link is not valid')
    const found = await eventOfRsvp(services, rsvpId)
    if (!found) throw new ApiError('invalid_token', 'This cancel link is not valid')
    const outcome = await cancelSeat(services.db, {
      rsvpId,
      capacity: found.event.capacity,
      promote: services.now() < Date.parse(found.event.startsAt),
      at: new Date(services.now()),
      ...mailState(services),
      mail: rsvpMail(services, found),
    })
    if (outcome.kind === 'missing') throw new ApiError('invalid_token', 'This cancel link is not valid')
    if (outcome.kind === 'attended') {
      throw new ApiError('conflict', 'This RSVP was checked in at the event: it can no longer be cancelled')
    }
    if (outcome.kind === 'cancelled' && outcome.promoted) await deliver(services, [outcome.promoted.mail])
    return { rsvpId, status: 'cancelled' as const }
  }

  app.post('/rsvps/cancel', async (c) => {
    c.header('Cache-Control', 'no-store')
    if ((c.req.header('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
      // The landing page's button: a plain form, answered with a page.
      const form = await c.req.parseBody()
      const parsed = cancelRequest.safeParse({ token: form.token })
      if (!parsed.success) throw new ApiError('invalid_token', 'This cancel link is not valid')
      await cancel(parsed.data.token)
      return c.html(
        page('RSVP cancelled', '<h1>Your RSVP is cancelled</h1><p>Thank you for letting us know.</p>'),
      )
    }
    const body = await readBody(c, cancelRequest, 'json-or-text')
    return c.json(await cancel(body.token), 200)
  })

  // The link in the mail: a page with one button, so a mail scanner following links cancels nothing.
  app.get('/rsvps/cancel', (c) => {
    const { token } = parseQuery(c, cancelQuery)
    if (!verifyCancel(services.deps.signingSecret, token)) {
      throw new ApiError('invalid_token', 'This cancel link is not valid')
    }
    c.header('Cache-Control', 'no-store')
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
    return c.html(
      page(
        'Cancel your RSVP',
        `<h1>Cancel your RSVP?</h1><form method="post"><input type="hidden" name="token" value="${escapeHtml(token)}"><button type="submit">Cancel my RSVP</button></form>`,
      ),
    )
  })

  return app
}

/** The event of an RSVP's campaign, whatever the campaign's status (a cancel is taken while the event lasts). */
async function eventOfRsvp(services: Services, rsvpId: string) {
  const [row] = await services.db
    .select({ campaignId: rsvps.campaignId })
    .from(rsvps)
    .where(eq(rsvps.id, rsvpId))
    .limit(1)
  if (!row) return undefined
  return eventOf(services, eq(campaigns.id, row.campaignId))
}

export const listed = (row: RsvpRow): ListedRsvp => ({
  id: row.id,
  email: row.email,
  firstName: row.firstName,
  status: row.status,
  position: row.position,
  createdAt: row.createdAt.toISOString(),
  promotedAt: row.promotedAt?.toISOString() ?? null,
  cancelledAt: row.cancelledAt?.toISOString() ?? null,
  attendedAt: row.attendedAt?.toISOString() ?? null,
  remindedAt: row.remindedAt?.toISOString() ?? null,
})
