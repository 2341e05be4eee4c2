import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm'
import type { Context } from 'hono'
import { Hono } from 'hono'
import { z } from 'zod'
import { type AttributionModel, attributionModelQuery } from '../../schema/attribution'
import { attributions, campaigns, events, variants } from '../../schema/db'
import { sampleRatioMismatch } from '../engine/srm'
import type { AppEnv } from '../env'
import { ApiError } from '../errors'
import { parseQuery, pathId } from '../request'
import type { Services } from '../services'

const analyticsQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  interval: z.enum(['hour', 'day']).default('day'),
  model: attributionModelQuery,
})

const dayMs = 86_400_000
const maxRangeDays = 400

const counts = {
  impressions: sql<number>`count(*) filter (where ${events.name} = 'impression')`.mapWith(Number),
  viewableImpressions: sql<number>`count(*) filter (where ${events.name} = 'viewable')`.mapWith(Number),
  clicks: sql<number>`count(*) filter (where ${events.name} = 'click')`.mapWith(Number),
}
const reach =
  sql<number>`count(distinct ${events.anonymousId}) filter (where ${events.name} = 'impression')`.mapWith(
    Number,
  )

const credited = {
  conversions: sql<number>`coalesce(sum(${attributions.weight}), 0)`.mapWith(Number),
  revenue: sql<number>`coalesce(sum(${attributions.value}), 0)`.mapWith(Number),
}

/** Summed shares carry float noise (1/3 + 1/3 + 1/3); four decimals is finer than any report needs. */
const round4 = (n: number) => Math.round(n * 10_000) / 10_000

const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : 0)

type Loader = (c: Context<AppEnv>, id: string) => Promise<{ id: string }>

/** KPIs of one campaign read from its events; the analytics issue moves these onto rollups. */
export function analyticsRoutes(services: Services, loadCampaign: Loader) {
  const app = new Hono<AppEnv>()
  const db = services.db

  function range(c: Context<AppEnv>) {
    const query = parseQuery(c, analyticsQuery)
    // By default the last 30 whole days, today included: up to the start of tomorrow (UTC).
    const to = query.to ? Date.parse(query.to) : Math.floor(services.now() / dayMs + 1) * dayMs
    const from = query.from ? Date.parse(query.from) : to - 30 * dayMs
    if (from >= to)
      throw new ApiError('validation_failed', 'from: must be before to', [
        { path: 'from', message: 'must be before to' },
      ])
    if (to - from > maxRangeDays * dayMs) {
      throw new ApiError('validation_failed', `to: range is limited to ${maxRangeDays} days`, [
        { path: 'to', message: `at most ${maxRangeDays} days after from` },
      ])
    }
    return { from: new Date(from), to: new Date(to), interval: query.interval, model: query.model }
  }

  const scope = (campaignId: string, from: Date, to: Date) =>
    and(
      eq(events.campaignId, campaignId),
      inArray(events.name, ['impression', 'viewable', 'click']),
      gte(events.timestamp, from),
      lt(events.timestamp, to),
    )

  /** Conversions credited to the campaign under one model, by conversion time: fractional in multi-touch models. */
  const credit = (campaignId: string, model: AttributionModel, from: Date, to: Date) =>
    and(
      eq(attributions.campaignId, campaignId),
      eq(attributions.model, model),
      gte(attributions.conversionAt, from),
      lt(attributions.conversionAt, to),
    )

  app.get('/:id/analytics', async (c) => {
    const campaign = await loadCampaign(c, pathId(c))
    const { from, to, interval, model } = range(c)
    const where = scope(campaign.id, from, to)
    const bucket = sql<string>`to_char(date_trunc(${sql.raw(`'${interval}'`)}, ${events.timestamp} at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`
    const [totals] = await db
      .select({ ...counts, reach })
      .from(events)
      .where(where)
    const series = await db
      .select({ t: bucket, ...counts })
      .from(events)
      .where(where)
      .groupBy(bucket)
      .orderBy(bucket)
    const perVariant = await db
      .select({ variantId: events.variantId, ...counts, reach })
      .from(events)
      .where(where)
      .groupBy(events.variantId)
    const creditPerVariant = await db
      .select({ variantId: attributions.variantId, ...credited })
      .from(attributions)
      .where(credit(campaign.id, model, from, to))
      .groupBy(attributions.variantId)
    const names = await db
      .select({ id: variants.id, name: variants.name, weight: variants.weight })
      .from(variants)
      .where(eq(variants.campaignId, campaign.id))
      .orderBy(variants.position)
    const [settings] = await db
      .select({ experiment: campaigns.experiment })
      .from(campaigns)
      .where(eq(campaigns.id, campaign.id))
    const experiment = settings?.experiment ?? { holdoutPercent: 0 }
    const creditTotals = creditPerVariant.reduce(
      (sum, row) => ({ conversions: sum.conversions + row.conversions, revenue: sum.revenue + row.revenue }),
      { conversions: 0, revenue: 0 },
    )
    const visitorsPerVariant = names.map((v) => perVariant.find((p) => p.variantId === v.id)?.reach ?? 0)
    const t = totals ?? { impressions: 0, viewableImpressions: 0, clicks: 0, reach: 0 }
    return c.json({
      from: from.toISOString(),
      to: to.toISOString(),
      interval,
      model,
      totals: {
        impressions: t.impressions,
        viewableImpressions: t.viewableImpressions,
        viewableRate: rate(t.viewableImpressions, t.impressions),
        reach: t.reach,
        frequency: t.reach > 0 ? Math.round((t.impressions / t.reach) * 100) / 100 : 0,
        clicks: t.clicks,
        ctr: rate(t.clicks, t.impressions),
        // ROAS and CPA join these once campaigns have a cost.
        conversions: round4(creditTotals.conversions),
        revenue: round4(creditTotals.revenue),
      },
      series: series.map((row) => ({
        t: row.t,
        impressions: row.impressions,
        viewableImpressions: row.viewableImpressions,
        clicks: row.clicks,
      })),
      byVariant: names.map((v) => {
        const row = perVariant.find((p) => p.variantId === v.id)
        const impressions = row?.impressions ?? 0
        const earned = creditPerVariant.find((p) => p.variantId === v.id)
        return {
          variantId: v.id,
          name: v.name,
          impressions,
          viewableImpressions: row?.viewableImpressions ?? 0,
          reach: row?.reach ?? 0,
          clicks: row?.clicks ?? 0,
          ctr: rate(row?.clicks ?? 0, impressions),
          conversions: round4(earned?.conversions ?? 0),
          revenue: round4(earned?.revenue ?? 0),
        }
      }),
      // The split check compares visitors who saw each variant with the configured weights; a bandit moves
      // traffic on purpose, so it has none.
      experiment: {
        holdoutPercent: experiment.holdoutPercent,
        bandit: experiment.bandit ?? null,
        srm:
          names.length > 1 && !experiment.bandit
            ? sampleRatioMismatch(
                visitorsPerVariant,
                names.map((v) => v.weight),
              )
            : null,
      },
    })
  })

  app.get('/:id/reach', async (c) => {
    const campaign = await loadCampaign(c, pathId(c))
    const { from, to } = range(c)
    const [row] = await db
      .select({ impressions: counts.impressions, reach })
      .from(events)
      .where(scope(campaign.id, from, to))
    const impressions = row?.impressions ?? 0
    const people = row?.reach ?? 0
    return c.json({
      from: from.toISOString(),
      to: to.toISOString(),
      reach: people,
      impressions,
      frequency: people > 0 ? Math.round((impressions / people) * 100) / 100 : 0,
    })
  })

  return app
}
