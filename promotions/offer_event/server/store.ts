import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm'
import type { Db } from '../../../api/ports/database'
import { checkAttachments, type MailAttachment } from '../../../api/ports/mail'
import { olderThan } from '../../../api/services/cursor'
import { campaigns, mailOutbox, rsvpCounters, rsvps, sites } from '../../../schema/db'

export type RsvpRow = typeof rsvps.$inferSelect
export type RsvpStatus = RsvpRow['status']

/** A mail written to the outbox inside the seat's transaction, sent (when a mailer is live) after the commit. */
export interface QueuedMail extends MailContent {
  id: string
  to: string
}

export interface MailContent {
  subject: string
  text: string
  attachments?: MailAttachment[]
}

/** What a mail says, made once the row it is about is known (its cancel link names the RSVP). */
export type MailFor = (row: RsvpRow, reason: 'rsvp' | 'promoted' | 'reminder') => MailContent

/** How the mails a seat change writes leave: `queued` for a live mailer after the commit, else `outbox`. */
export interface MailState {
  mailStatus: 'queued' | 'outbox'
  transport: 'outbox' | 'smtp' | 'http'
}

export interface SeatRequest {
  siteId: string
  campaignId: string
  email: string
  firstName: string | null
  anonymousId: string | null
  /** Undefined: no limit. */
  capacity: number | undefined
  waitlist: boolean
  at: Date
  /** 'queued' when a mailer will send it after the commit, 'outbox' when it stays there for the admin. */
  mailStatus: 'queued' | 'outbox'
  transport: 'outbox' | 'smtp' | 'http'
  mail: MailFor
}

export type SeatOutcome =
  | { kind: 'existing'; row: RsvpRow }
  | { kind: 'created'; row: RsvpRow; mail: QueuedMail }
  | { kind: 'full' }

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

/** Takes the campaign's counter row lock: every seat change of the campaign waits here, one at a time. */
async function lockCounter(tx: Tx, campaignId: string) {
  await tx.insert(rsvpCounters).values({ campaignId }).onConflictDoNothing()
  const [counter] = await tx
    .select()
    .from(rsvpCounters)
    .where(eq(rsvpCounters.campaignId, campaignId))
    .for('update')
  return counter!
}

async function queueMail(
  tx: Tx,
  request: MailState & { siteId: string; at: Date },
  to: string,
  content: MailContent,
): Promise<QueuedMail> {
  checkAttachments(content.attachments)
  const [row] = await tx
    .insert(mailOutbox)
    .values({
      siteId: request.siteId,
      to,
      subject: content.subject,
      text: content.text,
      attachments: content.attachments?.length ? content.attachments : null,
      status: request.mailStatus,
      transport: request.transport,
      createdAt: request.at,
    })
    .returning({ id: mailOutbox.id })
  return { id: row!.id, to, ...content }
}

const byEmail = (campaignId: string, email: string) =>
  and(eq(rsvps.campaignId, campaignId), eq(rsvps.email, email))

/**
 * An RSVP: the person's existing one when they have one, else a confirmed seat while any is left, else the next
 * waitlist position (or `full` without a waitlist). The counter row is locked first, so seats are counted and
 * positions handed out in commit order; the unique (campaign, email) index backs the same-email answer. The
 * confirmation mail is written to the outbox in the same transaction: one per RSVP, never lost, never doubled.
 */
