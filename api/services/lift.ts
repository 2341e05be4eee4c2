import { sql } from 'drizzle-orm'
import { inGlobalHoldout } from '../core/bucket'
import type { ArmSums } from '../core/lift'
import { type Db, rowsOf } from '../ports/database'
import { conversionEvents } from './active-campaigns'

/**
 * The queries behind the lift readouts (api/core/lift.ts does the statistics). A visitor converted when one of
 * the conversion events (Purchase, Lead, …) came from their anonymous id after their first exposure and within
 * `windowMs` of it (the site's click attribution window); their revenue is those events' values.
 */

export interface Arms {
  exposed: ArmSums
  holdout: ArmSums
}

/** A campaign's arms, and the same sums per variant shown (the exposed arm's) and per day of first exposure. */
export interface CampaignArms extends Arms {
  exposedByVariant: Map<string, ArmSums>
  byDay: Map<string, Arms>
}

const add = (into: ArmSums, from: ArmSums) => {
  into.visitors += from.visitors
  into.converters += from.converters
  into.revenue += from.revenue
  into.revenueSquares += from.revenueSquares
}

export const emptyArm = (): ArmSums => ({ visitors: 0, converters: 0, revenue: 0, revenueSquares: 0 })
const conversionNames = sql.join(
  conversionEvents.map((name) => sql`${name}`),
  sql`, `,
)

/** Each visitor's conversions after `first_at` (a column of `visitors`), within the window, as `p.n`/`p.revenue`. */
const conversionsAfter = (siteId: string, windowMs: number) => sql`
  left join lateral (
    select count(*)::int as n, coalesce(sum(e.value), 0)::float8 as revenue from events e
    where e.site_id = ${siteId} and e.anonymous_id = visitors.anonymous_id and e.name in (${conversionNames})
      and e.ts >= visitors.first_at and e.ts < visitors.first_at + ${windowMs} * interval '1 millisecond'
  ) p on true`

/**
 * One campaign's visitors by arm whose first exposure falls in [from, to), with their conversions after it:
 * summed in the database, one row an arm. A campaign shown only to an audience (`audienceKey`) keeps, in both
 * arms alike, the visitors who were members when first exposed: serve checks membership for the shown arm in the
 * serving store, which the held-out arm's record never waits for, so the readout applies the same rule to both.
 */
export async function campaignArms(
  db: Db,
  siteId: string,
  campaignId: string,
  range: { from: Date; to: Date },
  windowMs: number,
  audienceKey?: string,
): Promise<CampaignArms> {
  const members = audienceKey
    ? sql`and exists (
          select 1 from audience_memberships m
          where m.site_id = ${siteId} and m.audience_key = ${audienceKey} and m.anonymous_id = exposures.anonymous_id
            and m.entered_at <= exposures.first_at and (m.exited_at is null or m.exited_at > exposures.first_at))`
    : sql``
  const rows = rowsOf<{
    arm: string
    variant_id: string | null
    day: string
    visitors: number | string
    converters: number | string
    revenue: number | string
    revenue_squares: number | string
  }>(
    await db.execute(sql`
      with visitors as (
        select anonymous_id, arm, variant_id, first_at from exposures
        where site_id = ${siteId} and campaign_id = ${campaignId}
          and first_at >= ${range.from.toISOString()}::timestamptz and first_at < ${range.to.toISOString()}::timestamptz
          ${members}
      )
      select visitors.arm, visitors.variant_id,
        to_char(date_trunc('day', visitors.first_at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as day,
        count(*)::int as visitors, count(*) filter (where p.n > 0)::int as converters,
        coalesce(sum(p.revenue), 0)::float8 as revenue, coalesce(sum(p.revenue * p.revenue), 0)::float8 as revenue_squares
      from visitors ${conversionsAfter(siteId, windowMs)}
      group by 1, 2, 3`),
  )
  const arms: CampaignArms = {
    exposed: emptyArm(),
    holdout: emptyArm(),
    exposedByVariant: new Map(),
    byDay: new Map(),
  }
  for (const row of rows) {
    if (row.arm !== 'exposed' && row.arm !== 'holdout') continue
    const sums: ArmSums = {
      visitors: Number(row.visitors),
      converters: Number(row.converters),
      revenue: Number(row.revenue),
      revenueSquares: Number(row.revenue_squares),
    }
    add(arms[row.arm], sums)
    const day = arms.byDay.get(row.day) ?? { exposed: emptyArm(), holdout: emptyArm() }
    arms.byDay.set(row.day, day)
    add(day[row.arm], sums)
    if (row.arm === 'exposed' && row.variant_id) {
      const variant = arms.exposedByVariant.get(row.variant_id) ?? emptyArm()
      arms.exposedByVariant.set(row.variant_id, variant)
      add(variant, sums)
    }
  }
  return arms
}

/**
 * The site as a whole against its global holdout, intent-to-treat: every visitor with a page view in
 * [from, to), from their first one there, in the holdout or not by their bucket (as serve puts them), with
 * their conversions after it. Reads one row a visitor (the bucket is worked out here, not in SQL).
 */
export async function siteArms(
  db: Db,
  siteId: string,
  globalHoldoutPercent: number,
  range: { from: Date; to: Date },
  windowMs: number,
): Promise<Arms> {
  const rows = rowsOf<{ anonymous_id: string; n: number | string; revenue: number | string }>(
    await db.execute(sql`
      with visitors as (
        select anonymous_id, min(ts) as first_at from events
        where site_id = ${siteId} and name = 'page'
          and ts >= ${range.from.toISOString()}::timestamptz and ts < ${range.to.toISOString()}::timestamptz
        group by anonymous_id
      )
      select visitors.anonymous_id, p.n, p.revenue from visitors ${conversionsAfter(siteId, windowMs)}`),
  )
  const arms: Arms = { exposed: emptyArm(), holdout: emptyArm() }
  for (const row of rows) {
    const arm = inGlobalHoldout(siteId, globalHoldoutPercent, row.anonymous_id) ? arms.holdout : arms.exposed
    const revenue = Number(row.revenue)
    arm.visitors++
    if (Number(row.n) > 0) arm.converters++
    arm.revenue += revenue
    arm.revenueSquares += revenue * revenue
  }
  return arms
}
