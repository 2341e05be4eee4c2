import { sql } from 'drizzle-orm'
import { type Metrics, round4 } from '../../../api/core/kpis'
import { rowsOf } from '../../../api/ports/database'
import type { TypeAnalytics } from '../../../api/promotion'
import { appEventName } from '../claims'

/** The unit's own event when the app opened through its deep link (the page went to the background in time). */
export const deepLinkOpenEvent = 'app_deep_link_open'

const ratio = (part: number, whole: number) => (whole > 0 ? round4(part / whole) : 0)

/** The counts an app promotion's KPIs are made of, for the range, a variant, a bucket or a platform. */
export interface AppCounts {
  impressions: number
  viewable: number
  clicks: number
  scans: number
  installs: number
  firstOpens: number
  deepLinkOpens: number
}

/**
 * The rates from the counts: viewable rate, click-to-store rate (clicks other than QR scans per impression),
 * installs per click, cost per install (the campaign's cost over its installs in the range) and install →
 * purchase rate (installers with a `Purchase` after their install, per install).
 */
export function appKpis(counts: AppCounts, spend: number | undefined, purchasers?: number) {
  const storeClicks = counts.clicks - counts.scans
  return {
    bannerImpressions: counts.impressions,
    viewableRate: ratio(counts.viewable, counts.impressions),
    storeClicks,
    clickToStoreRate: ratio(storeClicks, counts.impressions),
    qrScans: counts.scans,
    installs: counts.installs,
    firstOpens: counts.firstOpens,
    deepLinkOpens: counts.deepLinkOpens,
    costPerInstall: spend !== undefined && counts.installs > 0 ? round4(spend / counts.installs) : null,
    ...(purchasers === undefined ? {} : { installToPurchaseRate: ratio(purchasers, counts.installs) }),
  }
}

function countsOf(metrics: Metrics | undefined, scans: number): AppCounts {
  const n = (name: string) => metrics?.get(name)?.n ?? 0
  return {
    impressions: n('impression'),
    viewable: n('viewable'),
    clicks: n('click'),
    scans,
    installs: n(appEventName.install),
    firstOpens: n(appEventName.first_open),
    deepLinkOpens: n(deepLinkOpenEvent),
  }
}

type Row = {
  t: string
  variant_id: string | null
  platform: string
  name: string
  n: number | string
  scans: number | string
}

/**
 * The platform serve decided, as an event row shows it (the same call as `platformOf`): an app event's own
 * `props.platform` (the claim's, the widget's deep-link open); a QR scan is a desktop unit's click, whatever phone
 * scanned it; else the operating system the row was sent from (the same browser serve answered), iOS or
 * Android, or a desktop computer. A phone or tablet row without a recorded system (sent before events kept it)
 * is `mobile`.
 */
const platformColumn = sql`coalesce(props->>'platform', case
  when props->>'scanned' = 'true' then 'desktop'
  when os in ('ios', 'android') then os
  when device = 'desktop' then 'desktop'
  else 'mobile' end)`

/** The series bucket of a time column, as `bucketsOf` names it (UTC). */
const bucketOf = (column: string, interval: 'hour' | 'day') =>
  sql.raw(`to_char(date_trunc('${interval === 'hour' ? 'hour' : 'day'}', ${column} at time zone 'UTC'),
    'YYYY-MM-DD"T"HH24":00:00Z"')`)

const emptyCounts = (): AppCounts => ({
  impressions: 0,
  viewable: 0,
  clicks: 0,
  scans: 0,
  installs: 0,
  firstOpens: 0,
  deepLinkOpens: 0,
})

/**
 * Adds app promotion's KPIs to a campaign's analytics answer: in the totals, every series bucket and every
 * variant (from the rollups, with QR scans and installers' purchases from the events and claims), and
 * `byPlatform` in the totals and per variant, split by the platform serve decided (`platformColumn`).
 */
