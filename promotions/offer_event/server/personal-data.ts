import { sql } from 'drizzle-orm'
import { type Db, rowsOf } from '../../../api/ports/database'
import type { PersonalData, Visitor } from '../../../api/services/personal-data'

/**
 * An RSVP holds a person's email and first name, linked to a visitor when the browser proved its anonymous id.
 * The export shows the visitor's RSVPs, and a privacy request by email those naming the email; erasure keeps the row (the seat stays counted, so the counter and the
 * waitlist stay exact) but drops the address, the name and the link; the sweep unlinks old rows from visitors.
 */
const ofVisitor = ({ siteId, anonymousId }: Visitor) =>
  sql`site_id = ${siteId} and anonymous_id = ${anonymousId}`

export async function rsvpsOfVisitor(db: Db, visitor: Visitor) {
  return rowsOf(
    await db.execute(sql`
      select id, campaign_id as "campaignId", email, first_name as "firstName", status, position,
        created_at as "createdAt" from rsvps where ${ofVisitor(visitor)} order by created_at, id`),
  )
}

export async function eraseRsvpsOfVisitor(tx: Db, visitor: Visitor, unlinked: string) {
  await tx.execute(sql`
    update rsvps set email = 'erased-' || id || '@erased.invalid', first_name = null, anonymous_id = ${unlinked}
    where ${ofVisitor(visitor)}`)
}

export async function unlinkOldRsvps(db: Db, siteId: string, before: string, limit: number) {
  const rows = rowsOf<{ n: number | string }>(
    await db.execute(sql`
      with done as (
        update rsvps set anonymous_id = null where id in (
          select id from rsvps where site_id = ${siteId} and created_at < ${before}::timestamptz
            and anonymous_id is not null and anonymous_id not like 'erased-%' limit ${limit})
        returning 1)
      select count(*) as n from done`),
  )
  return Number(rows[0]?.n ?? 0)
}

const ofEmail = (siteIds: string[], email: string) =>
  sql`site_id in (${sql.join(
    siteIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  )}) and email = ${email.trim().toLowerCase()}`

/** A person's RSVPs by email over the requester's sites, linked to a visitor or not. */
export async function rsvpsOfEmail(db: Db, siteIds: string[], email: string) {
  if (siteIds.length === 0) return []
  return rowsOf(
    await db.execute(sql`
      select id, site_id as "siteId", campaign_id as "campaignId", email, first_name as "firstName", status,
        position, created_at as "createdAt", promoted_at as "promotedAt", cancelled_at as "cancelledAt",
        attended_at as "attendedAt", reminded_at as "remindedAt"
      from rsvps where ${ofEmail(siteIds, email)} order by created_at, id`),
  )
}

/** As a visitor's erasure does: the rows stay for the counts, without the address, the name or the link. */
export async function eraseRsvpsOfEmail(tx: Db, siteIds: string[], email: string) {
  if (siteIds.length === 0) return 0
  const rows = rowsOf<{ n: number | string }>(
    await tx.execute(sql`
      with done as (
        update rsvps set email = 'erased-' || id || '@erased.invalid', first_name = null,
          anonymous_id = case when anonymous_id is null then null else 'erased-' || gen_random_uuid() end
        where ${ofEmail(siteIds, email)}
        returning 1)
      select count(*) as n from done`),
  )
  return Number(rows[0]?.n ?? 0)
}

export const offerEventPersonalData: PersonalData = {
  name: 'rsvps',
  export: rsvpsOfVisitor,
  erase: eraseRsvpsOfVisitor,
  sweep: unlinkOldRsvps,
  byEmail: { export: rsvpsOfEmail, erase: eraseRsvpsOfEmail },
}
