import { type SQL, sql } from 'drizzle-orm'
import type { AudienceKind } from '../../../schema/audiences'
import type { CartRowLine } from '../../../schema/db'
import { type Db, rowsOf } from '../../ports/database'
import { conversionEvents } from '../active-campaigns'
import { eventNamesOf, segmentMatches, type Traits } from '../profile/segments'
import type { KeptAudience, SavedRule } from './kept'

const dayMs = 86_400_000
const at = (ms: number) => new Date(ms).toISOString()
const textArray = (values: readonly string[]) => sql`${sql.param([...values])}::text[]`

/** What the evaluation knows of a candidate: its profile's traits and the segment keys it carries now. */
export interface Candidate {
  traits: Traits
  segments: Set<string>
}

/**
 * True for a commerce event row naming any of `productIds` in its `contents`, or any event when the list is
 * empty (every product).
 */
function namesProduct(productIds: readonly string[]): SQL {
  if (productIds.length === 0) return sql`true`
  return sql`(case when jsonb_typeof(props->'contents') = 'array' then exists (
    select 1 from jsonb_array_elements(props->'contents') as line(item)
    where line.item->>'id' = any(${textArray(productIds)})) else false end)`
}

async function idsOf(tx: Db, query: SQL): Promise<Set<string>> {
  return new Set(rowsOf<{ anonymous_id: string }>(await tx.execute(query)).map((row) => row.anonymous_id))
}

/** Cart abandoners: an open cart (non-empty) last changed within the lookback, worth at least the minimum. */
async function cartAbandoners(
  tx: Db,
  siteId: string,
  visitors: string[],
  kind: Extract<AudienceKind, { kind: 'cart_abandoners' }>,
  now: number,
) {
  const rows = rowsOf<{ anonymous_id: string; lines: unknown }>(
    await tx.execute(sql`
      select anonymous_id, lines from carts
      where site_id = ${siteId}::uuid and anonymous_id = any(${textArray(visitors)})
        and changed_at > ${at(now - kind.lookbackDays * dayMs)}::timestamptz`),
  )
  const members = new Set<string>()
  for (const row of rows) {
    const lines = (typeof row.lines === 'string' ? JSON.parse(row.lines) : row.lines) as CartRowLine[]
    if (lines.length === 0) continue
    const value = lines.reduce((sum, line) => sum + line.quantity * (line.price ?? 0), 0)
    if (kind.minCartValue === undefined || value >= kind.minCartValue) members.add(row.anonymous_id)
  }
  return members
}

/** Viewers: enough views of the products within the lookback, and no purchase in it. */
function viewers(
  siteId: string,
  visitors: string[],
  kind: Extract<AudienceKind, { kind: 'viewers' }>,
  now: number,
) {
  return sql`
    select anonymous_id from events
    where site_id = ${siteId}::uuid and anonymous_id = any(${textArray(visitors)})
      and name in ('ViewContent', 'Purchase') and ts > ${at(now - kind.lookbackDays * dayMs)}::timestamptz
    group by anonymous_id
    having count(*) filter (where name = 'ViewContent' and ${namesProduct(kind.productIds)}) >= ${kind.minViews}
      and count(*) filter (where name = 'Purchase') = 0`
}

/** Past buyers: enough purchases of the products within the lookback. */
function pastBuyers(
  siteId: string,
  visitors: string[],
  kind: Extract<AudienceKind, { kind: 'past_buyers' }>,
  now: number,
) {
  return sql`
    select anonymous_id from events
    where site_id = ${siteId}::uuid and anonymous_id = any(${textArray(visitors)})
      and name = 'Purchase' and ts > ${at(now - kind.lookbackDays * dayMs)}::timestamptz
      and ${namesProduct(kind.productIds)}
    group by anonymous_id
    having count(*) >= ${kind.minOrders}`
}

