import { sql } from 'drizzle-orm'
import { ReachSketch } from '../core/sketch'
import { type Db, rowsOf } from '../ports/database'
import { unknownVisitor } from '../ports/events'
import { frequencyBuckets, none } from '../services/analytics/rollups'

type Row = Record<string, unknown>

const keyed = (rows: Row[], key: (row: Row) => string, value: (row: Row) => string) =>
  new Map(rows.map((row) => [key(row), value(row)]))

function differences(label: string, expected: Map<string, string>, actual: Map<string, string>): string[] {
  const out: string[] = []
  // Credit taken back (re-attribution) can leave a row at zero: the same as no row.
  for (const [key, got] of actual) if (got === '0/0' && !expected.has(key)) actual.delete(key)
  for (const [key, want] of expected) {
    const got = actual.get(key)
    if (got !== want) out.push(`${label} ${key}: expected ${want}, rollup has ${got ?? 'nothing'}`)
  }
  for (const [key, got] of actual) if (!expected.has(key)) out.push(`${label} ${key}: unexpected ${got}`)
  return out
}

const num = (value: unknown) => String(Math.round(Number(value) * 1e6) / 1e6)

/**
 * Recomputes a site's rollups from its raw events and stored credit (attributions, event_credits), and lists
 * every way the rollups differ (empty when they agree): counts and values by day, hour, device and country;
 * reach per campaign, variant and day against exact distinct counts; the frequency distribution. For tests: it
 * scans raw events.
 */
export async function rollupMismatches(db: Db, siteId: string): Promise<string[]> {
  const q = async (query: ReturnType<typeof sql>) => rowsOf<Row>(await db.execute(query))
  const metric = sql`case when e.name = 'form_abandon' and jsonb_typeof(e.props->'field') = 'string'
    and length(e.props->>'field') <= 64 then 'form_abandon:' || (e.props->>'field') else e.name end`
  const found: string[] = []
  for (const [table, bucket, expr] of [
    ['rollups_daily', 'day', sql`to_char(e.ts at time zone 'UTC', 'YYYY-MM-DD')`],
    ['rollups_hourly', 'hour', sql`to_char(e.ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24')`],
  ] as const) {
    const format =
      bucket === 'day'
        ? sql`to_char(day, 'YYYY-MM-DD')`
        : sql`to_char(hour at time zone 'UTC', 'YYYY-MM-DD"T"HH24')`
    const expected = await q(sql`
      select coalesce(e.campaign_id, ${none}::uuid) as c, coalesce(e.variant_id, ${none}::uuid) as v, ${expr} as b,
        ${metric} as m, count(*) as n, sum(coalesce(e.value, 0)) as value
      from events e where e.site_id = ${siteId} group by 1, 2, 3, 4
      union all
      select a.campaign_id, coalesce(a.variant_id, ${none}::uuid),
        ${bucket === 'day' ? sql`to_char(a.conversion_at at time zone 'UTC', 'YYYY-MM-DD')` : sql`to_char(a.conversion_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24')`},
        'credit:' || a.model, sum(a.weight), sum(a.value)
      from attributions a where a.site_id = ${siteId} group by 1, 2, 3, 4
      union all
      select k.campaign_id, k.variant_id,
        ${bucket === 'day' ? sql`to_char(k.at at time zone 'UTC', 'YYYY-MM-DD')` : sql`to_char(k.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24')`},
        k.metric, sum(k.n), sum(k.value)
      from event_credits k where k.site_id = ${siteId} group by 1, 2, 3, 4`)
    const actual = await q(sql`
      select campaign_id as c, variant_id as v, ${format} as b, metric as m, n, value
      from ${sql.identifier(table)} where site_id = ${siteId}`)
    const key = (r: Row) => `${r.c}|${r.v}|${r.b}|${r.m}`
    const value = (r: Row) => `${num(r.n)}/${num(r.value)}`
    found.push(...differences(table, keyed(expected, key, value), keyed(actual, key, value)))
  }

  for (const dimension of ['device', 'country'] as const) {
    const column = sql.identifier(dimension)
    const expected = await q(sql`
      select coalesce(e.campaign_id, ${none}::uuid) as c, to_char(e.ts at time zone 'UTC', 'YYYY-MM-DD') as d,
        coalesce(e.${column}, 'unknown') as k, ${metric} as m, count(*) as n, sum(coalesce(e.value, 0)) as value
      from events e where e.site_id = ${siteId} group by 1, 2, 3, 4
      union all
      select k.campaign_id, to_char(k.at at time zone 'UTC', 'YYYY-MM-DD'), coalesce(k.${column}, 'unknown'),
        k.metric, sum(k.n), sum(k.value)
      from event_credits k where k.site_id = ${siteId} group by 1, 2, 3, 4`)
    const actual = await q(sql`
      select campaign_id as c, to_char(day, 'YYYY-MM-DD') as d, key as k, metric as m, n, value
      from rollups_by_dimension where site_id = ${siteId} and dimension = ${dimension} and metric not like 'credit:%'`)
    const key = (r: Row) => `${r.c}|${r.d}|${r.k}|${r.m}`
    const value = (r: Row) => `${num(r.n)}/${num(r.value)}`
    found.push(...differences(`by ${dimension}`, keyed(expected, key, value), keyed(actual, key, value)))
  }

  const people = sql`e.anonymous_id <> '' and e.anonymous_id <> ${unknownVisitor}`
  const reachExpected = await q(sql`
    select e.campaign_id as c, coalesce(e.variant_id, ${none}::uuid) as v,
      to_char(e.ts at time zone 'UTC', 'YYYY-MM-DD') as d, count(distinct e.anonymous_id) as n
    from events e where e.site_id = ${siteId} and e.name = 'impression' and e.campaign_id is not null and ${people}
    group by 1, 2, 3
    union all
    select ${none}::uuid, ${none}::uuid, to_char(e.ts at time zone 'UTC', 'YYYY-MM-DD'), count(distinct e.anonymous_id)
    from events e where e.site_id = ${siteId} and ${people} group by 3`)
  const sketches = await q(sql`
    select campaign_id as c, variant_id as v, to_char(day, 'YYYY-MM-DD') as d, sketch from reach_daily
    where site_id = ${siteId}`)
  const reachKey = (r: Row) => `${r.c}|${r.v}|${r.d}`
  found.push(
    ...differences(
      'reach',
      keyed(reachExpected, reachKey, (r) => num(r.n)),
      keyed(sketches, reachKey, (r) =>
        String(ReachSketch.decode(new Uint8Array(r.sketch as Uint8Array)).count()),
      ),
    ),
  )

  const histogramExpected = await q(sql`
    select c, least(n, ${frequencyBuckets}) as b, count(*) as visitors from (
      select e.campaign_id as c, e.anonymous_id, count(*) as n from events e
      where e.site_id = ${siteId} and e.name = 'impression' and e.campaign_id is not null and ${people}
      group by 1, 2) per group by 1, 2`)
  const histogram = await q(sql`
    select campaign_id as c, impressions as b, visitors from frequency_histogram
    where site_id = ${siteId} and visitors <> 0`)
  const histogramKey = (r: Row) => `${r.c}|${num(r.b)}`
  found.push(
    ...differences(
      'frequency',
      keyed(histogramExpected, histogramKey, (r) => num(r.visitors)),
      keyed(histogram, histogramKey, (r) => num(r.visitors)),
    ),
  )
  return found
}
