import { sql } from 'drizzle-orm'
import { type Db, rowsOf } from '../../../api/db'
import { type EventRow, storeEvents, type Written } from '../../../api/ingest/writer'
import type { EngagementConfig } from '../config'

/** Who acted on which campaign, and where from: what every stored action carries. */
export interface Actor {
  siteId: string
  campaignId: string
  variantId: string | null
  anonymousId: string
  at: Date
  /** The page it happened on, and the device class and country of the request, for the KPI event. */
  url: string | null
  device: EventRow['device']
  country: string | null
}

export type CommentStatus = 'pending' | 'published' | 'rejected'

export interface CommentRow {
  id: string
  siteId: string
  campaignId: string
  variantId: string | null
  anonymousId: string | null
  name: string | null
  text: string
  status: CommentStatus
  createdAt: Date
  moderatedAt: Date | null
}

export interface Counts {
  likes: number
  reactions: Record<string, number>
  shares: number
  comments: number
  votes?: Record<string, number>
  voters: number
}

export interface VisitorState {
  liked: boolean
  reaction: string | null
  voted: string[]
}

/** What one action changed: the KPI event it stored (new only) and the profile updates to mirror. */
export interface Outcome {
  written: Written | null
  comment?: CommentRow
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

/**
 * A UUID (version 8, from SHA-256) that is the same for the same parts: the KPI event of an action that may be
 * sent again (a second like, a resent share) gets the id of the first, which ingest stores once.
 */
export async function derivedId(...parts: string[]): Promise<string> {
  const data = new TextEncoder().encode(['promo-engagement', ...parts].join('\0'))
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', data)).slice(0, 16)
  bytes[6] = (bytes[6]! & 0x0f) | 0x80
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const h = hex(bytes)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/**
 * Stores the action's KPI event in the action's own transaction (a savepoint in it), so the rollups, the
 * visitor's profile and attribution count it exactly when the action itself is stored, and once: its id is
 * derived from what makes the action one (or is the stored row's own id).
 */
async function countEvent(
  tx: Db,
  actor: Actor,
  name: string,
  id: string,
  props: Record<string, string> | null,
): Promise<Written> {
  const row: EventRow = {
    id,
    siteId: actor.siteId,
    name,
    timestamp: actor.at,
    anonymousId: actor.anonymousId,
    campaignId: actor.campaignId,
    variantId: actor.variantId,
    url: actor.url,
    props,
    device: actor.device,
    country: actor.country,
  }
  return storeEvents(tx, actor.siteId, [row], +actor.at)
}

const inserted = (result: unknown) => rowsOf(result).length > 0

/** One like per visitor and campaign: a second is a no-op. Its KPI event counts once per visitor, ever. */
export async function like(db: Db, actor: Actor): Promise<Outcome> {
  return db.transaction(async (txn) => {
    const tx = txn as unknown as Db
    const added = await tx.execute(sql`
      insert into engagement_reactions (site_id, campaign_id, variant_id, anonymous_id, kind, created_at)
      values (${actor.siteId}, ${actor.campaignId}, ${actor.variantId}, ${actor.anonymousId}, 'like',
        ${actor.at.toISOString()}::timestamptz)
      on conflict do nothing
      returning 1`)
    if (!inserted(added)) return { written: null }
    const id = await derivedId('like', actor.siteId, actor.campaignId, actor.anonymousId)
    return { written: await countEvent(tx, actor, 'like', id, null) }
  })
}

export async function unlike(db: Db, actor: Actor): Promise<Outcome> {
  await db.execute(sql`
    delete from engagement_reactions
    where campaign_id = ${actor.campaignId} and anonymous_id = ${actor.anonymousId} and kind = 'like'
      and site_id = ${actor.siteId}`)
  return { written: null }
}

/**
 * A visitor's one reaction: a new one, or another in place of the one they had. Each (visitor, reaction) pair
 * counts once as a `react` event; reacting again with the same reaction changes nothing.
 */
export async function react(db: Db, actor: Actor, reaction: string): Promise<Outcome> {
  return db.transaction(async (txn) => {
    const tx = txn as unknown as Db
    const changed = await tx.execute(sql`
      insert into engagement_reactions as r (site_id, campaign_id, variant_id, anonymous_id, kind, reaction, created_at)
      values (${actor.siteId}, ${actor.campaignId}, ${actor.variantId}, ${actor.anonymousId}, 'reaction',
        ${reaction}, ${actor.at.toISOString()}::timestamptz)
      on conflict (campaign_id, anonymous_id, kind) do update
        set reaction = excluded.reaction, variant_id = excluded.variant_id, created_at = excluded.created_at
        where r.reaction is distinct from excluded.reaction
      returning 1`)
    if (!inserted(changed)) return { written: null }
    const id = await derivedId('react', actor.siteId, actor.campaignId, actor.anonymousId, reaction)
    return { written: await countEvent(tx, actor, 'react', id, { reaction }) }
  })
}

/** Takes the visitor's reaction back; with `reaction`, only if it is that one. */
export async function unreact(db: Db, actor: Actor, reaction: string | undefined): Promise<Outcome> {
  await db.execute(sql`
    delete from engagement_reactions
    where campaign_id = ${actor.campaignId} and anonymous_id = ${actor.anonymousId} and kind = 'reaction'
      and site_id = ${actor.siteId} ${reaction ? sql`and reaction = ${reaction}` : sql``}`)
  return { written: null }
}

/** A share, by the id in the shared link: the same id sent again (a retry) is stored and counted once. */
export async function share(db: Db, actor: Actor, network: string, shareId: string): Promise<Outcome> {
  return db.transaction(async (txn) => {
    const tx = txn as unknown as Db
    const added = await tx.execute(sql`
      insert into engagement_shares (id, site_id, campaign_id, variant_id, anonymous_id, network, created_at)
      values (${shareId}, ${actor.siteId}, ${actor.campaignId}, ${actor.variantId}, ${actor.anonymousId},
        ${network}, ${actor.at.toISOString()}::timestamptz)
      on conflict do nothing
      returning 1`)
    if (!inserted(added)) return { written: null }
    const id = await derivedId('share', actor.siteId, shareId)
    return { written: await countEvent(tx, actor, 'share', id, { network, share: shareId }) }
  })
}

/** One vote per visitor and poll; `null` when the visitor had voted already (nothing is changed). */
export async function vote(db: Db, actor: Actor, options: string[]): Promise<Outcome | null> {
  return db.transaction(async (txn) => {
    const tx = txn as unknown as Db
    const added = await tx.execute(sql`
      insert into engagement_votes (site_id, campaign_id, variant_id, anonymous_id, options, created_at)
      values (${actor.siteId}, ${actor.campaignId}, ${actor.variantId}, ${actor.anonymousId},
        ${JSON.stringify(options)}::jsonb, ${actor.at.toISOString()}::timestamptz)
      on conflict do nothing
      returning 1`)
    if (!inserted(added)) return null
    const id = await derivedId('vote', actor.siteId, actor.campaignId, actor.anonymousId)
    return { written: await countEvent(tx, actor, 'vote', id, { options: options.join(',') }) }
  })
}

type RawComment = {
  id: string
  site_id: string
  campaign_id: string
  variant_id: string | null
  anonymous_id: string | null
  name: string | null
  text: string
  status: CommentStatus
  created_at: string | Date
  moderated_at: string | Date | null
}

const commentOf = (row: RawComment): CommentRow => ({
  id: row.id,
  siteId: row.site_id,
  campaignId: row.campaign_id,
  variantId: row.variant_id,
  anonymousId: row.anonymous_id,
  name: row.name,
  text: row.text,
  status: row.status,
  createdAt: new Date(row.created_at),
  moderatedAt: row.moderated_at === null ? null : new Date(row.moderated_at),
})

const commentColumns = sql.raw(
  'id, site_id, campaign_id, variant_id, anonymous_id, name, text, status, created_at, moderated_at',
)

/** A comment, stored as the text it is; its KPI event has the comment's own id. */
export async function comment(
  db: Db,
  actor: Actor,
  text: string,
  name: string | null,
  status: 'pending' | 'published',
): Promise<Outcome> {
  return db.transaction(async (txn) => {
    const tx = txn as unknown as Db
    const [row] = rowsOf<RawComment>(
      await tx.execute(sql`
        insert into engagement_comments (site_id, campaign_id, variant_id, anonymous_id, name, text, status, created_at)
        values (${actor.siteId}, ${actor.campaignId}, ${actor.variantId}, ${actor.anonymousId}, ${name}, ${text},
          ${status}, ${actor.at.toISOString()}::timestamptz)
        returning ${commentColumns}`),
    )
    const stored = commentOf(row!)
    return { written: await countEvent(tx, actor, 'comment', stored.id, { status }), comment: stored }
  })
}

const num = (value: unknown) => Number(value ?? 0)
const objectOf = (value: unknown): Record<string, unknown> =>
  typeof value === 'string' ? JSON.parse(value) : ((value as Record<string, unknown> | null) ?? {})

/**
 * A campaign's counts, read from the rows themselves (exact, never a counter that could drift): likes, each
 * reaction (every reaction the config offers, 0 when none), shares, published comments, voters and, when
 * `withVotes`, the votes for each option of the poll.
 */
export async function countsOf(
  db: Db,
  siteId: string,
  campaignId: string,
  config: EngagementConfig,
  withVotes: boolean,
): Promise<Counts> {
  const of = sql`site_id = ${siteId} and campaign_id = ${campaignId}`
  const [row] = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      select
        (select count(*) from engagement_reactions where ${of} and kind = 'like') as likes,
        (select jsonb_object_agg(reaction, n) from (
          select reaction, count(*) as n from engagement_reactions where ${of} and kind = 'reaction'
          group by reaction) r) as reactions,
        (select count(*) from engagement_shares where ${of}) as shares,
        (select count(*) from engagement_comments where ${of} and status = 'published') as comments,
        (select count(*) from engagement_votes where ${of}) as voters,
        ${
          withVotes
            ? sql`(select jsonb_object_agg(option, n) from (
                select o.option, count(*) as n from engagement_votes v,
                  jsonb_array_elements_text(v.options) as o(option)
                where v.site_id = ${siteId} and v.campaign_id = ${campaignId} group by o.option) x)`
            : sql`null`
        } as votes`),
  )
  const reactions = objectOf(row?.reactions)
  const counts: Counts = {
    likes: num(row?.likes),
    reactions: Object.fromEntries(config.reactions.map((r) => [r, num(reactions[r])])),
    shares: num(row?.shares),
    comments: num(row?.comments),
    voters: num(row?.voters),
  }
  if (withVotes) {
    const votes = objectOf(row?.votes)
    counts.votes = Object.fromEntries((config.poll?.options ?? []).map((o) => [o.id, num(votes[o.id])]))
  }
  return counts
}

/** What this visitor has done to the campaign. */
export async function stateOf(db: Db, siteId: string, campaignId: string, anonymousId: string) {
  const of = sql`site_id = ${siteId} and campaign_id = ${campaignId} and anonymous_id = ${anonymousId}`
  const [row] = rowsOf<{ liked: boolean; reaction: string | null; voted: unknown }>(
    await db.execute(sql`
      select
        exists (select 1 from engagement_reactions where ${of} and kind = 'like') as liked,
        (select reaction from engagement_reactions where ${of} and kind = 'reaction') as reaction,
        (select options from engagement_votes where ${of}) as voted`),
  )
  const voted = row?.voted
  return {
    liked: row?.liked === true,
    reaction: row?.reaction ?? null,
    voted: (typeof voted === 'string' ? JSON.parse(voted) : (voted ?? [])) as string[],
  } satisfies VisitorState
}

/** The latest published comments, newest first. */
export async function recentComments(db: Db, siteId: string, campaignId: string, limit: number) {
  if (limit <= 0) return []
  return rowsOf<RawComment>(
    await db.execute(sql`
      select ${commentColumns} from engagement_comments
      where site_id = ${siteId} and campaign_id = ${campaignId} and status = 'published'
      order by created_at desc, id desc limit ${limit}`),
  ).map(commentOf)
}

export interface CommentFilter {
  siteIds: string[]
  campaignId?: string
  status?: CommentStatus
  /** Newest-first paging: rows strictly older than this (createdAt, id). */
  before?: { createdAt: Date; id: string }
  limit: number
}

/** Comments for moderation, newest first, with their campaign's name. */
export async function listComments(db: Db, filter: CommentFilter) {
  if (filter.siteIds.length === 0) return []
  const rows = rowsOf<RawComment & { campaign_name: string }>(
    await db.execute(sql`
      select c.id, c.site_id, c.campaign_id, c.variant_id, c.anonymous_id, c.name, c.text, c.status, c.created_at,
        c.moderated_at, k.name as campaign_name
      from engagement_comments c join campaigns k on k.id = c.campaign_id
      where c.site_id = any(${sql.param(filter.siteIds)}::uuid[])
        ${filter.campaignId ? sql`and c.campaign_id = ${filter.campaignId}` : sql``}
        ${filter.status ? sql`and c.status = ${filter.status}` : sql``}
        ${
          filter.before
            ? sql`and (c.created_at, c.id) < (${filter.before.createdAt.toISOString()}::timestamptz, ${filter.before.id}::uuid)`
            : sql``
        }
      order by c.created_at desc, c.id desc
      limit ${filter.limit}`),
  )
  return rows.map((row) => ({ ...commentOf(row), campaignName: row.campaign_name }))
}

/** Moves a comment of one of these sites to a status; null when there is no such comment. */
export async function moderate(db: Db, siteIds: string[], id: string, status: CommentStatus, at: Date) {
  if (siteIds.length === 0) return null
  const [row] = rowsOf<RawComment>(
    await db.execute(sql`
      update engagement_comments set status = ${status}, moderated_at = ${at.toISOString()}::timestamptz
      where id = ${id} and site_id = any(${sql.param(siteIds)}::uuid[])
      returning ${commentColumns}`),
  )
  return row ? commentOf(row) : null
}

export async function deleteComment(db: Db, siteIds: string[], id: string): Promise<boolean> {
  if (siteIds.length === 0) return false
  return inserted(
    await db.execute(sql`
      delete from engagement_comments where id = ${id} and site_id = any(${sql.param(siteIds)}::uuid[])
      returning 1`),
  )
}
