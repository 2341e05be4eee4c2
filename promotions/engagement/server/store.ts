import { sql } from 'drizzle-orm'
import { type Db, rowsOf } from '../../../api/ports/database'
import type { StoredEvent, Written } from '../../../api/ports/events'
import type { Projection } from '../../../api/services/ingest/pipeline'
import { storeEvents } from '../../../api/services/ingest/writer'
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
  device: StoredEvent['device']
  country: string | null
  /** The app's ingest pipeline, which the action's KPI event goes through like any stored event. */
  pipeline?: readonly Projection[]
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
  const row: StoredEvent = {
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
  return storeEvents(tx, actor.siteId, [row], +actor.at, actor.pipeline)
}

const inserted = (result: unknown) => rowsOf(result).length > 0

/**
 * Moves the campaign's counts by what the transaction really changed, keys in one order for every writer. Run
 * last in the transaction: the count rows are every action's on the campaign, so they are held for the least time.
 */
export async function addCounts(tx: Db, siteId: string, campaignId: string, deltas: [string, number][]) {
  const moved = new Map<string, number>()
  for (const [key, n] of deltas) moved.set(key, (moved.get(key) ?? 0) + n)
  const rows = [...moved].filter(([, n]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  if (rows.length === 0) return
  await tx.execute(sql`
    insert into engagement_counts as c (site_id, campaign_id, key, n)
    select ${siteId}::uuid, ${campaignId}::uuid, u.key, u.n
    from unnest(${sql.param(rows.map(([key]) => key))}::text[], ${sql.param(rows.map(([, n]) => n))}::int[]) as u(key, n)
    on conflict (campaign_id, key) do update set n = c.n + excluded.n`)
}

/** One like per visitor and campaign: a second is a no-op. Its KPI event counts once per visitor, ever. */
export async function like(db: Db, actor: Actor): Promise<Outcome> {
  return db.transaction(async (tx) => {
    const added = await tx.execute(sql`
      insert into engagement_reactions (site_id, campaign_id, variant_id, anonymous_id, kind, created_at)
      values (${actor.siteId}, ${actor.campaignId}, ${actor.variantId}, ${actor.anonymousId}, 'like',
        ${actor.at.toISOString()}::timestamptz)
      on conflict do nothing
      returning 1`)
    if (!inserted(added)) return { written: null }
    const id = await derivedId('like', actor.siteId, actor.campaignId, actor.anonymousId)
    const written = await countEvent(tx, actor, 'like', id, null)
    await addCounts(tx, actor.siteId, actor.campaignId, [['likes', 1]])
    return { written }
  })
}

export async function unlike(db: Db, actor: Actor): Promise<Outcome> {
  await db.transaction(async (tx) => {
    const gone = await tx.execute(sql`
      delete from engagement_reactions
      where campaign_id = ${actor.campaignId} and anonymous_id = ${actor.anonymousId} and kind = 'like'
        and site_id = ${actor.siteId}
      returning 1`)
    if (inserted(gone)) await addCounts(tx, actor.siteId, actor.campaignId, [['likes', -1]])
  })
  return { written: null }
}

/**
 * A visitor's one reaction: a new one, or another in place of the one they had. The other is deleted first and
 * the new one inserted if the visitor has none, so each count moves by exactly the rows that went and came, even
 * when one visitor's reactions race. Each (visitor, reaction) pair counts once as a `react` event.
 */
export async function react(db: Db, actor: Actor, reaction: string): Promise<Outcome> {
  return db.transaction(async (tx) => {
    const of = sql`campaign_id = ${actor.campaignId} and anonymous_id = ${actor.anonymousId} and kind = 'reaction'`
    const gone = rowsOf<{ reaction: string }>(
      await tx.execute(sql`
        delete from engagement_reactions where ${of} and site_id = ${actor.siteId}
          and reaction is distinct from ${reaction}
        returning reaction`),
    )
    const added = await tx.execute(sql`
      insert into engagement_reactions (site_id, campaign_id, variant_id, anonymous_id, kind, reaction, created_at)
      values (${actor.siteId}, ${actor.campaignId}, ${actor.variantId}, ${actor.anonymousId}, 'reaction',
        ${reaction}, ${actor.at.toISOString()}::timestamptz)
      on conflict do nothing
      returning 1`)
    const deltas: [string, number][] = gone.map((row) => [`reaction:${row.reaction}`, -1])
    let written: Written | null = null
    if (inserted(added)) {
      deltas.push([`reaction:${reaction}`, 1])
      const id = await derivedId('react', actor.siteId, actor.campaignId, actor.anonymousId, reaction)
      written = await countEvent(tx, actor, 'react', id, { reaction })
    }
    await addCounts(tx, actor.siteId, actor.campaignId, deltas)
    return { written }
  })
}

/** Takes the visitor's reaction back; with `reaction`, only if it is that one. */
export async function unreact(db: Db, actor: Actor, reaction: string | undefined): Promise<Outcome> {
  await db.transaction(async (tx) => {
    const gone = rowsOf<{ reaction: string }>(
      await tx.execute(sql`
        delete from engagement_reactions
        where campaign_id = ${actor.campaignId} and anonymous_id = ${actor.anonymousId} and kind = 'reaction'
          and site_id = ${actor.siteId} ${reaction ? sql`and reaction = ${reaction}` : sql``}
        returning reaction`),
    )
    await addCounts(
      tx,
      actor.siteId,
      actor.campaignId,
      gone.map((row) => [`reaction:${row.reaction}`, -1]),
    )
  })
  return { written: null }
}

/** A share, by the id in the shared link: the same id sent again (a retry) is stored and counted once. */
export async function share(db: Db, actor: Actor, network: string, shareId: string): Promise<Outcome> {
  return db.transaction(async (tx) => {
    const added = await tx.execute(sql`
      insert into engagement_shares (id, site_id, campaign_id, variant_id, anonymous_id, network, created_at)
      values (${shareId}, ${actor.siteId}, ${actor.campaignId}, ${actor.variantId}, ${actor.anonymousId},
        ${network}, ${actor.at.toISOString()}::timestamptz)
      on conflict do nothing
      returning 1`)
    if (!inserted(added)) return { written: null }
    const id = await derivedId('share', actor.siteId, shareId)
    const written = await countEvent(tx, actor, 'share', id, { network, share: shareId })
    await addCounts(tx, actor.siteId, actor.campaignId, [['shares', 1]])
    return { written }
  })
}

/** One vote per visitor and poll; `null` when the visitor had voted already (nothing is changed). */
export async function vote(db: Db, actor: Actor, options: string[]): Promise<Outcome | null> {
  return db.transaction(async (tx) => {
    const added = await tx.execute(sql`
      insert into engagement_votes (site_id, campaign_id, variant_id, anonymous_id, options, created_at)
      values (${actor.siteId}, ${actor.campaignId}, ${actor.variantId}, ${actor.anonymousId},
        ${JSON.stringify(options)}::jsonb, ${actor.at.toISOString()}::timestamptz)
      on conflict do nothing
      returning 1`)
    if (!inserted(added)) return null
    const id = await derivedId('vote', actor.siteId, actor.campaignId, actor.anonymousId)
    const written = await countEvent(tx, actor, 'vote', id, { options: options.join(',') })
    await addCounts(tx, actor.siteId, actor.campaignId, [
      ['voters', 1],
      ...options.map((option): [string, number] => [`vote:${option}`, 1]),
    ])
    return { written }
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
  return db.transaction(async (tx) => {
    const [row] = rowsOf<RawComment>(
      await tx.execute(sql`
        insert into engagement_comments (site_id, campaign_id, variant_id, anonymous_id, name, text, status, created_at)
        values (${actor.siteId}, ${actor.campaignId}, ${actor.variantId}, ${actor.anonymousId}, ${name}, ${text},
          ${status}, ${actor.at.toISOString()}::timestamptz)
        returning ${commentColumns}`),
    )
    const stored = commentOf(row!)
    const written = await countEvent(tx, actor, 'comment', stored.id, { status })
    if (status === 'published') await addCounts(tx, actor.siteId, actor.campaignId, [['comments', 1]])
    return { written, comment: stored }
  })
}

/** The counts as the answers show them, from `key → n`: every reaction and poll option of the config, 0 when none. */
function countsFrom(n: (key: string) => number, config: EngagementConfig, withVotes: boolean): Counts {
  const counts: Counts = {
    likes: n('likes'),
    reactions: Object.fromEntries(config.reactions.map((r) => [r, n(`reaction:${r}`)])),
    shares: n('shares'),
    comments: n('comments'),
    voters: n('voters'),
  }
  if (withVotes) {
    counts.votes = Object.fromEntries((config.poll?.options ?? []).map((o) => [o.id, n(`vote:${o.id}`)]))
  }
  return counts
}

/**
 * A campaign's counts: likes, each reaction, shares, published comments, voters and, when `withVotes`, the votes
 * for each option of the poll. Read from the count rows (a few, however many engaged).
 */
export async function countsOf(
  db: Db,
  siteId: string,
  campaignId: string,
  config: EngagementConfig,
  withVotes: boolean,
): Promise<Counts> {
  const rows = rowsOf<{ key: string; n: number | string }>(
    await db.execute(sql`
      select key, n from engagement_counts where site_id = ${siteId} and campaign_id = ${campaignId}`),
  )
  const byKey = new Map(rows.map((row) => [row.key, Number(row.n)]))
  return countsFrom((key) => byKey.get(key) ?? 0, config, withVotes)
}

/**
 * The same counts worked out from the rows themselves: what the count rows must always equal (the tests check it
 * after racing writes), and a repair's reference.
 */
export async function recountOf(db: Db, siteId: string, campaignId: string): Promise<Map<string, number>> {
  const of = sql`site_id = ${siteId} and campaign_id = ${campaignId}`
  const rows = rowsOf<{ key: string; n: number | string }>(
    await db.execute(sql`
      select 'likes' as key, count(*) as n from engagement_reactions where ${of} and kind = 'like'
      union all
      select 'reaction:' || reaction, count(*) from engagement_reactions where ${of} and kind = 'reaction'
        group by reaction
      union all
      select 'shares', count(*) from engagement_shares where ${of}
      union all
      select 'comments', count(*) from engagement_comments where ${of} and status = 'published'
      union all
      select 'voters', count(*) from engagement_votes where ${of}
      union all
      select 'vote:' || o.option, count(*) from engagement_votes v, jsonb_array_elements_text(v.options) as o(option)
        where v.site_id = ${siteId} and v.campaign_id = ${campaignId} group by o.option`),
  )
  return new Map(rows.map((row) => [row.key, Number(row.n)]))
}

/** The count rows of a campaign as `key → n`, leaving out keys at 0. */
export async function storedCounts(db: Db, siteId: string, campaignId: string): Promise<Map<string, number>> {
  const rows = rowsOf<{ key: string; n: number | string }>(
    await db.execute(sql`
      select key, n from engagement_counts where site_id = ${siteId} and campaign_id = ${campaignId} and n <> 0`),
  )
  return new Map(rows.map((row) => [row.key, Number(row.n)]))
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

/**
 * Moves a comment of one of these sites to a status; null when there is no such comment. The row is locked first,
 * so the published count moves by what the status really was.
 */
export async function moderate(db: Db, siteIds: string[], id: string, status: CommentStatus, at: Date) {
  if (siteIds.length === 0) return null
  return db.transaction(async (tx) => {
    const [before] = rowsOf<{ status: CommentStatus }>(
      await tx.execute(sql`
        select status from engagement_comments
        where id = ${id} and site_id = any(${sql.param(siteIds)}::uuid[])
        for update`),
    )
    if (!before) return null
    const [row] = rowsOf<RawComment>(
      await tx.execute(sql`
        update engagement_comments set status = ${status}, moderated_at = ${at.toISOString()}::timestamptz
        where id = ${id}
        returning ${commentColumns}`),
    )
    const moved = (status === 'published' ? 1 : 0) - (before.status === 'published' ? 1 : 0)
    const comment = commentOf(row!)
    await addCounts(tx, comment.siteId, comment.campaignId, [['comments', moved]])
    return comment
  })
}

/** Deletes comments (and takes the published ones off their campaigns' counts); returns how many went. */
export async function deleteComments(tx: Db, where: ReturnType<typeof sql>): Promise<number> {
  const gone = rowsOf<{ site_id: string; campaign_id: string; status: CommentStatus }>(
    await tx.execute(
      sql`delete from engagement_comments where ${where} returning site_id, campaign_id, status`,
    ),
  )
  const published = new Map<string, { siteId: string; n: number }>()
  for (const row of gone) {
    if (row.status !== 'published') continue
    const entry = published.get(row.campaign_id) ?? { siteId: row.site_id, n: 0 }
    entry.n--
    published.set(row.campaign_id, entry)
  }
  for (const campaignId of [...published.keys()].sort()) {
    const { siteId, n } = published.get(campaignId)!
    await addCounts(tx, siteId, campaignId, [['comments', n]])
  }
  return gone.length
}

export async function deleteComment(db: Db, siteIds: string[], id: string): Promise<boolean> {
  if (siteIds.length === 0) return false
  const n = await db.transaction((txn) =>
    deleteComments(txn, sql`id = ${id} and site_id = any(${sql.param(siteIds)}::uuid[])`),
  )
  return n > 0
}
