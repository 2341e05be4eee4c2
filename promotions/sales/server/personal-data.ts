import { sql } from 'drizzle-orm'
import { type Db, rowsOf } from '../../../api/ports/database'
import type { PersonalData, Visitor } from '../../../api/services/personal-data'

/**
 * A visitor's open cart (`carts`, by anonymous id): the export shows it, erasure and the retention sweep delete it.
 * The codes a visitor was shown (`promo_code_reveals` holds their anonymous id): the privacy export lists them,
 * erasure and the retention sweep unlink them (the pool code stays handed out, to nobody known). Redemptions hold
 * no visitor id, only the shop's order id and a one-way customer hash.
 */
const ofVisitor = ({ siteId, anonymousId }: Visitor) =>
  sql`r.site_id = ${siteId} and r.anonymous_id = ${anonymousId}`

export async function salesOfVisitor(db: Db, visitor: Visitor) {
  const reveals = rowsOf(
    await db.execute(sql`
      select r.campaign_id as "campaignId", p.code, r.created_at as "createdAt"
      from promo_code_reveals r join promo_codes p on p.id = r.code_id
      where ${ofVisitor(visitor)} order by r.created_at, r.campaign_id`),
  )
  const carts = rowsOf(
    await db.execute(sql`
      select lines, currency, session_id as "sessionId", changed_at as "changedAt"
      from carts where site_id = ${visitor.siteId} and anonymous_id = ${visitor.anonymousId}`),
  )
  return { reveals, carts }
}

export async function eraseSalesOfVisitor(tx: Db, visitor: Visitor, unlinked: string) {
  await tx.execute(
    sql`delete from carts where site_id = ${visitor.siteId} and anonymous_id = ${visitor.anonymousId}`,
  )
  await tx.execute(sql`
    update promo_code_reveals r set anonymous_id = ${unlinked} where ${ofVisitor(visitor)}`)
}

export async function unlinkOldReveals(db: Db, siteId: string, before: string, limit: number) {
  const [row] = rowsOf<{ n: number | string }>(
    await db.execute(sql`
      with done as (
        update promo_code_reveals set anonymous_id = 'expired-' || gen_random_uuid()
        where (campaign_id, anonymous_id) in (
          select campaign_id, anonymous_id from promo_code_reveals
          where site_id = ${siteId} and created_at < ${before}::timestamptz
            and anonymous_id not like 'expired-%' and anonymous_id not like 'erased-%'
          limit ${limit})
        returning 1)
      select count(*) as n from done`),
  )
  return Number(row?.n ?? 0)
}

/** Carts last changed before `before` are deleted, at most `limit` a step. */
export async function deleteOldCarts(db: Db, siteId: string, before: string, limit: number) {
  const [row] = rowsOf<{ n: number | string }>(
    await db.execute(sql`
      with done as (
        delete from carts where (site_id, anonymous_id) in (
          select site_id, anonymous_id from carts
          where site_id = ${siteId} and changed_at < ${before}::timestamptz limit ${limit})
        returning 1)
      select count(*) as n from done`),
  )
  return Number(row?.n ?? 0)
}

export const salesPersonalData: PersonalData = {
  name: 'sales',
  export: salesOfVisitor,
  erase: eraseSalesOfVisitor,
  async sweep(db, siteId, before, limit) {
    const carts = await deleteOldCarts(db, siteId, before, limit)
    return carts + (carts < limit ? await unlinkOldReveals(db, siteId, before, limit - carts) : 0)
  },
}
