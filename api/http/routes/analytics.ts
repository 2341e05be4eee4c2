import { asc, eq } from 'drizzle-orm'
import type { Context } from 'hono'
import { Hono } from 'hono'
import { z } from 'zod'
import {
  type AttributionModel,
  attributionModelQuery,
  defaultAttributionSettings,
} from '../../../schema/attribution'
import { type CampaignAudience, campaignAudienceKey } from '../../../schema/audiences'
import type { CampaignType } from '../../../schema/campaign'
import { type campaigns, campaigns as campaignTable, sites, variants } from '../../../schema/db'
import { isStorableTime, unstorableTimeMessage } from '../../../schema/limits'
import { compareRates } from '../../core/compare'
import { toCsv } from '../../core/csv'
import { ApiError } from '../../core/errors'
import { kpisOf, type Metrics, round4 } from '../../core/kpis'
import { type LiftReadout, liftReadout, variantLift } from '../../core/lift'
import { sampleRatioMismatch } from '../../core/srm'
import type { Db } from '../../ports/database'
import { conversionEvents } from '../../services/active-campaigns'
import { discountsByCampaign } from '../../services/analytics/promo-codes'
import {
  bucketsOf,
  creditOf,
  dayMs,
  dimensionRows,
  emptyMetrics,
  frequencyOf,
  hourMs,
  metricRows,
  type Range,
  reachOf,
  sumBy,
  visitorsOf,
} from '../../services/analytics/read'
import { frequencyBuckets, none } from '../../services/analytics/rollups'
import { settingsOf } from '../../services/attribution'
import type { Services } from '../../services/index'
import { type Arms, campaignArms, emptyArm, siteArms } from '../../services/lift'
import { siteInScope } from '../auth/admin'
import type { AppEnv } from '../env'
import { parseQuery, pathId } from '../request'

/** A range's end: in the years PostgreSQL stores (no year 0000), so never a failed query. */
const rangeEnd = z.iso
  .datetime({ offset: true, abort: true })
  .refine(isStorableTime, unstorableTimeMessage)
  .optional()

export const rangeFields = {
  from: rangeEnd,
  to: rangeEnd,
  interval: z.enum(['hour', 'day']).default('day'),
  model: attributionModelQuery,
}

export const analyticsQuery = z.strictObject({
  ...rangeFields,
  groupBy: z.enum(['variant', 'device', 'country']).optional(),
  format: z.enum(['json', 'csv']).default('json'),
})

export const overviewQuery = z.strictObject({ ...rangeFields, siteId: z.uuid().optional() })

const maxDays = 400
const conversionNames: ReadonlySet<string> = new Set(conversionEvents)
const maxHours = 31 * 24

type CampaignRow = typeof campaigns.$inferSelect

/** The readout with the window it counted conversions in (the site's click attribution window). */
function readout(arms: Arms, holdoutPercent: number, windowDays: number, cost?: number | null) {
  const lift: LiftReadout & { windowDays: number } = {
    ...liftReadout(arms.exposed, arms.holdout, holdoutPercent, cost),
    windowDays,
  }
  return lift
}
type Loader = (c: Context<AppEnv>, id: string) => Promise<CampaignRow>

const rangeError = (path: string, message: string) =>
  new ApiError('validation_failed', `${path}: ${message}`, [{ path, message }])

/**
 * The range asked for, widened to whole buckets (UTC days, or hours with `interval=hour`): rollups count by
 * bucket, so that is what can be answered exactly. By default the last 30 days, today included.
 */
function rangeOf(query: { from?: string; to?: string; interval: 'hour' | 'day' }, now: number): Range {
  const step = query.interval === 'hour' ? hourMs : dayMs
  const to = Math.ceil((query.to ? Date.parse(query.to) : now + 1) / step) * step
  const from = Math.floor((query.from ? Date.parse(query.from) : to - 30 * dayMs) / step) * step
  if (from >= to) throw rangeError('from', 'must be before to')
  if (query.interval === 'day' && to - from > maxDays * dayMs) {
    throw rangeError('to', `at most ${maxDays} days after from`)
  }
  if (query.interval === 'hour' && to - from > maxHours * hourMs) {
    throw rangeError('to', `at most ${maxHours / 24} days after from with interval=hour`)
  }
  return { from: new Date(from), to: new Date(to), interval: query.interval }
}

