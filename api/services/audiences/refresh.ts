import { sql } from 'drizzle-orm'
import { type Db, rowsOf } from '../../ports/database'
import type { ProfileUpdate } from '../../ports/kv'
import { enqueueEvent } from '../followup/webhooks'
import type { Services } from '../index'
import { candidatesFor, membersAmong } from './evaluate'
import { type AudienceTypes, type KeptAudience, keptAudiences } from './kept'
import { closeAudience, lockCandidates, openMemberships, settle, syncProfiles } from './membership'
import { mergeUpdates } from './projection'

/** Visitors the scheduled run evaluates per query (and locks per step) of one audience. */
const chunkSize = 500
/** Changes one `audience.changed` delivery carries at most (entries and exits together). */
export const maxChangesPerDelivery = 500
/** Changes one run reports per site at most; the rest go with the next run. */
const maxChangesPerRun = 5_000

const textArray = (values: readonly string[]) => sql`${sql.param([...values])}::text[]`
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

export interface RefreshCounts {
  audiences: number
  entered: number
  exited: number
  deliveries: number
}

async function mirror(services: Services, siteId: string, updates: ProfileUpdate[]) {
  if (updates.length === 0) return
  await services.kv.setProfiles(updates).catch((error: unknown) =>
    services.log.error('profiles not mirrored to the key-value store', {
      siteId,
      error: error instanceof Error ? error.name : typeof error,
    }),
  )
}

/**
 * One audience's scheduled refresh, in one transaction holding its run row: skipped when a run at or after
 * `now` already did it (a second process, or the same run twice); otherwise the visitors whose window crossed
 * since the last run (or everyone the kind can admit, for a new or changed definition) are evaluated.
 */
async function refreshAudience(
  services: Services,
  siteId: string,
  kept: KeptAudience[],
  audience: KeptAudience,
  now: number,
): Promise<{ entered: number; exited: number; ran: boolean }> {
  const keptKeys = new Set(kept.map((a) => a.key))
  const updates: ProfileUpdate[] = []
  // Committed on its own: ingest inserts the same row on a first entry, and must never wait on this run.
  await services.db.execute(sql`
    insert into audience_runs (site_id, audience_key, definition, refreshed_at)
    values (${siteId}::uuid, ${audience.key}, '', 'epoch'::timestamptz)
    on conflict do nothing`)
  const result = await services.db.transaction(async (tx) => {
    const [run] = rowsOf<{ definition: string; refreshed_ms: number | string }>(
      await tx.execute(sql`
        select definition, (extract(epoch from refreshed_at) * 1000)::float8 as refreshed_ms from audience_runs
        where site_id = ${siteId}::uuid and audience_key = ${audience.key}
        for update`),
    )
    const refreshed = Number(run!.refreshed_ms)
    if (run!.definition === audience.definition && refreshed >= now)
      return { entered: 0, exited: 0, ran: false }
    const lastRun = run!.definition === audience.definition ? refreshed : undefined
    const visitors = [...(await candidatesFor(tx, siteId, audience, lastRun, now))].sort(byId)
    let entered = 0
    let exited = 0
    for (let i = 0; i < visitors.length; i += chunkSize) {
      const chunk = visitors.slice(i, i + chunkSize)
      const candidates = await lockCandidates(tx, siteId, chunk)
      const open = await openMemberships(tx, siteId, chunk, [audience.key])
      const members = await membersAmong(tx, siteId, audience, candidates, now)
      const changes = await settle(tx, siteId, audience.key, chunk, members, open.get(audience.key), now)
      entered += changes.entered.length
      exited += changes.exited.length
      const changed = [...changes.entered, ...changes.exited]
      if (changed.length > 0) mergeUpdates(updates, await syncProfiles(tx, siteId, changed, keptKeys))
    }
    await tx.execute(sql`
      update audience_runs set definition = ${audience.definition}, refreshed_at = ${new Date(now).toISOString()}::timestamptz
      where site_id = ${siteId}::uuid and audience_key = ${audience.key}`)
    return { entered, exited, ran: true }
  })
  await mirror(services, siteId, updates)
  return result
}

/** An audience the site no longer keeps (its campaign paused, its segment deleted): every member leaves. */
async function dropAudience(
  services: Services,
  siteId: string,
  key: string,
  keptKeys: Set<string>,
  now: number,
) {
  let updates: ProfileUpdate[] = []
  const exited = await services.db.transaction(async (tx) => {
    // Closing takes the open rows' locks: a second process closing at once finds none left open.
    const closed = await closeAudience(tx, siteId, key, now)
    updates = await syncProfiles(tx, siteId, closed, keptKeys, new Set([key]))
    await tx.execute(sql`delete from audience_runs where site_id = ${siteId}::uuid and audience_key = ${key}`)
    return closed.length
  })
  await mirror(services, siteId, updates)
  return exited
}

