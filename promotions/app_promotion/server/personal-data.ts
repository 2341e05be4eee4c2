import { sql } from 'drizzle-orm'
import { type Db, rowsOf } from '../../../api/ports/database'
import type { PersonalData, Visitor } from '../../../api/services/personal-data'

const ofVisitor = ({ siteId, anonymousId }: Visitor) =>
  sql`site_id = ${siteId} and anonymous_id = ${anonymousId}`

/**
 * A claim names the visitor whose click led to the install: the export shows their claims, erasure and the
 * retention sweep move them to an id that leads nowhere (the campaign's installs stay counted, and the click
 * cannot be claimed again into a second install).
 */
export const appPromotionPersonalData: PersonalData = {
  name: 'appClaims',
  async export(db: Db, visitor: Visitor) {
    return rowsOf(
      await db.execute(sql`
        select click_id as "clickId", event, campaign_id as "campaignId", platform, matched_by as "matchedBy",
          created_at as "createdAt"
        from app_claims where ${ofVisitor(visitor)} order by created_at, click_id, event`),
    )
  },
  async erase(tx: Db, visitor: Visitor, unlinkedId: string) {
    await tx.execute(sql`update app_claims set anonymous_id = ${unlinkedId} where ${ofVisitor(visitor)}`)
  },
  async sweep(db: Db, siteId: string, before: string, limit: number) {
    const done = await db.execute(sql`
      with done as (
        update app_claims set anonymous_id = 'expired-' || gen_random_uuid()
        where (site_id, click_id, event) in (
          select site_id, click_id, event from app_claims
          where site_id = ${siteId} and created_at < ${before}::timestamptz
            and anonymous_id not like 'expired-%' and anonymous_id not like 'erased-%'
          limit ${limit})
        returning 1)
      select count(*) as n from done`)
    return Number(rowsOf<{ n: number | string }>(done)[0]?.n ?? 0)
  },
}
