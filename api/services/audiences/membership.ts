import { sql } from 'drizzle-orm'
import { type Db, rowsOf } from '../../ports/database'
import type { ProfileUpdate } from '../../ports/kv'
import type { Traits } from '../profile/segments'
import type { Candidate } from './evaluate'
import { isCampaignAudienceKey } from './kept'

const textArray = (values: readonly string[]) => sql`${sql.param([...values])}::text[]`
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
const jsonOf = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value)

export interface Changes {
  entered: string[]
  exited: string[]
}

/**
 * The visitors' profiles, locked in one order (by anonymous id, as ingest locks them, so the two queue rather
 * than deadlock): their traits and the segment keys they carry now. A visitor without a profile is absent.
 */
export async function lockCandidates(
  tx: Db,
  siteId: string,
  visitors: string[],
): Promise<Map<string, LockedProfile>> {
  if (visitors.length === 0) return new Map()
  const rows = rowsOf<{ anonymous_id: string; traits: unknown; segments: unknown; sessions: number }>(
    await tx.execute(sql`
      select anonymous_id, traits, segments, sessions from visitor_profiles
      where site_id = ${siteId}::uuid and anonymous_id = any(${textArray([...visitors].sort(byId))})
      order by anonymous_id
      for update`),
  )
  return new Map(
    rows.map((row) => {
      const stored = jsonOf(row.segments) as string[]
      const traits = jsonOf(row.traits) as Traits
      return [row.anonymous_id, { traits, segments: new Set(stored), stored, sessions: Number(row.sessions) }]
    }),
  )
}

/** A locked profile: the candidate the evaluation changes, and its segments as stored, for the write after. */
export interface LockedProfile extends Candidate {
  stored: string[]
  sessions: number
}

/**
 * The profiles' segments with the audience keys replaced by `keysOf` (each visitor's open kept audiences): what
 * changed, as the store's updates. A saved audience's key is also what ingest's custom segments compute; the
 * engine's membership decides.
 */
export function profileUpdates(
  siteId: string,
  profiles: Map<string, LockedProfile>,
  keysOf: Map<string, string[]>,
  keptKeys: ReadonlySet<string>,
  droppedKeys: ReadonlySet<string> = new Set(),
): ProfileUpdate[] {
  const updates: ProfileUpdate[] = []
  for (const [visitor, profile] of profiles) {
    const current = profile.stored
    const base = current.filter(
      (key) => !keptKeys.has(key) && !droppedKeys.has(key) && !isCampaignAudienceKey(key),
    )
    const next = [...base, ...(keysOf.get(visitor) ?? []).filter((key) => keptKeys.has(key)).sort()]
    const same = new Set(current)
    if (next.length === same.size && next.every((key) => same.has(key))) continue
    updates.push({
      site: siteId,
      visitor,
      segments: next,
      traits: profile.traits,
      returning: profile.sessions > 1,
    })
  }
  return updates
}

/** Writes the updates' segments to the (locked) profile rows. */
export async function writeSegments(tx: Db, siteId: string, updates: ProfileUpdate[]): Promise<void> {
  if (updates.length === 0) return
  await tx.execute(sql`
    update visitor_profiles as p set segments = u.segments::jsonb
    from unnest(${textArray(updates.map((u) => u.visitor))},
      ${textArray(updates.map((u) => JSON.stringify(u.segments)))}) as u(anonymous_id, segments)
    where p.site_id = ${siteId}::uuid and p.anonymous_id = u.anonymous_id`)
}

