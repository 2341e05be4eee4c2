import { and, asc, eq, gt, inArray, or } from 'drizzle-orm'
import { type Context, Hono } from 'hono'
import { toCsv } from '../../../api/core/csv'
import { ApiError } from '../../../api/core/errors'
import { sitesInScope } from '../../../api/http/auth/admin'
import type { AppEnv } from '../../../api/http/env'
import { parseQuery, pathId, readBody } from '../../../api/http/request'
import { encodeCursor } from '../../../api/services/cursor'
import type { Services } from '../../../api/services/index'
import { campaigns, rsvps } from '../../../schema/db'
import { checkInRequest, type RsvpActionAnswer, rsvpExportQuery, rsvpQuery } from '../answers'
import { deliver, rsvpMail } from './mail'
import { eventOf, listed, mailState } from './routes'
import { cancelSeat, checkIn, listRsvps, promoteSeat, type RsvpRow, rsvpCounts, rsvpIdsOf } from './store'
import { checkInCode, normalizeCheckInCode } from './token'

const notFound = () => new ApiError('not_found', 'Campaign not found')
const noRsvp = () =>
  new ApiError('not_found', 'No RSVP with this id for this event', [
    { path: 'rsvpId', message: 'no RSVP with this id for this event' },
  ])

const exportPage = 5_000

/**
 * An event's RSVPs for the admin, mounted at `/campaigns/:id/rsvps` behind the admin guard (writes need the
 * `write` capability there, api/core/roles.ts): the list with counts, the CSV, check-in (by RSVP or by the
 * attendee's code), and the manual promote and cancel, which take the campaign's counter row lock like the
 * public routes. A campaign of a site outside the principal's scope, or of another type, is a 404.
 */