export async function appPromotionAnalytics({ db, campaign, range, metrics, answer }: TypeAnalytics) {
  const within = sql`site_id = ${campaign.siteId} and campaign_id = ${campaign.id}
    and ts >= ${range.from.toISOString()}::timestamptz and ts < ${range.to.toISOString()}::timestamptz`
  const names = [
    'impression',
    'viewable',
    'click',
    appEventName.install,
    appEventName.first_open,
    deepLinkOpenEvent,
  ]
  const [byPlatform, purchases, cost] = await Promise.all([
    db.execute(sql`
      select ${bucketOf('ts', range.interval)} as t, variant_id, name, ${platformColumn} as platform,
        count(*) as n, count(*) filter (where props->>'scanned' = 'true') as scans
      from events where ${within} and name in (${sql.join(
        names.map((name) => sql`${name}`),
        sql`, `,
      )})
      group by 1, 2, 3, 4`),
    db.execute(sql`
      select ${bucketOf('c.created_at', range.interval)} as t, c.variant_id, count(distinct c.anonymous_id) as n
      from app_claims c
      where c.site_id = ${campaign.siteId} and c.campaign_id = ${campaign.id} and c.event = 'install'
        and c.created_at >= ${range.from.toISOString()}::timestamptz and c.created_at < ${range.to.toISOString()}::timestamptz
        and exists (select 1 from events e where e.site_id = c.site_id and e.anonymous_id = c.anonymous_id
          and e.name = 'Purchase' and e.ts >= c.created_at)
      group by 1, 2`),
    db.execute(sql`select cost from campaigns where id = ${campaign.id}`),
  ])
  const rows = rowsOf<Row>(byPlatform)
  const purchasers = rowsOf<{ t: string; variant_id: string | null; n: number | string }>(purchases)
  const spend = rowsOf<{ cost: { amount: number } | null }>(cost)[0]?.cost?.amount
  const matches = (row: { t: string; variant_id: string | null }, variantId?: string, bucket?: string) =>
    (variantId === undefined || row.variant_id === variantId) && (bucket === undefined || row.t === bucket)
  const scansOf = (variantId?: string, bucket?: string) =>
    rows
      .filter((r) => r.name === 'click' && matches(r, variantId, bucket))
      .reduce((sum, r) => sum + Number(r.scans), 0)
  // A visitor installing twice in a range (two clicks claimed) is one installer per bucket and variant.
  const purchasersOf = (variantId?: string, bucket?: string) =>
    purchasers.filter((r) => matches(r, variantId, bucket)).reduce((sum, r) => sum + Number(r.n), 0)
  const platforms = (variantId?: string) => {
    const counts = new Map<string, AppCounts>()
    for (const row of rows) {
      if (!matches(row, variantId)) continue
      let c = counts.get(row.platform)
      if (!c) {
        c = emptyCounts()
        counts.set(row.platform, c)
      }
      const n = Number(row.n)
      if (row.name === 'impression') c.impressions += n
      else if (row.name === 'viewable') c.viewable += n
      else if (row.name === 'click') {
        c.clicks += n
        c.scans += Number(row.scans)
      } else if (row.name === appEventName.install) c.installs += n
      else if (row.name === appEventName.first_open) c.firstOpens += n
      else c.deepLinkOpens += n
    }
    return [...counts]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([platform, c]) => ({ platform, ...appKpis(c, undefined) }))
  }
  Object.assign(answer.totals, {
    app: { ...appKpis(countsOf(metrics.total, scansOf()), spend, purchasersOf()), byPlatform: platforms() },
  })
  for (const bucket of answer.series) {
    const counts = countsOf(metrics.byBucket.get(bucket.t), scansOf(undefined, bucket.t))
    Object.assign(bucket, { app: appKpis(counts, undefined, purchasersOf(undefined, bucket.t)) })
  }
  // The cost is the campaign's, one amount: per variant it is left out (see the README).
  for (const variant of answer.byVariant) {
    const id = variant.variantId
    Object.assign(variant, {
      app: {
        ...appKpis(countsOf(metrics.byVariant.get(id), scansOf(id)), undefined, purchasersOf(id)),
        byPlatform: platforms(id),
      },
    })
  }
}
