import { and, asc, eq, gte, inArray, sql } from 'drizzle-orm'
import { events, segments, type visitorProfiles } from '../../../schema/db'
import { limits } from '../../../schema/limits'
import type { SegmentRule } from '../../../schema/segments'
import { kpiEvents } from '../../core/kpis'
import { type Db, rowsOf } from '../../ports/database'
import { type StoredEvent, unknownVisitor } from '../../ports/events'
import type { ProfileUpdate } from '../../ports/kv'
import { isCampaignAudienceKey } from '../audiences/kept'
import { builtInSegmentsOf, eventNamesOf, segmentMatches, type Traits } from './segments'

export type ProfileRow = typeof visitorProfiles.$inferSelect
/** The profile without what is derived from it (segments) or bookkeeping (updatedAt). */
export type Profile = Omit<ProfileRow, 'segments' | 'updatedAt' | 'traits'> & { traits: Traits }

export const maxTraits = 50
/** The keys a trait condition can name; any other key could never be targeted, so it is not kept. */
const traitKey = /^[A-Za-z0-9_.-]{1,64}$/
const dayMs = 86_400_000

/**
 * Actions beyond viewing and clicking: the engagement widgets' actions, form submits, and the Meta standard
 * events that show intent. Purchase is counted on its own; ViewContent is a view, like a page.
 */
export const engagementEvents: ReadonlySet<string> = new Set([
  ...kpiEvents.reactions,
  kpiEvents.share,
  kpiEvents.comment,
  kpiEvents.vote,
  kpiEvents.rsvp,
  'submit',
  'AddPaymentInfo',
  'AddToCart',
  'AddToWishlist',
  'CompleteRegistration',
  'Contact',
  'CustomizeProduct',
  'Donate',
  'FindLocation',
  'InitiateCheckout',
  'Lead',
  'Schedule',
  'Search',
  'StartTrial',
  'SubmitApplication',
  'Subscribe',
])

/** Clipped to what a trait condition can compare, never inside a surrogate pair (jsonb refuses a lone one). */
function clip(value: string): string {
  if (value.length <= limits.shortText) return value
  const end = /[\uD800-\uDBFF]/.test(value[limits.shortText - 1]!) ? limits.shortText - 1 : limits.shortText
  return value.slice(0, end)
}

function scalar(value: unknown): string | number | boolean | undefined {
  if (typeof value === 'string') return clip(value)
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return value
  return undefined
}

/**
 * Identify props over the traits so far: scalars only, strings clipped, keys a condition can name. Once there
 * are `maxTraits` keys, known keys still change but new ones are dropped, so a page cannot grow a profile.
 */
export function mergeTraits(current: Record<string, unknown>, props: Record<string, unknown>): Traits {
  const merged = new Map<string, string | number | boolean>()
  for (const [key, value] of Object.entries(current)) {
    const kept = scalar(value)
    if (kept !== undefined && merged.size < maxTraits) merged.set(key, kept)
  }
  for (const [key, value] of Object.entries(props)) {
    const kept = scalar(value)
    if (kept === undefined || !traitKey.test(key)) continue
    if (merged.has(key) || merged.size < maxTraits) merged.set(key, kept)
  }
  // fromEntries defines own properties, so a key like __proto__ stays a plain trait.
  return Object.fromEntries(merged)
}

/**
 * The profile after one visitor's newly stored events, taken in time order. A session counts once, when its
 * first event is no earlier than anything seen before: a straggler from an old session, arriving late, is not
 * a new visit. Starting one moves `previousVisitAt` to when the visitor was last seen before it.
 */
export function applyEvents(
  siteId: string,
  anonymousId: string,
  existing: Omit<ProfileRow, 'segments' | 'updatedAt'> | undefined,
  stored: StoredEvent[],
): Profile {
  const ordered = [...stored].sort((a, b) => +a.timestamp - +b.timestamp)
  const first = ordered[0]!.timestamp
  const profile: Profile = {
    siteId,
    anonymousId,
    userId: existing?.userId ?? null,
    firstSeenAt: existing && existing.firstSeenAt < first ? existing.firstSeenAt : first,
    lastSeenAt: existing?.lastSeenAt ?? first,
    previousVisitAt: existing?.previousVisitAt ?? null,
    lastSessionId: existing?.lastSessionId ?? null,
    sessions: existing?.sessions ?? 0,
    pageViews: existing?.pageViews ?? 0,
    clicks: existing?.clicks ?? 0,
    engagements: existing?.engagements ?? 0,
    purchases: existing?.purchases ?? 0,
    revenue: existing?.revenue ?? 0,
    traits: mergeTraits(existing?.traits ?? {}, {}),
  }
  let seen = existing?.lastSeenAt
  const started = new Set<string>()
  for (const event of ordered) {
    const session = event.sessionId
    const isLate = seen !== undefined && event.timestamp < seen
    if (session && session !== profile.lastSessionId && !started.has(session) && !isLate) {
      started.add(session)
      profile.sessions++
      profile.lastSessionId = session
      if (seen) profile.previousVisitAt = seen
    }
    if (!seen || event.timestamp > seen) seen = event.timestamp
    if (event.userId) profile.userId = event.userId
    if (event.name === 'page') profile.pageViews++
    else if (event.name === 'click') profile.clicks++
    else if (event.name === 'Purchase') {
      profile.purchases++
      profile.revenue += event.value ?? 0
    } else if (engagementEvents.has(event.name)) profile.engagements++
    else if (event.name === 'identify' && event.props)
      profile.traits = mergeTraits(profile.traits, event.props)
  }
  profile.lastSeenAt = seen!
  return profile
}

