import { sql } from 'drizzle-orm'
import { kpiEvents, type Metrics, round4 } from '../../../api/core/kpis'
import { rowsOf } from '../../../api/ports/database'
import type { TypeAnalytics } from '../../../api/promotion'
import type { OfferEventConfig } from '../config'

/** A series bucket as the analytics answer names it (`2026-11-29T12:00:00Z`). */
const bucketFormat = 'YYYY-MM-DD"T"HH24":00:00Z"'

const ratio = (part: number, whole: number) => (whole > 0 ? round4(part / whole) : 0)

/** RSVP counts by where they stand now. `attended` is a checked-in seat (it still holds its seat). */
interface Seats {
  rsvps: number
  confirmed: number
  waitlisted: number
  cancelled: number
  attended: number
}
const noSeats = (): Seats => ({ rsvps: 0, confirmed: 0, waitlisted: 0, cancelled: 0, attended: 0 })

/**
 * An event's KPIs from its RSVPs: every RSVP made (`rsvps`), where they stand now, the cancellation rate
 * (cancelled / RSVPs) and the attendance rate (checked in / seats held, confirmed or attended).
 */
function seatKpis(s: Seats) {
  return {
    ...s,
    cancellationRate: ratio(s.cancelled, s.rsvps),
    attendanceRate: ratio(s.attended, s.confirmed + s.attended),
  }
}

/** The countdown's click-through: clicks on the unit per impression, from the shared rollups. */
function countdownCtr(metrics: Metrics | undefined) {
  const n = (name: string) => metrics?.get(name)?.n ?? 0
  return ratio(n(kpiEvents.click), n(kpiEvents.impression))
}

const add = (into: Seats, status: string, n: number) => {
  into.rsvps += n
  if (status in into && status !== 'rsvps') into[status as keyof Seats] += n
}

/**
 * Adds offers' and events' KPIs to a campaign's analytics answer, in the totals, every series bucket and every
 * variant:
 * - RSVPs of the range (by their creation), by status now; an RSVP's variant is the one its visitor was first
 *   shown (RSVPs without a proven visitor count in the totals and buckets only);
 * - offer redemptions: live redemptions of the offer's promo code (the site's code of that name) made in the
 *   range, with their order value and discount; they belong to the code's own campaign, so they are not split
 *   by this campaign's variants;
 * - countdown CTR, when the campaign has a countdown.
 */
export async function offerEventAnalytics({ db, campaign, range, metrics, answer }: TypeAnalytics) {
  const config = campaign.config as Partial<OfferEventConfig>
  const from = range.from.toISOString()
  const to = range.to.toISOString()
  const unit = range.interval === 'hour' ? 'hour' : 'day'
  const code = config.offer?.promoCode?.toUpperCase()
  const [rsvpResult, redemptionResult] = await Promise.all([
    config.event
      ? db.execute(sql`
          select to_char(date_trunc(${unit}, r.created_at at time zone 'UTC'), ${bucketFormat}) as t, v.variant_id, r.status, count(*) as n
          from rsvps r
          left join lateral (
            select e.variant_id from events e
            where e.site_id = r.site_id and e.anonymous_id = r.anonymous_id and e.name = 'impression'
              and e.campaign_id = r.campaign_id
            order by e.ts limit 1
          ) v on true
          where r.campaign_id = ${campaign.id} and r.site_id = ${campaign.siteId}
            and r.created_at >= ${from}::timestamptz and r.created_at < ${to}::timestamptz
          group by 1, 2, 3`)
      : undefined,
    code
      ? db.execute(sql`
          select to_char(date_trunc(${unit}, d.created_at at time zone 'UTC'), ${bucketFormat}) as t, count(*) as n,
            coalesce(sum(d.order_value), 0) as revenue, coalesce(sum(d.discount), 0) as discount
          from promo_code_redemptions d join promo_codes p on p.id = d.code_id
          where p.site_id = ${campaign.siteId} and p.code = ${code} and d.released_at is null
            and d.created_at >= ${from}::timestamptz and d.created_at < ${to}::timestamptz
          group by 1`)
      : undefined,
  ])

  const hasCountdown = config.countdown !== undefined
  if (rsvpResult) {
    const rows = rowsOf<{ t: string; variant_id: string | null; status: string; n: number | string }>(
      rsvpResult,
    )
    const total = noSeats()
    const byBucket = new Map<string, Seats>()
    const byVariant = new Map<string, Seats>()
    for (const row of rows) {
      const n = Number(row.n)
      add(total, row.status, n)
      const bucket = row.t
      if (!byBucket.has(bucket)) byBucket.set(bucket, noSeats())
      add(byBucket.get(bucket)!, row.status, n)
      if (row.variant_id) {
        if (!byVariant.has(row.variant_id)) byVariant.set(row.variant_id, noSeats())
        add(byVariant.get(row.variant_id)!, row.status, n)
      }
    }
    Object.assign(answer.totals, seatKpis(total))
    for (const bucket of answer.series) Object.assign(bucket, seatKpis(byBucket.get(bucket.t) ?? noSeats()))
    for (const variant of answer.byVariant)
      Object.assign(variant, seatKpis(byVariant.get(variant.variantId) ?? noSeats()))
  }
  if (redemptionResult) {
    const rows = rowsOf<{
      t: string
      n: number | string
      revenue: number | string
      discount: number | string
    }>(redemptionResult)
    const byBucket = new Map(rows.map((row) => [row.t, Number(row.n)]))
    const offer = {
      redemptions: rows.reduce((sum, row) => sum + Number(row.n), 0),
      revenue: rows.reduce((sum, row) => sum + Number(row.revenue), 0),
      discount: rows.reduce((sum, row) => sum + Number(row.discount), 0),
    }
    Object.assign(answer.totals, {
      offerRedemptions: offer.redemptions,
      offerRevenue: offer.revenue,
      offerDiscount: offer.discount,
    })
    for (const bucket of answer.series) bucket.offerRedemptions = byBucket.get(bucket.t) ?? 0
  }
  if (hasCountdown) {
    answer.totals.countdownCtr = countdownCtr(metrics.total)
    for (const bucket of answer.series) bucket.countdownCtr = countdownCtr(metrics.byBucket.get(bucket.t))
    for (const variant of answer.byVariant)
      variant.countdownCtr = countdownCtr(metrics.byVariant.get(variant.variantId))
  }
}
