import { sql } from 'drizzle-orm'
import type { AttributionModel } from '../../../schema/attribution'
import { metricOf } from '../../core/kpis'
import { ReachSketch } from '../../core/sketch'
import { type Db, rowsOf } from '../../ports/database'
import { type StoredEvent, unknownVisitor } from '../../ports/events'

/** Stands for "no campaign" and "no variant" in rollup keys (page-level events, the site's visitors). */
export const none = '00000000-0000-0000-0000-000000000000'

/** Visitors who saw a campaign this many times or more share the last bucket of its frequency distribution. */
export const frequencyBuckets = 20

/** Credit for conversions under one attribution model rolls up as this metric (events under `metricOf`). */
export const creditMetric = (model: AttributionModel) => `credit:${model}`

const dayOf = (at: Date) => at.toISOString().slice(0, 10)
const hourOf = (at: Date) => `${at.toISOString().slice(0, 13)}:00:00Z`

/** One rollup increment before it is written: summed in memory per key, so a group writes each key once. */
export interface Increment {
  campaignId: string
  variantId: string
  at: Date
  metric: string
  n: number
  value: number
  device?: string | null
  country?: string | null
}

type Sums = Map<string, { key: string[]; n: number; value: number }>

function add(sums: Sums, key: string[], n: number, value: number) {
  const id = key.join('|')
  const sum = sums.get(id)
  if (sum) {
    sum.n += n
    sum.value += value
  } else sums.set(id, { key, n, value })
}

/** Keys in one order for every writer: two transactions adding to the same rows wait instead of deadlocking. */
const sorted = (sums: Sums) =>
  [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s)

const column = <T>(rows: T[], pick: (row: T) => unknown) => sql.param(rows.map(pick))

/**
 * Adds increments to the day, hour and dimension rollups: one statement per table, each key once, in key
 * order. Run inside the transaction that stored what is counted, so the rollups commit with the events.
 */
export async function addToRollups(tx: Db, siteId: string, increments: readonly Increment[]) {
  if (increments.length === 0) return
  const daily: Sums = new Map()
  const hourly: Sums = new Map()
  const dimensions: Sums = new Map()
  for (const inc of increments) {
    const day = dayOf(inc.at)
    add(daily, [inc.campaignId, inc.variantId, day, inc.metric], inc.n, inc.value)
    add(hourly, [inc.campaignId, inc.variantId, hourOf(inc.at), inc.metric], inc.n, inc.value)
    add(dimensions, [inc.campaignId, 'country', day, inc.country ?? 'unknown', inc.metric], inc.n, inc.value)
    add(dimensions, [inc.campaignId, 'device', day, inc.device ?? 'unknown', inc.metric], inc.n, inc.value)
  }
  const counts = (table: 'rollups_daily' | 'rollups_hourly', sums: Sums) => {
    const rows = sorted(sums)
    const [bucket, cast] = table === 'rollups_daily' ? ['day', 'date'] : ['hour', 'timestamptz']
    return sql`
      insert into ${sql.identifier(table)} as r (site_id, campaign_id, variant_id, ${sql.identifier(bucket)}, metric, n, value)
      select ${siteId}::uuid, u.campaign_id, u.variant_id, u.at::${sql.raw(cast)}, u.metric, u.n, u.value
      from unnest(
        ${column(rows, (r) => r.key[0])}::uuid[], ${column(rows, (r) => r.key[1])}::uuid[],
        ${column(rows, (r) => r.key[2])}::text[], ${column(rows, (r) => r.key[3])}::text[],
        ${column(rows, (r) => r.n)}::float8[], ${column(rows, (r) => r.value)}::float8[]
      ) as u(campaign_id, variant_id, at, metric, n, value)
      on conflict (site_id, campaign_id, variant_id, ${sql.identifier(bucket)}, metric)
      do update set n = r.n + excluded.n, value = r.value + excluded.value`
  }
  const rows = sorted(dimensions)
  // One round trip for the three tables: every writer runs the same statement, so they lock in one order.
  await tx.execute(sql`
    with daily as (${counts('rollups_daily', daily)}),
    hourly as (${counts('rollups_hourly', hourly)})
    insert into rollups_by_dimension as r (site_id, campaign_id, dimension, day, key, metric, n, value)
    select ${siteId}::uuid, u.campaign_id, u.dimension, u.day::date, u.key, u.metric, u.n, u.value
    from unnest(
      ${column(rows, (r) => r.key[0])}::uuid[], ${column(rows, (r) => r.key[1])}::text[],
      ${column(rows, (r) => r.key[2])}::text[], ${column(rows, (r) => r.key[3])}::text[],
      ${column(rows, (r) => r.key[4])}::text[], ${column(rows, (r) => r.n)}::float8[],
      ${column(rows, (r) => r.value)}::float8[]
    ) as u(campaign_id, dimension, day, key, metric, n, value)
    on conflict (site_id, campaign_id, dimension, day, key, metric)
    do update set n = r.n + excluded.n, value = r.value + excluded.value`)
}