export async function takeSeat(db: Db, request: SeatRequest): Promise<SeatOutcome> {
  // Most repeats need no lock at all.
  const [known] = await db.select().from(rsvps).where(byEmail(request.campaignId, request.email)).limit(1)
  if (known && known.status !== 'cancelled') return { kind: 'existing', row: known }

  return db.transaction(async (tx): Promise<SeatOutcome> => {
    const counter = await lockCounter(tx, request.campaignId)
    const [existing] = await tx
      .select()
      .from(rsvps)
      .where(byEmail(request.campaignId, request.email))
      .limit(1)
    if (existing && existing.status !== 'cancelled') return { kind: 'existing', row: existing }

    const seat = request.capacity === undefined || counter.confirmed < request.capacity
    if (!seat && !request.waitlist) return { kind: 'full' }
    const position = seat ? null : counter.lastPosition + 1
    await tx
      .update(rsvpCounters)
      .set(
        seat
          ? { confirmed: sql`${rsvpCounters.confirmed} + 1` }
          : { lastPosition: sql`${rsvpCounters.lastPosition} + 1` },
      )
      .where(eq(rsvpCounters.campaignId, request.campaignId))

    const values = {
      status: seat ? ('confirmed' as const) : ('waitlisted' as const),
      position,
      firstName: request.firstName,
      anonymousId: request.anonymousId,
      createdAt: request.at,
      promotedAt: null,
      cancelledAt: null,
      attendedAt: null,
      remindedAt: null,
    }
    // A cancelled RSVP made again keeps its id (the cancel link it was mailed stays the person's).
    const [row] = existing
      ? await tx.update(rsvps).set(values).where(eq(rsvps.id, existing.id)).returning()
      : await tx
          .insert(rsvps)
          .values({ ...values, siteId: request.siteId, campaignId: request.campaignId, email: request.email })
          .returning()
    const mail = await queueMail(tx, request, row!.email, request.mail(row!, 'rsvp'))
    return { kind: 'created', row: row!, mail }
  })
}

export interface CancelRequest {
  rsvpId: string
  /** The admin's cancel names the campaign too: an RSVP of another campaign is then missing. */
  campaignId?: string
  capacity: number | undefined
  /** False once the event has started: a seat freed then goes to nobody. */
  promote: boolean
  at: Date
  mailStatus: 'queued' | 'outbox'
  transport: 'outbox' | 'smtp' | 'http'
  mail: MailFor
}

export type CancelOutcome =
  | { kind: 'missing' }
  | { kind: 'already'; row: RsvpRow }
  /** A checked-in RSVP stays: the person came. */
  | { kind: 'attended'; row: RsvpRow }
  | { kind: 'cancelled'; row: RsvpRow; promoted?: { row: RsvpRow; mail: QueuedMail } }

/**
 * Cancels an RSVP. A confirmed seat freed goes, in the same transaction, to the first waitlisted person (lowest
 * position), whose mail is written to the outbox there too: a cancel sent twice finds the row cancelled and
 * promotes nobody again.
 */
export async function cancelSeat(db: Db, request: CancelRequest): Promise<CancelOutcome> {
  const [found] = await db
    .select({ campaignId: rsvps.campaignId })
    .from(rsvps)
    .where(eq(rsvps.id, request.rsvpId))
    .limit(1)
  if (!found || (request.campaignId && found.campaignId !== request.campaignId)) return { kind: 'missing' }

  return db.transaction(async (tx): Promise<CancelOutcome> => {
    const counter = await lockCounter(tx, found.campaignId)
    const [row] = await tx.select().from(rsvps).where(eq(rsvps.id, request.rsvpId)).limit(1)
    if (!row) return { kind: 'missing' }
    if (row.status === 'cancelled') return { kind: 'already', row }
    if (row.status === 'attended') return { kind: 'attended', row }

    const [cancelled] = await tx
      .update(rsvps)
      .set({ status: 'cancelled', cancelledAt: request.at })
      .where(eq(rsvps.id, row.id))
      .returning()
    if (row.status !== 'confirmed') return { kind: 'cancelled', row: cancelled! }

    let confirmed = counter.confirmed - 1
    let promoted: { row: RsvpRow; mail: QueuedMail } | undefined
    // A capacity lowered since may leave no seat to give.
    if (request.promote && (request.capacity === undefined || confirmed < request.capacity)) {
      const [next] = await tx
        .select()
        .from(rsvps)
        .where(and(eq(rsvps.campaignId, row.campaignId), eq(rsvps.status, 'waitlisted')))
        .orderBy(asc(rsvps.position))
        .limit(1)
      if (next) {
        promoted = await confirmWaitlisted(tx, next, request)
        confirmed += 1
      }
    }
    await tx.update(rsvpCounters).set({ confirmed }).where(eq(rsvpCounters.campaignId, row.campaignId))
    return { kind: 'cancelled', row: cancelled!, ...(promoted ? { promoted } : {}) }
  })
}