interface CustomSegment {
  key: string
  rule: SegmentRule
  lookbackDays: number
}

type CountOf = (visitor: string, name: string, lookbackDays: number) => number

/**
 * One aggregate query for every event count the site's custom segments ask about: per visitor and event name,
 * one filtered count per lookback window in use. It runs inside the ingest transaction, so the batch's own
 * events are counted.
 */
async function eventCounts(
  tx: Db,
  siteId: string,
  visitors: string[],
  custom: CustomSegment[],
  now: number,
): Promise<CountOf> {
  const asking = custom.filter((segment) => eventNamesOf(segment.rule).length > 0)
  if (asking.length === 0) return () => 0
  const names = [...new Set(asking.flatMap((segment) => eventNamesOf(segment.rule)))]
  const lookbacks = [...new Set(asking.map((segment) => segment.lookbackDays))]
  const since = (days: number) => new Date(now - days * dayMs)
  const windows = Object.fromEntries(
    lookbacks.map((days) => [
      `d${days}`,
      sql<number>`count(*) filter (where ${events.timestamp} >= ${since(days).toISOString()}::timestamptz)`.mapWith(
        Number,
      ),
    ]),
  )
  const rows = await tx
    .select({ anonymousId: events.anonymousId, name: events.name, ...windows })
    .from(events)
    .where(
      and(
        eq(events.siteId, siteId),
        inArray(events.anonymousId, visitors),
        inArray(events.name, names),
        gte(events.timestamp, since(Math.max(...lookbacks))),
      ),
    )
    .groupBy(events.anonymousId, events.name)
  const counts = new Map(
    rows.map((row) => [`${row.anonymousId}\n${row.name}`, row as Record<string, unknown>]),
  )
  return (visitor, name, days) => Number(counts.get(`${visitor}\n${name}`)?.[`d${days}`] ?? 0)
}

/**
 * Folds newly stored events (never a retried one, so nothing is counted twice) into the visitors' profiles and
 * recomputes their segments, inside the caller's transaction. Returns what the key-value store should mirror
 * once that transaction has committed.
 */
/** A timestamp column as epoch milliseconds under its own name. */
const epochMs = (name: string) => sql.raw(`(extract(epoch from ${name}) * 1000)::float8 as ${name}`)

/** jsonb comes back parsed from postgres.js and PGlite alike; text (a driver set up otherwise) is parsed here. */
const jsonOf = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value)