const hexDigits = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** PostgreSQL's text form of bytea (`\\x…`): how an array of byte strings travels on either driver. */
function byteaHex(bytes: Uint8Array): string {
  let out = '\\x'
  for (const byte of bytes) out += hexDigits[byte]
  return out
}

/**
 * Merges visitors into the day sketches: one statement creates the missing rows and locks all of them in key
 * order (returning what they hold), the union is taken here, and a second statement writes them back.
 */
async function addToReach(
  tx: Db,
  siteId: string,
  visitors: Map<string, { key: string[]; ids: Set<string> }>,
) {
  if (visitors.size === 0) return
  const keys = [...visitors.keys()].sort()
  const empty = byteaHex(ReachSketch.empty().encode())
  const locked = rowsOf<{ campaign_id: string; variant_id: string; day: string; sketch: Uint8Array }>(
    await tx.execute(sql`
      insert into reach_daily as r (site_id, campaign_id, variant_id, day, sketch)
      select ${siteId}::uuid, u.campaign_id, u.variant_id, u.day::date, ${empty}::text::bytea
      from unnest(
        ${sql.param(keys.map((k) => visitors.get(k)!.key[0]))}::uuid[],
        ${sql.param(keys.map((k) => visitors.get(k)!.key[1]))}::uuid[],
        ${sql.param(keys.map((k) => visitors.get(k)!.key[2]))}::text[]
      ) as u(campaign_id, variant_id, day)
      on conflict (site_id, campaign_id, variant_id, day) do update set site_id = r.site_id
      returning campaign_id, variant_id, to_char(day, 'YYYY-MM-DD') as day, sketch`),
  )
  const merged = locked.map((row) => {
    const sketch = ReachSketch.decode(new Uint8Array(row.sketch))
    for (const id of visitors.get(`${row.campaign_id}|${row.variant_id}|${row.day}`)!.ids) sketch.add(id)
    return { ...row, sketch: byteaHex(sketch.encode()) }
  })
  await tx.execute(sql`
    update reach_daily as r set sketch = u.sketch::bytea
    from unnest(
      ${column(merged, (r) => r.campaign_id)}::uuid[], ${column(merged, (r) => r.variant_id)}::uuid[],
      ${column(merged, (r) => r.day)}::text[], ${column(merged, (r) => r.sketch)}::text[]
    ) as u(campaign_id, variant_id, day, sketch)
    where r.site_id = ${siteId}::uuid and r.campaign_id = u.campaign_id and r.variant_id = u.variant_id
      and r.day = u.day::date`)
}

/**
 * Counts each campaign's impressions per visitor and keeps the distribution (visitors by how many times they
 * saw it) in step: a visitor moving from 2 to 5 impressions leaves bucket 2 and joins bucket 5.
 */
