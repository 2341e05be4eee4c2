import { sql } from 'drizzle-orm'
import { defaultRetentionSettings, type RetentionSettings, retentionSettings } from '../../schema/retention'
import { type Db, rowsOf } from '../ports/database'
import type { PersonalData } from './personal-data'

const dayMs = 86_400_000

/** What one sweep removed. */
export interface SweepResult {
  /** Monthly partitions of events dropped whole: older than every site's retention. */
  partitionsDropped: string[]
  events: number
  /**
   * Visitor profiles, identities and recent views of visitors not seen for longer than events are kept, and
   * first exposures and audience stays that ended before then.
   */
  visitors: number
  leads: number
  mail: number
  webhookDeliveries: number
  /** False when the time budget ran out first: the next sweep goes on where this one stopped. */
  complete: boolean
}

export interface SweepOptions {
  /** Rows per delete statement: each is its own short transaction, so no delete holds locks for long. */
  batchSize?: number
  /** Wall-clock time (ms since epoch) after which no batch starts; what is left waits for the next sweep. */
  deadline?: number
  /** The promotion types' rows holding visitor data (services.personalData): each unlinked as events age out. */
  personalData?: readonly PersonalData[]
}

const monthOfPartition = /^events_p(\d{4})(\d{2})$/

/** The first instant after a monthly partition of events, from the name `ensureEventPartitions` gives it. */
function partitionEnd(name: string): number | null {
  const match = monthOfPartition.exec(name)
  if (!match) return null
  return Date.UTC(Number(match[1]), Number(match[2]), 1)
}

/** Each site's own settings, the defaults filled in where it has none. */
async function siteSettings(db: Db) {
  const rows = rowsOf<{ id: string; retention: unknown }>(
    await db.execute(sql`select id, retention from sites`),
  )
  return rows.map((row) => ({
    siteId: row.id,
    retention: retentionSettings.parse(
      typeof row.retention === 'string' ? JSON.parse(row.retention) : (row.retention ?? {}),
    ),
  }))
}

/**
 * Monthly partitions of events are shared by every site, so one goes whole only when all of it is older than
 * the longest any site keeps events: dropping it is instant and leaves no dead rows behind.
 */
async function dropSpentPartitions(db: Db, now: number, longestDays: number) {
  const cutoff = now - longestDays * dayMs
  const partitions = rowsOf<{ name: string }>(
    await db.execute(sql`
      select c.relname as name from pg_inherits i
      join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
      where p.relname = 'events' order by c.relname`),
  )
  const dropped: string[] = []
  for (const { name } of partitions) {
    const end = partitionEnd(name)
    if (end === null || end > cutoff) continue
    await db.execute(sql`drop table if exists ${sql.identifier(name)}`)
    dropped.push(name)
  }
  return dropped
}

/** Runs `step` (one delete of at most `limit` rows) until a batch deletes fewer or the deadline passes. */
async function inBatches(
  options: Required<Pick<SweepOptions, 'batchSize'>> & SweepOptions,
  clock: () => number,
  step: (limit: number) => Promise<number>,
): Promise<{ removed: number; complete: boolean }> {
  let removed = 0
  for (;;) {
    if (options.deadline !== undefined && clock() >= options.deadline) return { removed, complete: false }
    const n = await step(options.batchSize)
    removed += n
    if (n < options.batchSize) return { removed, complete: true }
  }
}

/**
 * One site's rows past its retention. Events go oldest first through the (site, ts) index; their ids stay in
 * `event_ids`, so an old batch sent again is still known and never counted twice in the rollups, which are kept.
 * A lead goes with every submission (cascade) once its last submit is older than the setting.
 */