export async function updateProfiles(
  tx: Db,
  siteId: string,
  stored: StoredEvent[],
  now: number,
): Promise<ProfileUpdate[]> {
  if (stored.length === 0) return []
  const byVisitor = new Map<string, StoredEvent[]>()
  for (const event of stored) {
    // A click whose link carried no visitor id, or a server event no page identified, is nobody's.
    if (event.anonymousId === '' || event.anonymousId === unknownVisitor) continue
    const list = byVisitor.get(event.anonymousId)
    if (list) list.push(event)
    else byVisitor.set(event.anonymousId, [event])
  }
  if (byVisitor.size === 0) return []
  // Missing rows are created first (an existing one is left alone: no new row version), then every row is
  // locked and read in one order (by anonymous id), so concurrent batches for the same visitors queue behind
  // each other instead of deadlocking or losing an update. The site's segments are read with them: the three
  // statements go out together and run one after the other (one round trip on a driver that pipelines), so the
  // lock sees the rows the insert created.
  const visitors = [...byVisitor.keys()].sort()
  const [created, lockedRows, custom] = await Promise.all([
    tx.execute(sql`
    insert into visitor_profiles (site_id, anonymous_id, first_seen_at, last_seen_at)
    select ${siteId}::uuid, u.anonymous_id, u.at::timestamptz, u.at::timestamptz
    from unnest(
      ${sql.param(visitors)}::text[],
      ${sql.param(visitors.map((visitor) => byVisitor.get(visitor)![0]!.timestamp.toISOString()))}::text[]
    ) as u(anonymous_id, at)
    on conflict (site_id, anonymous_id) do nothing
    returning anonymous_id`),
    tx.execute(sql`
    select site_id, anonymous_id, user_id, ${epochMs('first_seen_at')}, ${epochMs('last_seen_at')},
      ${epochMs('previous_visit_at')}, last_session_id, sessions, page_views, clicks, engagements, purchases,
      revenue, traits, segments, ${epochMs('updated_at')}
    from visitor_profiles
    where site_id = ${siteId}::uuid and anonymous_id = any(${sql.param(visitors)}::text[])
    order by anonymous_id
    for update`),
    tx
      .select({ key: segments.key, rule: segments.rule, lookbackDays: segments.lookbackDays })
      .from(segments)
      .where(eq(segments.siteId, siteId))
      .orderBy(asc(segments.key)),
  ])
  const fresh = new Set(rowsOf<{ anonymous_id: string }>(created).map((row) => row.anonymous_id))
  // Times come back as epoch milliseconds, the same on every driver and time zone, and become Dates here.
  const date = (value: unknown) => (value === null || value === undefined ? null : new Date(Number(value)))
  const locked = rowsOf<Record<string, unknown>>(lockedRows).map((row) => ({
    siteId: row.site_id as string,
    anonymousId: row.anonymous_id as string,
    userId: (row.user_id as string | null) ?? null,
    firstSeenAt: date(row.first_seen_at)!,
    lastSeenAt: date(row.last_seen_at)!,
    previousVisitAt: date(row.previous_visit_at),
    lastSessionId: (row.last_session_id as string | null) ?? null,
    sessions: Number(row.sessions),
    pageViews: Number(row.page_views),
    clicks: Number(row.clicks),
    engagements: Number(row.engagements),
    purchases: Number(row.purchases),
    revenue: Number(row.revenue),
    traits: jsonOf(row.traits) as Record<string, unknown>,
    segments: jsonOf(row.segments) as string[],
    updatedAt: date(row.updated_at)!,
  }))
  const current = locked
  const countOf = await eventCounts(tx, siteId, visitors, custom, now)

  const rows = current.map((row) => {
    const existing = fresh.has(row.anonymousId) ? undefined : row
    const profile = applyEvents(siteId, row.anonymousId, existing, byVisitor.get(row.anonymousId)!)
    const member = custom.filter((segment) =>
      segmentMatches(segment.rule, profile.traits, (name) =>
        countOf(profile.anonymousId, name, segment.lookbackDays),
      ),
    )
    // A campaign audience's key is the audience engine's to give and take (it runs later in the same batch).
    const audienceKeys = row.segments.filter(isCampaignAudienceKey)
    const keys = [
      ...builtInSegmentsOf(profile, now),
      ...member.map((segment) => segment.key),
      ...audienceKeys,
    ]
    return { ...profile, segments: keys, updatedAt: new Date(now) }
  })
  // The rows exist and are locked: this upsert is a bulk update of each to its computed values, one array per
  // column (a VALUES list for thousands of rows cost more CPU to build than the update takes to run).
  const column = <T>(pick: (row: (typeof rows)[number]) => T | null) =>
    sql.param(rows.map((row) => pick(row)))
  const time = (value: Date | null) => (value ? value.toISOString() : null)
  await tx.execute(sql`
    insert into visitor_profiles (site_id, anonymous_id, user_id, first_seen_at, last_seen_at, previous_visit_at,
      last_session_id, sessions, page_views, clicks, engagements, purchases, revenue, traits, segments, updated_at)
    select ${siteId}::uuid, u.anonymous_id, u.user_id, u.first_seen_at::timestamptz, u.last_seen_at::timestamptz,
      u.previous_visit_at::timestamptz, u.last_session_id, u.sessions, u.page_views, u.clicks, u.engagements,
      u.purchases, u.revenue, u.traits::jsonb, u.segments::jsonb, u.updated_at::timestamptz
    from unnest(
      ${column((r) => r.anonymousId)}::text[], ${column((r) => r.userId)}::text[],
      ${column((r) => time(r.firstSeenAt))}::text[], ${column((r) => time(r.lastSeenAt))}::text[],
      ${column((r) => time(r.previousVisitAt))}::text[], ${column((r) => r.lastSessionId)}::text[],
      ${column((r) => r.sessions)}::int[], ${column((r) => r.pageViews)}::int[], ${column((r) => r.clicks)}::int[],
      ${column((r) => r.engagements)}::int[], ${column((r) => r.purchases)}::int[],
      ${column((r) => r.revenue)}::float8[], ${column((r) => JSON.stringify(r.traits))}::text[],
      ${column((r) => JSON.stringify(r.segments))}::text[], ${column((r) => time(r.updatedAt))}::text[]
    ) as u(anonymous_id, user_id, first_seen_at, last_seen_at, previous_visit_at, last_session_id, sessions,
      page_views, clicks, engagements, purchases, revenue, traits, segments, updated_at)
    on conflict (site_id, anonymous_id) do update set
      user_id = excluded.user_id, first_seen_at = excluded.first_seen_at, last_seen_at = excluded.last_seen_at,
      previous_visit_at = excluded.previous_visit_at, last_session_id = excluded.last_session_id,
      sessions = excluded.sessions, page_views = excluded.page_views, clicks = excluded.clicks,
      engagements = excluded.engagements, purchases = excluded.purchases, revenue = excluded.revenue,
      traits = excluded.traits, segments = excluded.segments, updated_at = excluded.updated_at`)
  return rows.map((row) => ({
    site: siteId,
    visitor: row.anonymousId,
    segments: row.segments,
    traits: row.traits,
    returning: row.sessions > 1,
  }))
}
