import { sql } from 'drizzle-orm'
import type { AttributionModel } from '../../../schema/attribution'
import type { Metrics, Sum } from '../../core/kpis'
import { ReachSketch } from '../../core/sketch'
import { type Db, rowsOf } from '../../ports/database'
import { creditMetric, none } from './rollups'

export const dayMs = 86_400_000
export const hourMs = 3_600_000

/** A range of whole buckets: `from` inclusive, `to` exclusive, both on bucket boundaries (UTC). */
export interface Range {
  from: Date
  to: Date
  interval: 'hour' | 'day'
}

const day = (at: Date) => at.toISOString().slice(0, 10)

/** Every bucket of a range, as the `t` the series shows: `2026-11-29T00:00:00Z`. */
export function bucketsOf(range: Range): string[] {
  const step = range.interval === 'hour' ? hourMs : dayMs
  const buckets: string[] = []
  for (let at = +range.from; at < +range.to; at += step)
    buckets.push(`${new Date(at).toISOString().slice(0, 13)}:00:00Z`)
  return buckets
}

export interface MetricRow {
  /** The bucket, as in `bucketsOf`. */
  t: string
  variantId: string
  metric: string
  n: number
  value: number
}

/**
 * One campaign's (or, with the nil id, the site's page-level) rollup rows in a range: the day table for days,
 * the hour table for hours. Credit rows of other attribution models are left out.
 */
export async function metricRows(
  db: Db,
  siteId: string,
  campaignId: string,
  range: Range,
  model: AttributionModel,
): Promise<MetricRow[]> {
  const credit = creditMetric(model)
  const rows =
    range.interval === 'day'
      ? await db.execute(sql`
          select to_char(day, 'YYYY-MM-DD"T00:00:00Z"') as t, variant_id, metric, n, value from rollups_daily
          where site_id = ${siteId} and campaign_id = ${campaignId} and day >= ${day(range.from)}::date
            and day < ${day(range.to)}::date and (metric = ${credit} or metric not like 'credit:%')`)
      : await db.execute(sql`
          select to_char(hour at time zone 'UTC', 'YYYY-MM-DD"T"HH24":00:00Z"') as t, variant_id, metric, n, value
          from rollups_hourly
          where site_id = ${siteId} and campaign_id = ${campaignId} and hour >= ${range.from.toISOString()}::timestamptz
            and hour < ${range.to.toISOString()}::timestamptz and (metric = ${credit} or metric not like 'credit:%')`)
  return rowsOf<{ t: string; variant_id: string; metric: string; n: number; value: number }>(rows).map(
    (row) => ({
      t: row.t,
      variantId: row.variant_id,
      metric: row.metric,
      n: Number(row.n),
      value: Number(row.value),
    }),
  )
}

/** Sums rows into one metrics map per key (the whole range, a variant, a bucket …). */
export function sumBy<K>(rows: readonly MetricRow[], keyOf: (row: MetricRow) => K): Map<K, Map<string, Sum>> {
  const out = new Map<K, Map<string, Sum>>()
  for (const row of rows) {
    const key = keyOf(row)
    let metrics = out.get(key)
    if (!metrics) {
      metrics = new Map()
      out.set(key, metrics)
    }
    const sum = metrics.get(row.metric)
    if (sum) {
      sum.n += row.n
      sum.value += row.value
    } else metrics.set(row.metric, { n: row.n, value: row.value })
  }
  return out
}

export const emptyMetrics: Metrics = new Map()

/** The credit of one model in a metrics map, as a Sum. */
export const creditOf = (metrics: Metrics | undefined, model: AttributionModel): Sum =>
  metrics?.get(creditMetric(model)) ?? { n: 0, value: 0 }

/**
 * Who was reached over the whole UTC days a range touches: the union of the day sketches, for the campaign
 * (all variants), per variant and per day. A unique count over the range, never a sum of days.
 */
export async function reachOf(db: Db, siteId: string, campaignId: string, range: Range) {
  const fromDay = day(new Date(Math.floor(+range.from / dayMs) * dayMs))
  const toDay = day(new Date(Math.ceil(+range.to / dayMs) * dayMs))
  const rows = rowsOf<{ variant_id: string; day: string; sketch: Uint8Array }>(
    await db.execute(sql`
      select variant_id, to_char(day, 'YYYY-MM-DD') as day, sketch from reach_daily
      where site_id = ${siteId} and campaign_id = ${campaignId} and day >= ${fromDay}::date and day < ${toDay}::date`),
  )
  const total = ReachSketch.empty()
  const byVariant = new Map<string, ReachSketch>()
  const byDay = new Map<string, ReachSketch>()
  const union = (map: Map<string, ReachSketch>, key: string, sketch: ReachSketch) => {
    const existing = map.get(key)
    if (existing) existing.merge(sketch)
    else map.set(key, ReachSketch.empty().merge(sketch))
  }
  for (const row of rows) {
    const sketch = ReachSketch.decode(new Uint8Array(row.sketch))
    total.merge(sketch)
    union(byVariant, row.variant_id, sketch)
    union(byDay, `${row.day}T00:00:00Z`, sketch)
  }
  const count = (map: Map<string, ReachSketch>) => new Map([...map].map(([key, s]) => [key, s.count()]))
  return {
    total: total.count(),
    exact: total.exact,
    byVariant: count(byVariant),
    byDay: count(byDay),
  }
}

export type Reach = Awaited<ReturnType<typeof reachOf>>

/** The visitors of a site over a range (any event), from the site's own day sketches. */
export const visitorsOf = (db: Db, siteId: string, range: Range) => reachOf(db, siteId, none, range)

/** Per device class or country, the range's metric sums (whole days), credit of one model included. */
export async function dimensionRows(
  db: Db,
  siteId: string,
  campaignId: string,
  dimension: 'device' | 'country',
  range: Range,
  model: AttributionModel,
) {
  const fromDay = day(new Date(Math.floor(+range.from / dayMs) * dayMs))
  const toDay = day(new Date(Math.ceil(+range.to / dayMs) * dayMs))
  const credit = creditMetric(model)
  const rows = rowsOf<{ key: string; metric: string; n: number; value: number }>(
    await db.execute(sql`
      select key, metric, sum(n) as n, sum(value) as value from rollups_by_dimension
      where site_id = ${siteId} and campaign_id = ${campaignId} and dimension = ${dimension}
        and day >= ${fromDay}::date and day < ${toDay}::date and (metric = ${credit} or metric not like 'credit:%')
      group by key, metric`),
  )
  const out = new Map<string, Map<string, Sum>>()
  for (const row of rows) {
    let metrics = out.get(row.key)
    if (!metrics) {
      metrics = new Map()
      out.set(row.key, metrics)
    }
    metrics.set(row.metric, { n: Number(row.n), value: Number(row.value) })
  }
  return out
}

/** How many visitors saw the campaign once, twice, … over its life; the last bucket is "that many or more". */
export async function frequencyOf(db: Db, campaignId: string) {
  const rows = rowsOf<{ impressions: number; visitors: number }>(
    await db.execute(sql`
      select impressions, visitors from frequency_histogram
      where campaign_id = ${campaignId} and visitors > 0 order by impressions`),
  )
  return rows.map((row) => ({ impressions: Number(row.impressions), visitors: Number(row.visitors) }))
}
