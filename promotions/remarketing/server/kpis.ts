import { sql } from 'drizzle-orm'
import { round4 } from '../../../api/core/kpis'
import { rowsOf } from '../../../api/ports/database'
import type { TypeAnalytics } from '../../../api/promotion'
import { type CodeKpis, codeCost, codeKpis, noCodes } from '../../../api/services/analytics/promo-codes'
import { audienceSize } from '../../../api/services/audiences/read'
import { campaignAudienceKey } from '../../../schema/audiences'
import { remarketingConfig } from '../config'
import { productWindowDays } from './history'

/** One scope's (the range, a variant, a bucket) counts of the visitors the campaign reached. */
export interface ReachedCounts {
  /** Visitors with an impression in the scope who are members of the campaign's audience now. */
  audienceReached: number
  /** Visitors reached who had added to cart in the audience's lookback before their first impression. */
  abandonersReached: number
  /** Of those, the ones who bought within the lookback after their first impression. */
  recovered: number
}

const none = (): ReachedCounts => ({ audienceReached: 0, abandonersReached: 0, recovered: 0 })
const ratio = (part: number, whole: number) => (whole > 0 ? round4(part / whole) : 0)

/** The KPIs of one scope; `audienceSize` only where it is known (the totals). */
export function remarketingKpis(counts: ReachedCounts, audienceSize?: number) {
  return {
    ...(audienceSize === undefined
      ? {}
      : {
          audienceSize,
          /** Members reached / members: how much of its audience the campaign has shown itself to. */
          reachInAudience: ratio(Math.min(counts.audienceReached, audienceSize), audienceSize),
        }),
    ...counts,
    /** Cart abandoners reached who bought within the window / cart abandoners reached. */
    recoveryRate: ratio(counts.recovered, counts.abandonersReached),
  }
}

type Row = {
  variant_id: string | null
  t: string | Date
  members: number | string
  abandoners: number | string
  recovered: number | string
}

/**
 * Who the campaign reached in the range, by the variant and bucket of each visitor's first impression in it: how
 * many are in its audience now, how many had left a cart (an AddToCart within the audience's lookback before that
 * impression) and how many of those bought within the same span after it.
 */
async function reachedOf({ db, campaign, range }: TypeAnalytics, windowDays: number) {
  const unit = sql.raw(range.interval === 'hour' ? `'hour'` : `'day'`)
  const window = sql.raw(`interval '${Math.round(windowDays)} days'`)
  const key = campaignAudienceKey(campaign.id)
  const visitor = sql`x.site_id = ${campaign.siteId}::uuid and x.anonymous_id = f.anonymous_id`
  const rows = rowsOf<Row>(
    await db.execute(sql`
      with firsts as (
        select anonymous_id, min(ts) as first_at, (array_agg(variant_id order by ts, id))[1] as variant_id
        from events
        where site_id = ${campaign.siteId}::uuid and campaign_id = ${campaign.id}::uuid and name = 'impression'
          and ts >= ${range.from.toISOString()}::timestamptz and ts < ${range.to.toISOString()}::timestamptz
          and anonymous_id <> ''
        group by anonymous_id
      ),
      scoped as (
        select f.variant_id, f.first_at,
          exists (select 1 from audience_memberships x where ${visitor}
            and x.audience_key = ${key} and x.exited_at is null) as member,
          exists (select 1 from events x where ${visitor} and x.name = 'AddToCart'
            and x.ts < f.first_at and x.ts >= f.first_at - ${window}) as abandoner,
          exists (select 1 from events x where ${visitor} and x.name = 'Purchase'
            and x.ts >= f.first_at and x.ts < f.first_at + ${window}) as bought
        from firsts f
      )
      select variant_id, date_trunc(${unit}, first_at, 'UTC') as t,
        count(*) filter (where member) as members,
        count(*) filter (where abandoner) as abandoners,
        count(*) filter (where abandoner and bought) as recovered
      from scoped group by 1, 2`),
  )
  const total = none()
  const byVariant = new Map<string, ReachedCounts>()
  const byBucket = new Map<number, ReachedCounts>()
  const add = (into: ReachedCounts, row: Row) => {
    into.audienceReached += Number(row.members)
    into.abandonersReached += Number(row.abandoners)
    into.recovered += Number(row.recovered)
  }
  for (const row of rows) {
    add(total, row)
    if (row.variant_id) {
      if (!byVariant.has(row.variant_id)) byVariant.set(row.variant_id, none())
      add(byVariant.get(row.variant_id)!, row)
    }
    const t = new Date(row.t).getTime()
    if (!byBucket.has(t)) byBucket.set(t, none())
    add(byBucket.get(t)!, row)
  }
  return { total, byVariant, byBucket }
}

/**
 * Adds remarketing's KPIs to a campaign's analytics answer: the audience's size now and the share of it the
 * campaign reached (totals), and in the totals, every bucket and every variant the members reached and the
 * recovery rate (cart abandoners reached who bought within the audience's lookback), and the incentive's codes
 * revealed and redeemed with their order value and discount (api/services/analytics/promo-codes.ts).
 * Conversions and revenue are every campaign's (the attributed ones); ROAS and cost per conversion count the
 * discount given as cost beside the configured one, as sales' do; incremental conversions and revenue come from
 * the holdout's lift readout.
 */
export async function remarketingAnalytics(input: TypeAnalytics) {
  const { answer, campaign } = input
  const parsed = remarketingConfig.safeParse(campaign.config)
  const windowDays = parsed.success ? productWindowDays(parsed.data.audience) : 7
  const [size, reached, codes] = await Promise.all([
    audienceSize(input.db, campaign.siteId, campaignAudienceKey(campaign.id)),
    reachedOf(input, windowDays),
    codeKpis(input),
  ])
  // The incentive's discount is the campaign's cost too, beside the configured one (which only the totals carry).
  const cost = (scope: Record<string, unknown>, kpis: CodeKpis, spend?: number) =>
    codeCost(spend, kpis.discountGiven, Number(scope.conversions ?? 0), Number(scope.revenue ?? 0))
  const configured = answer.totals.cost as { amount: number } | null | undefined
  Object.assign(
    answer.totals,
    remarketingKpis(reached.total, size),
    codes.total,
    cost(answer.totals, codes.total, configured?.amount),
  )
  for (const bucket of answer.series) {
    const t = Date.parse(bucket.t)
    const scope = codes.byBucket.get(t) ?? noCodes()
    Object.assign(bucket, remarketingKpis(reached.byBucket.get(t) ?? none()), scope, cost(bucket, scope))
  }
  for (const variant of answer.byVariant) {
    const scope = codes.byVariant.get(variant.variantId) ?? noCodes()
    Object.assign(
      variant,
      remarketingKpis(reached.byVariant.get(variant.variantId) ?? none()),
      scope,
      cost(variant, scope),
    )
  }
}