/** Lapsed: a profile (so seen before) not seen for the inactive days; optionally only those who bought. */
function lapsed(
  siteId: string,
  visitors: string[],
  kind: Extract<AudienceKind, { kind: 'lapsed' }>,
  now: number,
) {
  return sql`
    select anonymous_id from visitor_profiles
    where site_id = ${siteId}::uuid and anonymous_id = any(${textArray(visitors)})
      and last_seen_at <= ${at(now - kind.inactiveDays * dayMs)}::timestamptz
      ${kind.buyersOnly ? sql`and purchases > 0` : sql``}`
}

/** A saved rule over the candidates' traits and their event counts within its lookback. */
async function savedMembers(
  tx: Db,
  siteId: string,
  visitors: string[],
  saved: SavedRule,
  candidates: Map<string, Candidate>,
  now: number,
) {
  const names = [...new Set(eventNamesOf(saved.rule))]
  const counts = new Map<string, number>()
  if (names.length > 0) {
    const rows = rowsOf<{ anonymous_id: string; name: string; n: number | string }>(
      await tx.execute(sql`
        select anonymous_id, name, count(*) as n from events
        where site_id = ${siteId}::uuid and anonymous_id = any(${textArray(visitors)})
          and name = any(${textArray(names)}) and ts >= ${at(now - saved.lookbackDays * dayMs)}::timestamptz
        group by anonymous_id, name`),
    )
    for (const row of rows) counts.set(`${row.anonymous_id}\n${row.name}`, Number(row.n))
  }
  const members = new Set<string>()
  for (const visitor of visitors) {
    const traits = candidates.get(visitor)?.traits ?? {}
    const countOf = (name: string) => counts.get(`${visitor}\n${name}`) ?? 0
    if (segmentMatches(saved.rule, traits, countOf)) members.add(visitor)
  }
  return members
}

/** Visitors with a conversion (Purchase and the other standard ones) within the last `days`. */
function converted(siteId: string, visitors: string[], days: number, now: number) {
  return sql`
    select distinct anonymous_id from events
    where site_id = ${siteId}::uuid and anonymous_id = any(${textArray(visitors)})
      and name = any(${textArray(conversionEvents)}) and ts > ${at(now - days * dayMs)}::timestamptz`
}

/**
 * Who among `visitors` (the candidates, each with a profile) is in the audience at `now`: its kind, then the
 * exclusions on top. Reads stored events, carts and profiles inside the caller's transaction.
 */
export async function membersAmong(
  tx: Db,
  siteId: string,
  audience: KeptAudience,
  candidates: Map<string, Candidate>,
  now: number,
): Promise<Set<string>> {
  const visitors = [...candidates.keys()]
  if (visitors.length === 0) return new Set()
  const kind = audience.audience.audience
  let members: Set<string>
  if (kind.kind === 'cart_abandoners') members = await cartAbandoners(tx, siteId, visitors, kind, now)
  else if (kind.kind === 'viewers') members = await idsOf(tx, viewers(siteId, visitors, kind, now))
  else if (kind.kind === 'past_buyers') members = await idsOf(tx, pastBuyers(siteId, visitors, kind, now))
  else if (kind.kind === 'lapsed') members = await idsOf(tx, lapsed(siteId, visitors, kind, now))
  else if (audience.saved) members = await savedMembers(tx, siteId, visitors, audience.saved, candidates, now)
  else members = new Set()
  const { convertedWithinDays, segments } = audience.audience.exclude
  if (members.size > 0 && segments.length > 0) {
    for (const visitor of members) {
      const carried = candidates.get(visitor)?.segments
      if (carried && segments.some((key) => key !== audience.key && carried.has(key))) members.delete(visitor)
    }
  }
  if (members.size > 0 && convertedWithinDays !== undefined) {
    const buyers = await idsOf(tx, converted(siteId, [...members], convertedWithinDays, now))
    for (const visitor of buyers) members.delete(visitor)
  }
  return members
}

/** A time window (from, to]; `from` undefined: everything up to `to`. */
interface Window {
  from?: number
  to: number
}