/** The few numbers a breakdown row (a variant, a device, a country, a bucket) shows. */
function brief(metrics: Metrics | undefined, model: AttributionModel) {
  const m = metrics ?? emptyMetrics
  const n = (name: string) => m.get(name)?.n ?? 0
  const impressions = n('impression')
  const credit = creditOf(m, model)
  return {
    impressions,
    viewableImpressions: n('viewable'),
    clicks: n('click'),
    ctr: impressions > 0 ? round4(n('click') / impressions) : 0,
    conversions: round4(credit.n),
    revenue: round4(credit.value),
  }
}

/**
 * Campaign analytics, read from rollups that ingest keeps current (never from raw events): every type's KPIs
 * for a range, a series by hour or day, the variants, a breakdown by device or country, the frequency
 * distribution and the experiment readout. `format=csv` gives the series per variant as a spreadsheet.
 */
/** What a type's `analytics` is given: the range's rollup sums and the answer to add to, in place. */
export interface TypeAnalytics {
  db: Db
  campaign: { id: string; siteId: string; config: Record<string, unknown> }
  range: { from: Date; to: Date; interval: 'hour' | 'day' }
  metrics: { total: Metrics; byVariant: ReadonlyMap<string, Metrics>; byBucket: ReadonlyMap<string, Metrics> }
  answer: {
    totals: Record<string, unknown>
    series: ({ t: string } & Record<string, unknown>)[]
    byVariant: ({ variantId: string } & Record<string, unknown>)[]
  }
}

/** What a campaign's analytics asks of its type: its own KPIs added to the answer. */
export type AnalyzedTypes = Readonly<
  Partial<
    Record<
      CampaignType,
      {
        analytics?(input: TypeAnalytics): Promise<void>
        audience?(config: Record<string, unknown>): CampaignAudience | undefined
      }
    >
  >
>