async function addToFrequency(
  tx: Db,
  siteId: string,
  seen: Map<string, { campaignId: string; visitor: string; n: number }>,
) {
  if (seen.size === 0) return
  const rows = [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r)
  const after = rowsOf<{ campaign_id: string; anonymous_id: string; impressions: number }>(
    await tx.execute(sql`
      insert into campaign_visitors as v (site_id, campaign_id, anonymous_id, impressions)
      select ${siteId}::uuid, u.campaign_id, u.anonymous_id, u.n
      from unnest(
        ${column(rows, (r) => r.campaignId)}::uuid[], ${column(rows, (r) => r.visitor)}::text[],
        ${column(rows, (r) => r.n)}::int[]
      ) as u(campaign_id, anonymous_id, n)
      on conflict (campaign_id, anonymous_id) do update set impressions = v.impressions + excluded.impressions
      returning campaign_id, anonymous_id, impressions`),
  )
  const bucket = (n: number) => Math.min(n, frequencyBuckets)
  const moves: Sums = new Map()
  for (const row of after) {
    const now = Number(row.impressions)
    const before = now - seen.get(`${row.campaign_id}|${row.anonymous_id}`)!.n
    if (bucket(before) === bucket(now)) continue
    if (before > 0) add(moves, [row.campaign_id, String(bucket(before)).padStart(3, '0')], -1, 0)
    add(moves, [row.campaign_id, String(bucket(now)).padStart(3, '0')], 1, 0)
  }
  const deltas = sorted(moves).filter((m) => m.n !== 0)
  if (deltas.length === 0) return
  await tx.execute(sql`
    insert into frequency_histogram as h (site_id, campaign_id, impressions, visitors)
    select ${siteId}::uuid, u.campaign_id, u.impressions, u.visitors
    from unnest(
      ${column(deltas, (d) => d.key[0])}::uuid[], ${column(deltas, (d) => Number(d.key[1]))}::int[],
      ${column(deltas, (d) => d.n)}::int[]
    ) as u(campaign_id, impressions, visitors)
    on conflict (campaign_id, impressions) do update set visitors = h.visitors + excluded.visitors`)
}

/**
 * Everything analytics reads, brought up to date with newly stored events: counts by day, hour, device and
 * country; who was reached; how often each visitor saw each campaign; and the attribution credit their
 * conversions earned. Only new events may be passed (ingest passes what its insert returned), so a retried
 * batch adds nothing.
 */
export async function rollUpEvents(
  tx: Db,
  siteId: string,
  stored: readonly StoredEvent[],
  credited: readonly Increment[] = [],
) {
  if (stored.length === 0) return
  const increments: Increment[] = [...credited]
  const reach = new Map<string, { key: string[]; ids: Set<string> }>()
  const seen = new Map<string, { campaignId: string; visitor: string; n: number }>()
  const reached = (key: string[], visitor: string) => {
    const id = key.join('|')
    const entry = reach.get(id)
    if (entry) entry.ids.add(visitor)
    else reach.set(id, { key, ids: new Set([visitor]) })
  }
  for (const event of stored) {
    const at = event.timestamp
    const campaignId = event.campaignId ?? none
    const variantId = event.variantId ?? none
    increments.push({
      campaignId,
      variantId,
      at,
      metric: metricOf(event.name, event.props),
      n: 1,
      value: event.value ?? 0,
      device: event.device,
      country: event.country,
    })
    if (event.anonymousId === '' || event.anonymousId === unknownVisitor) continue
    reached([none, none, dayOf(at)], event.anonymousId)
    if (event.name === 'impression' && event.campaignId) {
      reached([campaignId, variantId, dayOf(at)], event.anonymousId)
      const id = `${campaignId}|${event.anonymousId}`
      const entry = seen.get(id)
      if (entry) entry.n++
      else seen.set(id, { campaignId, visitor: event.anonymousId, n: 1 })
    }
  }
  // The three first statements go out together (one round trip where the driver pipelines) and run in this
  // order, the order every writer locks in: the counts, each visitor's impressions, the sketches; then the
  // frequency distribution and the sketches' new values (rows already locked), once their reads are back.
  await Promise.all([
    addToRollups(tx, siteId, increments),
    addToFrequency(tx, siteId, seen),
    addToReach(tx, siteId, reach),
  ])
}
