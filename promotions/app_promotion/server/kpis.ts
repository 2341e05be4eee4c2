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
  variant_id: string | null
  platform: string
  name: string
  n: number | string
  scans: number | string
}

/**
 * Adds app promotion's KPIs to a campaign's analytics answer: in the totals, every series bucket and every
 * variant (from the rollups, with QR scans and installers' purchases from the events), and `byPlatform` in the
 * totals and per variant. An app event knows its platform (iOS or Android, from the claim or the widget); a web
 * event (impression, viewable, click) knows only the device class, so phones and tablets of both systems are
 * counted together there as `mobile`, desktop as `desktop`.
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
      select variant_id, name,
        coalesce(props->>'platform', case when device = 'desktop' then 'desktop' else 'mobile' end) as platform,
        count(*) as n, count(*) filter (where props->>'scanned' = 'true') as scans
      from events where ${within} and name in (${sql.join(
        names.map((name) => sql`${name}`),
        sql`, `,
      )})
      group by 1, 2, 3`),
    db.execute(sql`
      select c.variant_id, count(distinct c.anonymous_id) as n from app_claims c
      where c.site_id = ${campaign.siteId} and c.campaign_id = ${campaign.id} and c.event = 'install'
        and c.created_at >= ${range.from.toISOString()}::timestamptz and c.created_at < ${range.to.toISOString()}::timestamptz
        and exists (select 1 from events e where e.site_id = c.site_id and e.anonymous_id = c.anonymous_id
          and e.name = 'Purchase' and e.ts >= c.created_at)
      group by 1`),
    db.execute(sql`select cost from campaigns where id = ${campaign.id}`),
  ])
  const rows = rowsOf<Row>(byPlatform)
  const purchasers = rowsOf<{ variant_id: string | null; n: number | string }>(purchases)
  const spend = rowsOf<{ cost: { amount: number } | null }>(cost)[0]?.cost?.amount
  const scansOf = (variantId?: string) =>
    rows
      .filter((r) => r.name === 'click' && (variantId === undefined || r.variant_id === variantId))
      .reduce((sum, r) => sum + Number(r.scans), 0)
  const purchasersOf = (variantId?: string) =>
    purchasers
      .filter((r) => variantId === undefined || r.variant_id === variantId)
      .reduce((sum, r) => sum + Number(r.n), 0)
  const platforms = (variantId?: string) => {
    const counts = new Map<string, AppCounts>()
    for (const row of rows) {
      if (variantId !== undefined && row.variant_id !== variantId) continue
      let c = counts.get(row.platform)
      if (!c) {
        c = { impressions: 0, viewable: 0, clicks: 0, scans: 0, installs: 0, firstOpens: 0, deepLinkOpens: 0 }
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
  // A bucket's scans and purchases would need the events again by bucket: the series carries the rollups' counts.
  for (const bucket of answer.series) {
    const {
      qrScans: _scans,
      storeClicks: _store,
      clickToStoreRate: _rate,
      ...rest
    } = appKpis(countsOf(metrics.byBucket.get(bucket.t), 0), undefined)
    Object.assign(bucket, { app: rest })
  }
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