const within = (column: SQL, window: Window) =>
  window.from === undefined
    ? sql`${column} <= ${at(window.to)}::timestamptz`
    : sql`${column} > ${at(window.from)}::timestamptz and ${column} <= ${at(window.to)}::timestamptz`

const shifted = (window: Window, days: number): Window => ({
  from: window.from === undefined ? undefined : window.from - days * dayMs,
  to: window.to - days * dayMs,
})

function eventsIn(siteId: string, names: readonly string[], window: Window) {
  return sql`select distinct anonymous_id from events
    where site_id = ${siteId}::uuid and name = any(${textArray(names)}) and ${within(sql`ts`, window)}
      and anonymous_id <> ''`
}

/**
 * The visitors whose membership may have changed with the clock alone between the last run and `now`: those
 * with an event (or a cart, or a last visit) whose time plus the audience's window falls in (last run, now].
 * With no last run (a new or changed definition), everyone the kind can admit. Current members always join
 * the full evaluation, so a changed definition also removes.
 */
export async function candidatesFor(
  tx: Db,
  siteId: string,
  audience: KeptAudience,
  lastRun: number | undefined,
  now: number,
): Promise<Set<string>> {
  const full = lastRun === undefined
  const window: Window = { from: lastRun, to: now }
  const kind = audience.audience.audience
  const queries: SQL[] = []
  if (kind.kind === 'cart_abandoners') {
    const crossed = shifted(window, kind.lookbackDays)
    queries.push(
      full
        ? sql`select anonymous_id from carts where site_id = ${siteId}::uuid
            and changed_at > ${at(now - kind.lookbackDays * dayMs)}::timestamptz`
        : sql`select anonymous_id from carts where site_id = ${siteId}::uuid and ${within(sql`changed_at`, crossed)}`,
    )
  } else if (kind.kind === 'viewers' || kind.kind === 'past_buyers') {
    const names = kind.kind === 'viewers' ? ['ViewContent', 'Purchase'] : ['Purchase']
    queries.push(
      full
        ? sql`select distinct anonymous_id from events where site_id = ${siteId}::uuid
            and name = any(${textArray(names)}) and ts > ${at(now - kind.lookbackDays * dayMs)}::timestamptz
            and anonymous_id <> ''`
        : eventsIn(siteId, names, shifted(window, kind.lookbackDays)),
    )
  } else if (kind.kind === 'lapsed') {
    queries.push(sql`select anonymous_id from visitor_profiles where site_id = ${siteId}::uuid
      and ${within(sql`last_seen_at`, shifted(window, kind.inactiveDays))}`)
  } else if (audience.saved) {
    const names = [...new Set(eventNamesOf(audience.saved.rule))]
    if (full) queries.push(sql`select anonymous_id from visitor_profiles where site_id = ${siteId}::uuid`)
    else if (names.length > 0)
      queries.push(eventsIn(siteId, names, shifted(window, audience.saved.lookbackDays)))
  }
  const { convertedWithinDays, segments } = audience.audience.exclude
  if (!full && convertedWithinDays !== undefined) {
    queries.push(eventsIn(siteId, conversionEvents, shifted(window, convertedWithinDays)))
  }
  if (!full && segments.length > 0) {
    // Entering or leaving an excluding audience since the last run (saved and campaign audiences' own changes).
    queries.push(sql`select anonymous_id from audience_memberships where site_id = ${siteId}::uuid
      and audience_key = any(${textArray(segments)})
      and (${within(sql`entered_at`, window)} or (exited_at is not null and ${within(sql`exited_at`, window)}))`)
  }
  if (full) {
    queries.push(sql`select anonymous_id from audience_memberships where site_id = ${siteId}::uuid
      and audience_key = ${audience.key} and exited_at is null`)
  }
  const found = new Set<string>()
  for (const query of queries) for (const id of await idsOf(tx, query)) found.add(id)
  return found
}