export function analyticsRoutes(services: Services, types: AnalyzedTypes, loadCampaign: Loader) {
  const app = new Hono<AppEnv>()
  const db = services.db

  app.get('/:id/analytics', async (c) => {
    const campaign = await loadCampaign(c, pathId(c))
    const query = parseQuery(c, analyticsQuery)
    const range = rangeOf(query, services.now())
    const { model } = query
    const windowDays = (await settingsOf(db, campaign.siteId)).clickWindowDays
    const [rows, reach, variantRows, frequency, arms] = await Promise.all([
      metricRows(db, campaign.siteId, campaign.id, range, model),
      reachOf(db, campaign.siteId, campaign.id, range),
      db
        .select({ id: variants.id, name: variants.name, weight: variants.weight })
        .from(variants)
        .where(eq(variants.campaignId, campaign.id))
        .orderBy(asc(variants.position)),
      frequencyOf(db, campaign.id),
      campaignArms(
        db,
        campaign.siteId,
        campaign.id,
        range,
        windowDays * dayMs,
        types[campaign.type]?.audience?.(campaign.config as Record<string, unknown>)
          ? campaignAudienceKey(campaign.id)
          : undefined,
      ),
    ])
    const total = sumBy(rows, () => 'all').get('all') ?? emptyMetrics
    const perVariant = sumBy(rows, (row) => row.variantId)
    const perBucket = sumBy(rows, (row) => row.t)
    const perCell = sumBy(rows, (row) => `${row.t}|${row.variantId}`)
    const buckets = bucketsOf(range)

    if (query.format === 'csv') {
      const numbers = (b: ReturnType<typeof brief>) =>
        [b.impressions, b.viewableImpressions, b.clicks, b.ctr, b.conversions, b.revenue] as const
      const measures = [
        'impressions',
        'viewable_impressions',
        'clicks',
        'ctr',
        `conversions_${model}`,
        `revenue_${model}`,
      ]
      let header: string[]
      let lines: (string | number)[][]
      if (query.groupBy === 'device' || query.groupBy === 'country') {
        // Device and country are counted by day: one row per value over the range.
        const dims = await dimensionRows(db, campaign.siteId, campaign.id, query.groupBy, range, model)
        header = [query.groupBy, ...measures]
        lines = [...dims]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([key, m]) => [key, ...numbers(brief(m, model))])
      } else {
        header = ['t', 'variant_id', 'variant', ...measures]
        lines = buckets.flatMap((t) =>
          variantRows.map((v) => [t, v.id, v.name, ...numbers(brief(perCell.get(`${t}|${v.id}`), model))]),
        )
      }
      const name = `campaign-${campaign.id}-${range.from.toISOString().slice(0, 10)}.csv`
      return c.body(toCsv(header, lines), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${name}"`,
      })
    }

    const byVariant = variantRows.map((v) => {
      const b = brief(perVariant.get(v.id), model)
      const visitors = reach.byVariant.get(v.id) ?? 0
      return {
        variantId: v.id,
        name: v.name,
        ...b,
        reach: visitors,
        conversionRate: visitors > 0 ? round4(Math.min(1, b.conversions / visitors)) : 0,
      }
    })
    let groups: unknown[] | undefined
    if (query.groupBy === 'variant')
      groups = byVariant.map(({ variantId, ...rest }) => ({ key: variantId, ...rest }))
    else if (query.groupBy) {
      const dims = await dimensionRows(db, campaign.siteId, campaign.id, query.groupBy, range, model)
      groups = [...dims]
        .map(([key, metrics]) => ({ key, ...brief(metrics, model) }))
        .sort((a, b) => b.impressions - a.impressions || (a.key < b.key ? -1 : 1))
    }

    const experiment = campaign.experiment ?? { holdoutPercent: 0 }
    const [control, ...treatments] = byVariant
    const answer = {
      campaignId: campaign.id,
      type: campaign.type,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      interval: range.interval,
      model,
      totals: kpisOf(total, reach.total, creditOf(total, model), campaign.cost),
      /** Reach is exact while every day's sketch is (up to 1,000 visitors a variant a day), else within ~1.6%. */
      reachExact: reach.exact,
      series: buckets.map((t) => ({
        t,
        ...brief(perBucket.get(t), model),
        ...(range.interval === 'day' ? { reach: reach.byDay.get(t) ?? 0 } : {}),
      })),
      byVariant,
      // The series again for each variant, bucket by bucket, for charts that overlay the variants.
      variantSeries: variantRows.map((v) => ({
        variantId: v.id,
        series: buckets.map((t) => ({ t, ...brief(perCell.get(`${t}|${v.id}`), model) })),
      })),
      ...(groups ? { groupBy: query.groupBy, groups } : {}),
      frequencyDistribution: frequency.map((row) => ({
        ...row,
        orMore: row.impressions >= frequencyBuckets,
      })),
      // The split check compares visitors who saw each variant with the configured weights; a bandit moves
      // traffic on purpose, so it has none. Each variant is compared with the first (the control).
      experiment: {
        holdoutPercent: experiment.holdoutPercent,
        bandit: experiment.bandit ?? null,
        srm:
          variantRows.length > 1 && !experiment.bandit
            ? sampleRatioMismatch(
                byVariant.map((v) => v.reach),
                variantRows.map((v) => v.weight),
              )
            : null,
        control: control?.variantId ?? null,
        comparisons: control
          ? treatments.map((v) => ({
              variantId: v.variantId,
              metric: 'conversionRate',
              ...compareRates(
                { conversions: control.conversions, visitors: control.reach },
                { conversions: v.conversions, visitors: v.reach },
              ),
            }))
          : [],
        // Exposed against held-out visitors; kept after a holdout is turned off, for the visitors it had.
        lift:
          experiment.holdoutPercent > 0 || arms.exposed.visitors + arms.holdout.visitors > 0
            ? {
                ...readout(arms, experiment.holdoutPercent, windowDays, campaign.cost?.amount),
                // Each variant's exposed visitors against the one holdout (held-out visitors see no variant).
                byVariant: variantRows.map((v) => ({
                  variantId: v.id,
                  name: v.name,
                  ...variantLift(arms.exposedByVariant.get(v.id) ?? emptyArm(), arms.holdout),
                })),
                // By the day of the visitors' first exposure: what each day's newly exposed visitors added.
                series: [...arms.byDay]
                  .sort(([a], [b]) => (a < b ? -1 : 1))
                  .map(([t, day]) => {
                    const one = liftReadout(day.exposed, day.holdout, experiment.holdoutPercent)
                    return {
                      t,
                      exposedVisitors: day.exposed.visitors,
                      holdoutVisitors: day.holdout.visitors,
                      incrementalConversions: one.incrementalConversions,
                      incrementalRevenue: one.incrementalRevenue,
                    }
                  }),
              }
            : null,
      },
    }
    await types[campaign.type]?.analytics?.({
      db,
      campaign,
      range,
      metrics: { total, byVariant: perVariant, byBucket: perBucket },
      answer,
    })
    return c.json(answer)
  })

  app.get('/:id/reach', async (c) => {
    const campaign = await loadCampaign(c, pathId(c))
    const query = parseQuery(c, z.strictObject(rangeFields))
    const range = rangeOf({ ...query, interval: 'day' }, services.now())
    const [reach, rows] = await Promise.all([
      reachOf(db, campaign.siteId, campaign.id, range),
      metricRows(db, campaign.siteId, campaign.id, range, query.model),
    ])
    const impressions = rows.reduce((sum, row) => sum + (row.metric === 'impression' ? row.n : 0), 0)
    return c.json({
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      reach: reach.total,
      exact: reach.exact,
      impressions,
      frequency: reach.total > 0 ? Math.round((impressions / reach.total) * 100) / 100 : 0,
      byVariant: Object.fromEntries(reach.byVariant),
    })
  })

  return app
}