/** A waitlisted RSVP given a seat, under the counter lock its caller holds; its mail written to the outbox. */
async function confirmWaitlisted(
  tx: Tx,
  next: RsvpRow,
  request: MailState & { at: Date; mail: MailFor },
): Promise<{ row: RsvpRow; mail: QueuedMail }> {
  const [up] = await tx
    .update(rsvps)
    .set({ status: 'confirmed', promotedAt: request.at })
    .where(eq(rsvps.id, next.id))
    .returning()
  const mail = await queueMail(
    tx,
    { siteId: up!.siteId, mailStatus: request.mailStatus, transport: request.transport, at: request.at },
    up!.email,
    request.mail(up!, 'promoted'),
  )
  return { row: up!, mail }
}

export interface PromoteRequest extends MailState {
  campaignId: string
  rsvpId: string
  capacity: number | undefined
  at: Date
  mail: MailFor
}

export type PromoteOutcome =
  | { kind: 'missing' }
  /** Not waitlisted (any more): nothing changed. */
  | { kind: 'not_waitlisted'; row: RsvpRow }
  | { kind: 'full' }
  | { kind: 'promoted'; row: RsvpRow; mail: QueuedMail }

/**
 * The admin gives a waitlisted person a free seat, out of the waitlist's order. Under the counter row lock like
 * every seat change: with no seat free it is `full` (the admin raises the capacity first), so confirmed seats
 * never pass capacity.
 */
export async function promoteSeat(db: Db, request: PromoteRequest): Promise<PromoteOutcome> {
  return db.transaction(async (tx): Promise<PromoteOutcome> => {
    const counter = await lockCounter(tx, request.campaignId)
    const [row] = await tx
      .select()
      .from(rsvps)
      .where(and(eq(rsvps.id, request.rsvpId), eq(rsvps.campaignId, request.campaignId)))
      .limit(1)
    if (!row) return { kind: 'missing' }
    if (row.status !== 'waitlisted') return { kind: 'not_waitlisted', row }
    if (request.capacity !== undefined && counter.confirmed >= request.capacity) return { kind: 'full' }
    const promoted = await confirmWaitlisted(tx, row, request)
    await tx
      .update(rsvpCounters)
      .set({ confirmed: sql`${rsvpCounters.confirmed} + 1` })
      .where(eq(rsvpCounters.campaignId, request.campaignId))
    return { kind: 'promoted', ...promoted }
  })
}

export type CheckInOutcome =
  | { kind: 'missing' }
  | { kind: 'not_confirmed'; row: RsvpRow }
  | { kind: 'attended'; row: RsvpRow; already: boolean }

/**
 * Checks a confirmed RSVP in: `attended` with the time. Twice answers the first check-in again. Under the counter
 * lock, so a cancel racing it sees one or the other, never a check-in it then overwrites.
 */
export async function checkIn(
  db: Db,
  request: { campaignId: string; rsvpId: string; at: Date },
): Promise<CheckInOutcome> {
  return db.transaction(async (tx): Promise<CheckInOutcome> => {
    await lockCounter(tx, request.campaignId)
    const [row] = await tx
      .select()
      .from(rsvps)
      .where(and(eq(rsvps.id, request.rsvpId), eq(rsvps.campaignId, request.campaignId)))
      .limit(1)
    if (!row) return { kind: 'missing' }
    if (row.status === 'attended') return { kind: 'attended', row, already: true }
    if (row.status !== 'confirmed') return { kind: 'not_confirmed', row }
    const [attended] = await tx
      .update(rsvps)
      .set({ status: 'attended', attendedAt: request.at })
      .where(eq(rsvps.id, row.id))
      .returning()
    return { kind: 'attended', row: attended!, already: false }
  })
}