function siteSteps(db: Db, siteId: string, retention: RetentionSettings, now: number) {
  const before = (days: number) => new Date(now - days * dayMs).toISOString()
  const eventsBefore = before(retention.eventsDays)
  const leadsBefore = before(retention.leadsDays)
  const mailBefore = before(retention.mailDays)
  const deliveriesBefore = before(retention.webhookDeliveriesDays)
  const count = async (query: ReturnType<typeof sql>) =>
    Number(rowsOf<{ n: number | string }>(await db.execute(query))[0]?.n ?? 0)
  return {
    events: (limit: number) =>
      count(sql`
        with doomed as (
          select id, ts from events
          where site_id = ${siteId} and ts < ${eventsBefore}::timestamptz
          order by ts limit ${limit}),
        gone as (
          delete from events e using doomed d
          where e.site_id = ${siteId} and e.ts = d.ts and e.id = d.id returning 1)
        select count(*) as n from gone`),
    leads: (limit: number) =>
      count(sql`
        with gone as (
          delete from leads where id in (
            select id from leads where site_id = ${siteId} and updated_at < ${leadsBefore}::timestamptz
            limit ${limit})
          returning 1)
        select count(*) as n from gone`),
    mail: (limit: number) =>
      count(sql`
        with gone as (
          delete from mail_outbox where id in (
            select id from mail_outbox where site_id = ${siteId} and created_at < ${mailBefore}::timestamptz
            limit ${limit})
          returning 1)
        select count(*) as n from gone`),
    // A visitor not seen for longer than the site keeps events: what ingest derived from those events goes too.
    profiles: (limit: number) =>
      count(sql`
        with gone as (
          delete from visitor_profiles where (site_id, anonymous_id) in (
            select site_id, anonymous_id from visitor_profiles
            where site_id = ${siteId} and last_seen_at < ${eventsBefore}::timestamptz
            limit ${limit})
          returning 1)
        select count(*) as n from gone`),
    identities: (limit: number) =>
      count(sql`
        with gone as (
          delete from identities where (site_id, anonymous_id) in (
            select site_id, anonymous_id from identities
            where site_id = ${siteId} and last_seen_at < ${eventsBefore}::timestamptz
            limit ${limit})
          returning 1)
        select count(*) as n from gone`),
    recentViews: (limit: number) =>
      count(sql`
        with gone as (
          delete from visitor_recent_views where (site_id, anonymous_id, url) in (
            select site_id, anonymous_id, url from visitor_recent_views
            where site_id = ${siteId} and viewed_at < ${eventsBefore}::timestamptz
            limit ${limit})
          returning 1)
        select count(*) as n from gone`),
    // A first exposure older than the events kept can no longer be read against what the visitor did after it.
    exposures: (limit: number) =>
      count(sql`
        with gone as (
          delete from exposures where (campaign_id, anonymous_id) in (
            select campaign_id, anonymous_id from exposures
            where site_id = ${siteId} and first_at < ${eventsBefore}::timestamptz
            limit ${limit})
          returning 1)
        select count(*) as n from gone`),
    // Audience stays that ended before events are kept: the size history reaches back as far as the events.
    audienceMemberships: (limit: number) =>
      count(sql`
        with gone as (
          delete from audience_memberships where id in (
            select id from audience_memberships
            where site_id = ${siteId} and exited_at < ${eventsBefore}::timestamptz
            limit ${limit})
          returning 1)
        select count(*) as n from gone`),
    // Each type's rows holding visitor data (likes, votes, comments…) that old lose their visitor.
    typed: (data: PersonalData) => async (limit: number) =>
      (await data.sweep?.(db, siteId, eventsBefore, limit)) ?? 0,
    webhookDeliveries: (limit: number) =>
      count(sql`
        with gone as (
          delete from webhook_deliveries where id in (
            select id from webhook_deliveries
            where webhook_id in (select id from webhooks where site_id = ${siteId})
              and created_at < ${deliveriesBefore}::timestamptz
            limit ${limit})
          returning 1)
        select count(*) as n from gone`),
  }
}

/**
 * The retention sweep: deletes each site's raw events (and the profile, identity and recent views of a visitor
 * not seen since), leads (with their submissions), mail and webhook deliveries older than its settings
 * (schema/retention.ts), in batches, and drops the monthly partitions of
 * events no site keeps any more. Rollups, reach and attribution credit stay, so analytics read the same
 * totals after it. Idempotent: a second run finds nothing; run on a timer (Node) or a cron (Workers).
 */
export async function sweepRetention(db: Db, now: number, options: SweepOptions = {}): Promise<SweepResult> {
  const settings = { batchSize: 5_000, ...options }
  const clock = () => Date.now()
  const sites = await siteSettings(db)
  // With no site yet there is nothing to keep, but the defaults are what a first site will start with.
  const longest = sites.length
    ? Math.max(...sites.map((site) => site.retention.eventsDays))
    : defaultRetentionSettings.eventsDays
  const result: SweepResult = {
    partitionsDropped: await dropSpentPartitions(db, now, longest),
    events: 0,
    visitors: 0,
    leads: 0,
    mail: 0,
    webhookDeliveries: 0,
    complete: true,
  }
  for (const { siteId, retention } of sites) {
    const steps = siteSteps(db, siteId, retention, now)
    const visitorSteps = [
      steps.profiles,
      steps.identities,
      steps.recentViews,
      steps.exposures,
      steps.audienceMemberships,
    ]
    for (const data of settings.personalData ?? []) if (data.sweep) visitorSteps.push(steps.typed(data))
    const ordered: [keyof SweepResult, (limit: number) => Promise<number>][] = [
      ['events', steps.events],
      ...visitorSteps.map((step) => ['visitors', step] as [keyof SweepResult, typeof step]),
      ['leads', steps.leads],
      ['mail', steps.mail],
      ['webhookDeliveries', steps.webhookDeliveries],
    ]
    for (const [counted, step] of ordered) {
      const { removed, complete } = await inBatches(settings, clock, step)
      ;(result[counted] as number) += removed
      if (!complete) return { ...result, complete: false }
    }
  }
  return result
}