/** The open memberships of `visitors`, by audience key (only `keys`, when given). */
export async function openMemberships(
  tx: Db,
  siteId: string,
  visitors: string[],
  keys?: readonly string[],
): Promise<Map<string, Set<string>>> {
  const open = new Map<string, Set<string>>()
  if (visitors.length === 0) return open
  const rows = rowsOf<{ anonymous_id: string; audience_key: string }>(
    await tx.execute(sql`
      select anonymous_id, audience_key from audience_memberships
      where site_id = ${siteId}::uuid and exited_at is null and anonymous_id = any(${textArray(visitors)})
        ${keys ? sql`and audience_key = any(${textArray(keys)})` : sql``}`),
  )
  for (const row of rows) {
    const set = open.get(row.audience_key)
    if (set) set.add(row.anonymous_id)
    else open.set(row.audience_key, new Set([row.anonymous_id]))
  }
  return open
}

/**
 * Writes the audience's entries and exits among `visitors` so that exactly `members` of them are in it (`open`:
 * those of them in it now): an entry opens a row at `now`, an exit closes the open one. Running it again with
 * the same answer writes nothing.
 */
export async function settle(
  tx: Db,
  siteId: string,
  key: string,
  visitors: string[],
  members: Set<string>,
  open: ReadonlySet<string> = new Set(),
  now: number,
): Promise<Changes> {
  const exited = visitors.filter((visitor) => open.has(visitor) && !members.has(visitor)).sort(byId)
  const entered = visitors.filter((visitor) => members.has(visitor) && !open.has(visitor)).sort(byId)
  const time = new Date(now).toISOString()
  if (exited.length > 0) {
    await tx.execute(sql`
      update audience_memberships set exited_at = ${time}::timestamptz
      where site_id = ${siteId}::uuid and audience_key = ${key} and exited_at is null
        and anonymous_id = any(${textArray(exited)})`)
  }
  if (entered.length > 0) {
    await tx.execute(sql`
      insert into audience_memberships (site_id, audience_key, anonymous_id, entered_at)
      select ${siteId}::uuid, ${key}, u.anonymous_id, ${time}::timestamptz
      from unnest(${textArray(entered)}) as u(anonymous_id)
      on conflict (site_id, audience_key, anonymous_id) where exited_at is null do nothing`)
    // The scheduled run finds every audience with members through its run row (a first run evaluates in full).
    await tx.execute(sql`
      insert into audience_runs (site_id, audience_key, definition, refreshed_at)
      values (${siteId}::uuid, ${key}, '', 'epoch'::timestamptz)
      on conflict do nothing`)
  }
  return { entered, exited }
}

/** Every open membership of an audience the site no longer keeps is closed at `now`; the visitors it closed. */
export async function closeAudience(tx: Db, siteId: string, key: string, now: number): Promise<string[]> {
  const rows = rowsOf<{ anonymous_id: string }>(
    await tx.execute(sql`
      update audience_memberships set exited_at = ${new Date(now).toISOString()}::timestamptz
      where site_id = ${siteId}::uuid and audience_key = ${key} and exited_at is null
      returning anonymous_id`),
  )
  return rows.map((row) => row.anonymous_id)
}

/**
 * The profiles of `visitors` carry the keys of the kept audiences they are open members of, and no other
 * audience key (a campaign audience or a saved audience's key that the engine dropped): the DB row and, through
 * what this returns, the key-value store serve reads. Only rows whose segments change are written.
 */
export async function syncProfiles(
  tx: Db,
  siteId: string,
  visitors: string[],
  keptKeys: ReadonlySet<string>,
  droppedKeys: ReadonlySet<string> = new Set(),
): Promise<ProfileUpdate[]> {
  if (visitors.length === 0) return []
  const sorted = [...new Set(visitors)].sort(byId)
  const profiles = await lockCandidates(tx, siteId, sorted)
  if (profiles.size === 0) return []
  const open = await openMemberships(tx, siteId, sorted)
  const keysOf = new Map<string, string[]>()
  for (const [key, members] of open) {
    for (const visitor of members) keysOf.set(visitor, [...(keysOf.get(visitor) ?? []), key])
  }
  const updates = profileUpdates(siteId, profiles, keysOf, keptKeys, droppedKeys)
  await writeSegments(tx, siteId, updates)
  return updates
}