/**
 * A site at a glance: its visitors and page views, and every campaign's headline numbers over the range,
 * from the same rollups.
 */
export function overviewRoutes(services: Services) {
  const app = new Hono<AppEnv>()
  const db = services.db

  app.get('/overview', async (c) => {
    const query = parseQuery(c, overviewQuery)
    const siteId = siteInScope(c.get('principal'), query.siteId)
    const range = rangeOf(query, services.now())
    const { model } = query
    const list = await db
      .select({
        id: campaignTable.id,
        name: campaignTable.name,
        type: campaignTable.type,
        status: campaignTable.status,
        cost: campaignTable.cost,
      })
      .from(campaignTable)
      .where(eq(campaignTable.siteId, siteId))
      .orderBy(asc(campaignTable.createdAt))
    const [settings] = await db
      .select({ attribution: sites.attribution, globalHoldoutPercent: sites.globalHoldoutPercent })
      .from(sites)
      .where(eq(sites.id, siteId))
    const holdoutPercent = settings?.globalHoldoutPercent ?? 0
    const windowDays = (settings?.attribution ?? defaultAttributionSettings).clickWindowDays
    const lift =
      holdoutPercent > 0
        ? readout(
            await siteArms(db, siteId, holdoutPercent, range, windowDays * dayMs),
            holdoutPercent,
            windowDays,
          )
        : null
    const [site, visitors, discounts, ...perCampaign] = await Promise.all([
      metricRows(db, siteId, none, range, model),
      visitorsOf(db, siteId, range),
      discountsByCampaign(db, siteId, range),
      ...list.map((campaign) => metricRows(db, siteId, campaign.id, range, model)),
    ])
    const pageLevel = sumBy(site, () => 'all').get('all') ?? emptyMetrics
    const campaignsOut = list.map((campaign, i) => {
      const b = brief(sumBy(perCampaign[i]!, () => 'all').get('all'), model)
      // The configured cost and what the campaign's promo codes took off orders, as its own results count it.
      const spend = (campaign.cost?.amount ?? 0) + (discounts.get(campaign.id) ?? 0)
      return { ...campaign, ...b, roas: spend ? round4(b.revenue / spend) : null }
    })
    const n = (name: string) => pageLevel.get(name)?.n ?? 0
    const conversions = [...pageLevel.entries()].filter(([name]) => conversionNames.has(name))
    return c.json({
      siteId,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      model,
      totals: {
        visitors: visitors.total,
        visitorsExact: visitors.exact,
        pageViews: n('page'),
        impressions: campaignsOut.reduce((sum, x) => sum + x.impressions, 0),
        clicks: campaignsOut.reduce((sum, x) => sum + x.clicks, 0),
        /** Conversions credited to a campaign under the model, and the revenue they brought. */
        attributedConversions: round4(campaignsOut.reduce((sum, x) => sum + x.conversions, 0)),
        attributedRevenue: round4(campaignsOut.reduce((sum, x) => sum + x.revenue, 0)),
      },
      /** Every conversion the site's pages and server sent (Meta standard names), credited or not, with its value. */
      conversions: Object.fromEntries(
        conversions.map(([name, sum]) => [name, { count: sum.n, value: round4(sum.value) }]),
      ),
      lift,
      campaigns: campaignsOut,
    })
  })

  return app
}
