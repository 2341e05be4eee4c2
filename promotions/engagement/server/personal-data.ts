import { sql } from 'drizzle-orm'
import { type Db, rowsOf } from '../../../api/ports/database'
import type { PersonalData, Visitor } from '../../../api/services/personal-data'
import { deleteComments } from './store'

/**
 * Engagement rows hold a visitor's anonymous id (and a comment their words and the name they gave): the privacy
 * export shows them per visitor, erasure unlinks or deletes them, and the retention sweep unlinks old ones.
 */

const ofVisitor = ({ siteId, anonymousId }: Visitor) =>
  sql`site_id = ${siteId} and anonymous_id = ${anonymousId}`

/** Everything a visitor did to the site's engagement campaigns, for the privacy export. */
export async function engagementOfVisitor(db: Db, visitor: Visitor) {
  const of = ofVisitor(visitor)
  const [reactions, votes, shares, comments] = await Promise.all([
    db.execute(sql`
      select campaign_id as "campaignId", kind, reaction, created_at as "createdAt" from engagement_reactions
      where ${of} order by created_at, campaign_id, kind`),
    db.execute(sql`
      select campaign_id as "campaignId", options, created_at as "createdAt" from engagement_votes
      where ${of} order by created_at, campaign_id`),
    db.execute(sql`
      select id, campaign_id as "campaignId", network, created_at as "createdAt" from engagement_shares
      where ${of} order by created_at, id`),
    db.execute(sql`
      select id, campaign_id as "campaignId", name, text, status, created_at as "createdAt" from engagement_comments
      where ${of} order by created_at, id`),
  ])
  return {
    reactions: rowsOf(reactions),
    votes: rowsOf(votes),
    shares: rowsOf(shares),
    comments: rowsOf(comments),
  }
}

/**
 * Erasure: the visitor's comments go (their words and name); their likes, reactions, votes and shares stay
 * counted under `unlinked`, an id that leads nowhere, as their events do.
 */
export async function eraseEngagementOfVisitor(tx: Db, visitor: Visitor, unlinked: string) {
  const of = ofVisitor(visitor)
  await deleteComments(tx, of)
  for (const table of ['engagement_reactions', 'engagement_votes', 'engagement_shares']) {
    await tx.execute(sql`update ${sql.identifier(table)} set anonymous_id = ${unlinked} where ${of}`)
  }
}

/**
 * The retention sweep's step for one site: rows older than the site keeps events lose their visitor (each gets an
 * id of its own that leads nowhere, so counts stay exact), rejected comments that old are deleted, and older
 * comments keep their text but not who wrote them. At most `limit` rows of each table; returns how many changed.
 */
export async function unlinkOldEngagement(db: Db, siteId: string, before: string, limit: number) {
  const old = sql`site_id = ${siteId} and created_at < ${before}::timestamptz`
  const linked = sql`anonymous_id not like 'expired-%' and anonymous_id not like 'erased-%'`
  const changed = async (query: ReturnType<typeof sql>) =>
    Number(rowsOf<{ n: number | string }>(await db.execute(query))[0]?.n ?? 0)
  let n = 0
  n += await changed(sql`
    with gone as (
      delete from engagement_comments where id in (
        select id from engagement_comments where ${old} and status = 'rejected' limit ${limit})
      returning 1)
    select count(*) as n from gone`)
  n += await changed(sql`
    with done as (
      update engagement_comments set anonymous_id = null where id in (
        select id from engagement_comments where ${old} and anonymous_id is not null limit ${limit})
      returning 1)
    select count(*) as n from done`)
  n += await changed(sql`
    with done as (
      update engagement_reactions set anonymous_id = 'expired-' || gen_random_uuid()
      where (campaign_id, anonymous_id, kind) in (
        select campaign_id, anonymous_id, kind from engagement_reactions where ${old} and ${linked} limit ${limit})
      returning 1)
    select count(*) as n from done`)
  n += await changed(sql`
    with done as (
      update engagement_votes set anonymous_id = 'expired-' || gen_random_uuid()
      where (campaign_id, anonymous_id) in (
        select campaign_id, anonymous_id from engagement_votes where ${old} and ${linked} limit ${limit})
      returning 1)
    select count(*) as n from done`)
  n += await changed(sql`
    with done as (
      update engagement_shares set anonymous_id = 'expired-' || gen_random_uuid()
      where id in (select id from engagement_shares where ${old} and ${linked} limit ${limit})
      returning 1)
    select count(*) as n from done`)
  return n
}

/** Engagement's part of the privacy export, erasure and retention sweep. */
export const engagementPersonalData: PersonalData = {
  name: 'engagement',
  export: engagementOfVisitor,
  erase: eraseEngagementOfVisitor,
  sweep: unlinkOldEngagement,
}
