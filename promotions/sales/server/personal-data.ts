import { sql } from 'drizzle-orm'
import { type Db, rowsOf } from '../../../api/ports/database'
import { sha256Hex } from '../../../api/services/auth/keys'
import type { PersonalData, Visitor } from '../../../api/services/personal-data'

/**
 * A visitor's open cart (`carts`, by anonymous id): the export shows it, erasure and the retention sweep delete it.
 * The codes a visitor was shown (`promo_code_reveals` holds their anonymous id): the privacy export lists them,
 * erasure and the retention sweep unlink them (the pool code stays handed out, to nobody known). Redemptions hold
 * no visitor id, only the shop's order id and a one-way customer hash, which a privacy request by email computes
 * again (below): it lists that person's redemptions, and erasure drops the hash, keeping the orders' counts.
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

/**
 * The keys a redemption keeps for a person named by email on each site (as `/promo-codes/redeem` makes them): the
 * site with the email's SHA-256 (Meta's `em`, of the trimmed lower-case address), and the site with the address
 * itself sent as the shop's customer id.
 */
export async function customerKeysOf(siteIds: readonly string[], email: string): Promise<string[]> {
  const normal = email.trim().toLowerCase()
  const emailHash = await sha256Hex(normal)
  return Promise.all(
    siteIds.flatMap((siteId) => [
      sha256Hex(`${siteId}:em:${emailHash}`),
      sha256Hex(`${siteId}:id:${normal}`),
    ]),
  )
}

const ofCustomer = (alias: string, siteIds: readonly string[], keys: readonly string[]) =>
  sql`${sql.raw(alias)}.site_id in (${sql.join(
    siteIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  )}) and ${sql.raw(alias)}.customer_key in (${sql.join(
    keys.map((key) => sql`${key}`),
    sql`, `,
  )})`

/** A person's redemptions by email over the requester's sites, and their per-customer use counts. */
export async function salesOfEmail(db: Db, siteIds: string[], email: string) {
  if (siteIds.length === 0) return { redemptions: [], customerUses: [] }
  const keys = await customerKeysOf(siteIds, email)
  const redemptions = rowsOf(
    await db.execute(sql`
      select r.id as "redemptionId", r.site_id as "siteId", r.campaign_id as "campaignId", p.code,
        r.order_id as "orderId", r.order_value as "orderValue", r.currency, r.discount,
        r.created_at as "createdAt", r.released_at as "releasedAt"
      from promo_code_redemptions r join promo_codes p on p.id = r.code_id
      where ${ofCustomer('r', siteIds, keys)} order by r.created_at, r.id`),
  )
  const customerUses = rowsOf(
    await db.execute(sql`
      select u.site_id as "siteId", u.batch_id as "batchId", u.uses
      from promo_code_customers u where ${ofCustomer('u', siteIds, keys)} order by u.batch_id`),
  )
  return { redemptions, customerUses }
}

/**
 * The redemptions stay (the orders, their value and discount still count for the campaign) without the customer
 * hash; the per-customer use counts under it go. Answers how many rows changed.
 */
export async function eraseSalesOfEmail(tx: Db, siteIds: string[], email: string) {
  if (siteIds.length === 0) return 0
  const keys = await customerKeysOf(siteIds, email)
  const [row] = rowsOf<{ n: number | string }>(
    await tx.execute(sql`
      with unlinked as (
        update promo_code_redemptions r set customer_key = null where ${ofCustomer('r', siteIds, keys)}
        returning 1),
      counts as (
        delete from promo_code_customers u where ${ofCustomer('u', siteIds, keys)} returning 1)
      select (select count(*) from unlinked) + (select count(*) from counts) as n`),
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
  byEmail: { export: salesOfEmail, erase: eraseSalesOfEmail },
}
