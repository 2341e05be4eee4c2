import { sql } from 'drizzle-orm'
import { round4 } from '../../core/kpis'
import { type Db, rowsOf } from '../../ports/database'

/** A scope's promo codes (the range, a variant, a bucket), for any type whose campaigns hand codes out. */
export interface CodeKpis {
  codesRevealed: number
  codesRedeemed: number
  /** Order value of the live (unreleased) redemptions. */
  promoRevenue: number
  /** What the codes took off those orders: the campaign's cost in codes. */
  discountGiven: number
}

export const noCodes = (): CodeKpis => ({
  codesRevealed: 0,
  codesRedeemed: 0,
  promoRevenue: 0,
  discountGiven: 0,
})

/**
 * A scope's cost, ROAS and cost per conversion for a type whose campaigns hand out codes: the discount the codes
 * gave counts as cost beside the configured spend (which only the totals carry: pass undefined elsewhere).
 */
export function codeCost(
  spend: number | undefined,
  discountGiven: number,
  conversions: number,
  revenue: number,
) {
  const cost = round4((spend ?? 0) + discountGiven)
  const known = spend !== undefined || discountGiven > 0
  return {
    /** Configured spend (totals only) + the discount the codes gave. */
    campaignCost: cost,
    roas: cost > 0 ? round4(revenue / cost) : null,
    cpa: known && conversions > 0 ? round4(cost / conversions) : null,
  }
}

type Row = {
  variant_id: string | null
  t: string | Date
  n: number | string
  revenue?: number | string | null
  discount?: number | string | null
}

/** The promo codes of the range: revealed, redeemed (released ones leave), revenue and discount, by variant and bucket. */
export async function codeKpis({
  db,
  campaign,
  range,
}: {
  db: Db
  campaign: { id: string; siteId: string }
  range: { from: Date; to: Date; interval: string }
}) {
  const within = sql`site_id = ${campaign.siteId} and campaign_id = ${campaign.id}
    and created_at >= ${range.from.toISOString()}::timestamptz and created_at < ${range.to.toISOString()}::timestamptz`
  const unit = sql.raw(range.interval === 'hour' ? `'hour'` : `'day'`)
  const [redeemed, revealed] = await Promise.all([
    db.execute(sql`
      select variant_id, date_trunc(${unit}, created_at, 'UTC') as t, count(*) as n,
        sum(order_value) as revenue, sum(discount) as discount
      from promo_code_redemptions where ${within} and released_at is null group by 1, 2`),
    db.execute(sql`
      select variant_id, date_trunc(${unit}, created_at, 'UTC') as t, count(*) as n
      from promo_code_reveals where ${within} group by 1, 2`),
  ])
  const total = noCodes()
  const byVariant = new Map<string, CodeKpis>()
  const byBucket = new Map<number, CodeKpis>()
  const add = (row: Row, apply: (kpis: CodeKpis) => void) => {
    apply(total)
    if (row.variant_id) {
      if (!byVariant.has(row.variant_id)) byVariant.set(row.variant_id, noCodes())
      apply(byVariant.get(row.variant_id)!)
    }
    const t = new Date(row.t).getTime()
    if (!byBucket.has(t)) byBucket.set(t, noCodes())
    apply(byBucket.get(t)!)
  }
  for (const row of rowsOf<Row>(redeemed)) {
    add(row, (kpis) => {
      kpis.codesRedeemed += Number(row.n)
      kpis.promoRevenue = round4(kpis.promoRevenue + Number(row.revenue ?? 0))
      kpis.discountGiven = round4(kpis.discountGiven + Number(row.discount ?? 0))
    })
  }
  for (const row of rowsOf<Row>(revealed))
    add(row, (kpis) => {
      kpis.codesRevealed += Number(row.n)
    })
  return { total, byVariant, byBucket }
}

/**
 * What each campaign's promo codes took off orders over the range (live redemptions only): the cost in codes that
 * the site overview adds to a campaign's configured cost, as the campaign's own results do.
 */
export async function discountsByCampaign(
  db: Db,
  siteId: string,
  range: { from: Date; to: Date },
): Promise<Map<string, number>> {
  const rows = rowsOf<{ campaign_id: string; discount: number | string | null }>(
    await db.execute(sql`
      select campaign_id, sum(discount) as discount from promo_code_redemptions
      where site_id = ${siteId} and released_at is null
        and created_at >= ${range.from.toISOString()}::timestamptz and created_at < ${range.to.toISOString()}::timestamptz
      group by campaign_id`),
  )
  return new Map(rows.map((row) => [row.campaign_id, round4(Number(row.discount ?? 0))]))
}