export function rsvpAdminRoutes(services: Services) {
  const app = new Hono<AppEnv>()

  /** The event campaign named by the path, when it is an offer_event of a site in the principal's scope. */
  const eventFor = async (c: Context<AppEnv>) => {
    const id = pathId(c)
    const siteIds = sitesInScope(c.get('principal'), undefined)
    if (siteIds.length === 0) throw notFound()
    const found = await eventOf(services, and(eq(campaigns.id, id), inArray(campaigns.siteId, siteIds)))
    if (!found) throw notFound()
    return found
  }

  app.get('/', async (c) => {
    const found = await eventFor(c)
    const query = parseQuery(c, rsvpQuery)
    const [rows, counts] = await Promise.all([
      listRsvps(services.db, found.id, {
        status: query.status,
        cursor: query.cursor,
        limit: query.limit + 1,
      }),
      rsvpCounts(services.db, found.id),
    ])
    const shown = rows.slice(0, query.limit)
    const last = shown[shown.length - 1]
    return c.json({
      data: shown.map(listed),
      counts,
      nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    })
  })

  // Every RSVP, oldest first, a page of rows at a time; cells safe to open in a spreadsheet (api/core/csv.ts).
  app.get('/export.csv', async (c) => {
    const found = await eventFor(c)
    const query = parseQuery(c, rsvpExportQuery)
    const rows: RsvpRow[] = []
    let after: RsvpRow | undefined
    for (;;) {
      const batch = await services.db
        .select()
        .from(rsvps)
        .where(
          and(
            eq(rsvps.campaignId, found.id),
            query.status ? eq(rsvps.status, query.status) : undefined,
            after
              ? or(
                  gt(rsvps.createdAt, after.createdAt),
                  and(eq(rsvps.createdAt, after.createdAt), gt(rsvps.id, after.id)),
                )
              : undefined,
          ),
        )
        .orderBy(asc(rsvps.createdAt), asc(rsvps.id))
        .limit(exportPage)
      rows.push(...batch)
      after = batch[batch.length - 1]
      if (batch.length < exportPage) break
    }
    const iso = (date: Date | null) => date?.toISOString() ?? ''
    const csv = toCsv(
      [
        'email',
        'first_name',
        'status',
        'waitlist_position',
        'rsvp_at',
        'promoted_at',
        'cancelled_at',
        'attended_at',
        'check_in_code',
      ],
      rows.map((row) => [
        row.email,
        row.firstName,
        row.status,
        row.position,
        iso(row.createdAt),
        iso(row.promotedAt),
        iso(row.cancelledAt),
        iso(row.attendedAt),
        row.status === 'confirmed' || row.status === 'attended'
          ? checkInCode(services.deps.signingSecret, row.id)
          : '',
      ]),
    )
    const day = new Date(services.now()).toISOString().slice(0, 10)
    return c.body(csv, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="rsvps-${day}.csv"`,
    })
  })

  const checkedIn = (outcome: Awaited<ReturnType<typeof checkIn>>): RsvpActionAnswer => {
    if (outcome.kind === 'missing') throw noRsvp()
    if (outcome.kind === 'not_confirmed') {
      throw new ApiError(
        'conflict',
        `Only a confirmed RSVP can check in; this one is ${outcome.row.status}`,
        {
          status: outcome.row.status,
        },
      )
    }
    return { rsvp: listed(outcome.row), alreadyCheckedIn: outcome.already }
  }

  // The attendee's code, typed or scanned at the door.
  app.post('/check-in', async (c) => {
    const found = await eventFor(c)
    const body = await readBody(c, checkInRequest)
    const code = normalizeCheckInCode(body.code)
    const wrong = () =>
      new ApiError('not_found', 'No RSVP of this event has this code', [
        { path: 'code', message: 'no RSVP of this event has this code' },
      ])
    if (!code) throw wrong()
    const secret = services.deps.signingSecret
    const rsvpId = (await rsvpIdsOf(services.db, found.id)).find((id) => checkInCode(secret, id) === code)
    if (!rsvpId) throw wrong()
    const outcome = await checkIn(services.db, {
      campaignId: found.id,
      rsvpId,
      at: new Date(services.now()),
    })
    return c.json(checkedIn(outcome), 200)
  })

  app.post('/:rsvpId/check-in', async (c) => {
    const found = await eventFor(c)
    const rsvpId = pathId(c, 'rsvpId')
    const outcome = await checkIn(services.db, {
      campaignId: found.id,
      rsvpId,
      at: new Date(services.now()),
    })
    return c.json(checkedIn(outcome), 200)
  })

  // A waitlisted person given a free seat; with none free, 409 `event_full` (raise the capacity first).
  app.post('/:rsvpId/promote', async (c) => {
    const found = await eventFor(c)
    const rsvpId = pathId(c, 'rsvpId')
    const outcome = await promoteSeat(services.db, {
      campaignId: found.id,
      rsvpId,
      capacity: found.event.capacity,
      at: new Date(services.now()),
      ...mailState(services),
      mail: rsvpMail(services, found),
    })
    if (outcome.kind === 'missing') throw noRsvp()
    if (outcome.kind === 'full') {
      throw new ApiError('event_full', 'No seat is free: raise the event’s capacity first', {
        capacity: found.event.capacity,
      })
    }
    if (outcome.kind === 'not_waitlisted') {
      throw new ApiError(
        'conflict',
        `Only a waitlisted RSVP can be promoted; this one is ${outcome.row.status}`,
        {
          status: outcome.row.status,
        },
      )
    }
    await deliver(services, [outcome.mail])
    return c.json({ rsvp: listed(outcome.row) } satisfies RsvpActionAnswer, 200)
  })

  // As the cancel link does: a confirmed seat freed before the start goes to the first waitlisted person.
  app.post('/:rsvpId/cancel', async (c) => {
    const found = await eventFor(c)
    const rsvpId = pathId(c, 'rsvpId')
    const outcome = await cancelSeat(services.db, {
      rsvpId,
      campaignId: found.id,
      capacity: found.event.capacity,
      promote: services.now() < Date.parse(found.event.startsAt),
      at: new Date(services.now()),
      ...mailState(services),
      mail: rsvpMail(services, found),
    })
    if (outcome.kind === 'missing') throw noRsvp()
    if (outcome.kind === 'attended') {
      throw new ApiError('conflict', 'This RSVP was checked in at the event: it can no longer be cancelled', {
        status: 'attended',
      })
    }
    if (outcome.kind === 'cancelled' && outcome.promoted) await deliver(services, [outcome.promoted.mail])
    const promoted = outcome.kind === 'cancelled' ? outcome.promoted?.row : undefined
    return c.json(
      { rsvp: listed(outcome.row), promoted: promoted ? listed(promoted) : null } satisfies RsvpActionAnswer,
      200,
    )
  })

  return app
}
