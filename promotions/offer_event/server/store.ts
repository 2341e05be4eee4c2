import { and, asc, desc, eq, sql } from 'drizzle-orm'
import type { Db } from '../../../api/ports/database'
import { olderThan } from '../../../api/services/cursor'
import { mailOutbox, rsvpCounters, rsvps } from '../../../schema/db'

export type RsvpRow = typeof rsvps.$inferSelect
export type RsvpStatus = RsvpRow['status']

/** A mail written to the outbox inside the seat's transaction, sent (when a mailer is live) after the commit. */
export interface QueuedMail {
  id: string
  to: string
  subject: string
  text: string
}

/** What a mail says, made once the row it is about is known (its cancel link names the RSVP). */
export type MailFor = (row: RsvpRow, reason: 'rsvp' | 'promoted') => { subject: string; text: string }

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
  request: Pick<SeatRequest, 'siteId' | 'mailStatus' | 'transport' | 'at'>,
  to: string,
  content: { subject: string; text: string },
): Promise<QueuedMail> {
  const [row] = await tx
    .insert(mailOutbox)
    .values({
      siteId: request.siteId,
      to,
      subject: content.subject,
      text: content.text,
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
  if (!found) return { kind: 'missing' }

  return db.transaction(async (tx): Promise<CancelOutcome> => {
    const counter = await lockCounter(tx, found.campaignId)
    const [row] = await tx.select().from(rsvps).where(eq(rsvps.id, request.rsvpId)).limit(1)
    if (!row) return { kind: 'missing' }
    if (row.status === 'cancelled') return { kind: 'already', row }

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
        const [up] = await tx
          .update(rsvps)
          .set({ status: 'confirmed', promotedAt: request.at })
          .where(eq(rsvps.id, next.id))
          .returning()
        confirmed += 1
        const site = { siteId: up!.siteId, mailStatus: request.mailStatus, transport: request.transport }
        const mail = await queueMail(
          tx,
          { ...site, at: request.at },
          up!.email,
          request.mail(up!, 'promoted'),
        )
        promoted = { row: up!, mail }
      }
    }
    await tx.update(rsvpCounters).set({ confirmed }).where(eq(rsvpCounters.campaignId, row.campaignId))
    return { kind: 'cancelled', row: cancelled!, ...(promoted ? { promoted } : {}) }
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
  const counts = { confirmed: 0, waitlisted: 0, cancelled: 0 }
  for (const row of rows) counts[row.status] = Number(row.n)
  return counts
}