interface ChangeRow {
  id: string
  audience_key: string
  anonymous_id: string
  entered_ms: number | string
  exited_ms: number | string | null
  notified: number
}

const isoOf = (ms: number | string) => new Date(Number(ms)).toISOString()

/**
 * The `audience.changed` webhook: the entries and exits not yet reported, per audience, in deliveries of at
 * most `maxChangesPerDelivery` changes, each row marked reported in the same transaction (so a second run, or a
 * second process, sends nothing again). A site without such a webhook has its changes marked all the same.
 */
export async function notifyChanges(
  db: Db,
  siteId: string,
  kept: KeptAudience[],
  now: number,
): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = rowsOf<ChangeRow>(
      await tx.execute(sql`
        select id, audience_key, anonymous_id, notified,
          (extract(epoch from entered_at) * 1000)::float8 as entered_ms,
          (extract(epoch from exited_at) * 1000)::float8 as exited_ms
        from audience_memberships
        where site_id = ${siteId}::uuid and notified < 2 and (notified = 0 or exited_at is not null)
        order by audience_key, entered_at, id
        limit ${maxChangesPerRun}
        for update skip locked`),
    )
    if (rows.length === 0) return 0
    const byKey = new Map<string, { entered: object[]; exited: object[] }>()
    for (const row of rows) {
      const lists = byKey.get(row.audience_key) ?? { entered: [], exited: [] }
      byKey.set(row.audience_key, lists)
      if (Number(row.notified) === 0)
        lists.entered.push({ anonymousId: row.anonymous_id, at: isoOf(row.entered_ms) })
      if (row.exited_ms !== null)
        lists.exited.push({ anonymousId: row.anonymous_id, at: isoOf(row.exited_ms) })
    }
    const described = new Map(kept.map((audience) => [audience.key, audience]))
    let deliveries = 0
    for (const [key, { entered, exited }] of byKey) {
      const audience = described.get(key)
      const about = {
        key,
        ...(audience?.segmentId ? { id: audience.segmentId } : {}),
        ...(audience?.campaignId ? { campaignId: audience.campaignId } : {}),
      }
      const changes = [
        ...entered.map((change) => ({ change, list: 'entered' as const })),
        ...exited.map((change) => ({ change, list: 'exited' as const })),
      ]
      for (let i = 0; i < changes.length; i += maxChangesPerDelivery) {
        const part = changes.slice(i, i + maxChangesPerDelivery)
        const data = {
          audience: about,
          entered: part.filter((c) => c.list === 'entered').map((c) => c.change),
          exited: part.filter((c) => c.list === 'exited').map((c) => c.change),
        }
        deliveries += (await enqueueEvent(tx, siteId, 'audience.changed', data, now)).length
      }
    }
    await tx.execute(sql`
      update audience_memberships set notified = case when exited_at is null then 1 else 2 end
      where id = any(${sql.param(rows.map((row) => row.id))}::uuid[])`)
    return deliveries
  })
}

/** The sites with anything to keep or to drop: saved audiences, active campaigns of audience types, past runs. */
async function sitesToRefresh(db: Db, types: AudienceTypes): Promise<string[]> {
  const campaignSites = types.types.length
    ? sql`union select site_id from campaigns where status = 'active' and type = any(${textArray(types.types)})`
    : sql``
  const rows = rowsOf<{ site_id: string }>(
    await db.execute(sql`
      select site_id from segments
      ${campaignSites}
      union select site_id from audience_runs
      union select distinct site_id from audience_memberships where notified < 2 and (notified = 0 or exited_at is not null)`),
  )
  return rows.map((row) => row.site_id).sort(byId)
}

/**
 * The scheduled run: for every site, each kept audience refreshed (incrementally), audiences no longer kept
 * emptied, and the changes since the last report sent to the `audience.changed` webhooks.
 */
export async function refreshAudiences(services: Services): Promise<RefreshCounts> {
  const now = services.now()
  const counts: RefreshCounts = { audiences: 0, entered: 0, exited: 0, deliveries: 0 }
  for (const siteId of await sitesToRefresh(services.db, services.audiences)) {
    const kept = await keptAudiences(services.db, siteId, services.audiences)
    const keptKeys = new Set(kept.map((audience) => audience.key))
    const runs = rowsOf<{ audience_key: string }>(
      await services.db.execute(sql`
        select audience_key from audience_runs where site_id = ${siteId}::uuid
        union select distinct audience_key from audience_memberships
        where site_id = ${siteId}::uuid and exited_at is null`),
    )
    for (const { audience_key: key } of runs) {
      if (!keptKeys.has(key)) counts.exited += await dropAudience(services, siteId, key, keptKeys, now)
    }
    for (const audience of kept) {
      const done = await refreshAudience(services, siteId, kept, audience, now)
      if (done.ran) counts.audiences++
      counts.entered += done.entered
      counts.exited += done.exited
    }
    counts.deliveries += await notifyChanges(services.db, siteId, kept, now)
  }
  return counts
}