/** The RSVP ids of a campaign that a check-in code may name (every status: a wrong one is told why). */
export async function rsvpIdsOf(db: Db, campaignId: string): Promise<string[]> {
  const rows = await db.select({ id: rsvps.id }).from(rsvps).where(eq(rsvps.campaignId, campaignId))
  return rows.map((row) => row.id)
}

/**
 * Confirmed RSVPs whose event starts within `windowMs` from `now` and who have had no reminder, oldest event
 * first. An RSVP whose seat became theirs (made, or promoted) less than `windowMs` before the start is left out:
 * the mail it got then is its reminder. Draft and archived campaigns remind nobody.
 */
export async function dueReminders(db: Db, now: Date, windowMs: number, limit: number) {
  const startsAt = sql`(${campaigns.config} -> 'event' ->> 'startsAt')::timestamptz`
  const windowEnd = new Date(now.getTime() + windowMs)
  return db
    .select({
      rsvp: rsvps,
      campaign: { id: campaigns.id, name: campaigns.name, config: campaigns.config, siteName: sites.name },
    })
    .from(rsvps)
    .innerJoin(campaigns, eq(campaigns.id, rsvps.campaignId))
    .innerJoin(sites, eq(sites.id, campaigns.siteId))
    .where(
      and(
        eq(campaigns.type, 'offer_event'),
        inArray(campaigns.status, ['active', 'paused', 'completed']),
        sql`${campaigns.config} -> 'event' ->> 'startsAt' is not null`,
        sql`${startsAt} > ${now.toISOString()}::timestamptz`,
        sql`${startsAt} <= ${windowEnd.toISOString()}::timestamptz`,
        eq(rsvps.status, 'confirmed'),
        isNull(rsvps.remindedAt),
        sql`coalesce(${rsvps.promotedAt}, ${rsvps.createdAt}) <= ${startsAt} - make_interval(secs => ${windowMs / 1000})`,
      ),
    )
    .orderBy(asc(startsAt), asc(rsvps.id))
    .limit(limit)
}

/**
 * Marks the RSVP reminded and writes its reminder to the outbox, in one transaction: the mark is the durable
 * "once", so a second run, another process or a restart finds it set and writes nothing. An RSVP cancelled or
 * checked in since it was picked is skipped.
 */
export async function queueReminder(
  db: Db,
  rsvp: RsvpRow,
  request: MailState & { at: Date; mail: MailFor },
): Promise<QueuedMail | undefined> {
  return db.transaction(async (tx) => {
    const [marked] = await tx
      .update(rsvps)
      .set({ remindedAt: request.at })
      .where(and(eq(rsvps.id, rsvp.id), eq(rsvps.status, 'confirmed'), isNull(rsvps.remindedAt)))
      .returning()
    if (!marked) return undefined
    return queueMail(
      tx,
      { siteId: marked.siteId, mailStatus: request.mailStatus, transport: request.transport, at: request.at },
      marked.email,
      request.mail(marked, 'reminder'),
    )
  })
}

/** A campaign's RSVPs for the admin, newest first, by (createdAt, id) cursor. */
export function listRsvps(
  db: Db,
  campaignId: string,
  options: { status?: RsvpStatus; cursor?: string; limit: number },
) {
  return db
    .select()
    .from(rsvps)
    .where(
      and(
        eq(rsvps.campaignId, campaignId),
        options.status ? eq(rsvps.status, options.status) : undefined,
        olderThan({ createdAt: rsvps.createdAt, id: rsvps.id }, options.cursor),
      ),
    )
    .orderBy(desc(rsvps.createdAt), desc(rsvps.id))
    .limit(options.limit)
}

/** The campaign's counts by status, for the list's header. */
export async function rsvpCounts(db: Db, campaignId: string) {
  const rows = await db
    .select({ status: rsvps.status, n: sql<number>`count(*)::int` })
    .from(rsvps)
    .where(eq(rsvps.campaignId, campaignId))
    .groupBy(rsvps.status)
  const counts = { confirmed: 0, waitlisted: 0, cancelled: 0, attended: 0 }
  for (const row of rows) counts[row.status] = Number(row.n)
  return counts
}
