import { formatCount, formatDecimal, formatRate, notAvailable } from '../../../admin/format'
import type { Kpi } from '../../../admin/kpi-cards'
import type { Totals } from '../../../admin/promotion-type'
import type { Steps } from '../../../admin/results-kpis'

/** What the app promotion server adds to a campaign's analytics totals as `app` (server/kpis.ts). */
export interface AppTotals {
  bannerImpressions: number
  viewableRate: number
  storeClicks: number
  clickToStoreRate: number
  qrScans: number
  installs: number
  firstOpens: number
  deepLinkOpens: number
  costPerInstall: number | null
  installToPurchaseRate?: number
  byPlatform?: ({ platform: string } & Omit<AppTotals, 'byPlatform'>)[]
}

/** An answer without the app's figures (an older server, a range with nothing yet) reads as zeros. */
const noApp: AppTotals = {
  bannerImpressions: 0,
  viewableRate: 0,
  storeClicks: 0,
  clickToStoreRate: 0,
  qrScans: 0,
  installs: 0,
  firstOpens: 0,
  deepLinkOpens: 0,
  costPerInstall: null,
}
const appOf = (t: Totals) => (t as Totals & { app?: AppTotals }).app

const platformNames: Record<string, string> = {
  ios: 'iOS',
  android: 'Android',
  desktop: 'Desktop',
  mobile: 'Phones (system not recorded)',
}

/** The app KPI cards: installs and how the banner led to them. */
export function appPromotionKpis(t: Totals): Kpi[] {
  const app = appOf(t) ?? noApp
  return [
    {
      label: 'Installs',
      value: formatCount(app.installs),
      detail: `${formatCount(app.firstOpens)} first opens`,
    },
    {
      label: 'Click-to-store rate',
      value: formatRate(app.clickToStoreRate),
      detail: `${formatCount(app.storeClicks)} store clicks per ${formatCount(app.bannerImpressions)} impressions`,
    },
    { label: 'Viewable rate', value: formatRate(app.viewableRate), detail: 'banner impressions seen' },
    { label: 'QR scans', value: formatCount(app.qrScans), detail: 'desktop visitors who scanned the code' },
    {
      label: 'Opens via deep link',
      value: formatCount(app.deepLinkOpens),
      detail: 'the app opened from the banner',
    },
    {
      label: 'Cost per install',
      value: app.costPerInstall === null ? notAvailable : formatDecimal(app.costPerInstall),
      detail: app.costPerInstall === null ? 'Set the campaign’s cost to see it' : 'cost over installs',
    },
    {
      label: 'Install → purchase',
      value: app.installToPurchaseRate === undefined ? notAvailable : formatRate(app.installToPurchaseRate),
      detail: 'installers who then bought',
    },
  ]
}

/** Installs by platform, as a list of bars. */
export function appPromotionSteps(t: Totals): Steps[] {
  const rows = appOf(t)?.byPlatform ?? []
  if (!rows.some((row) => row.installs > 0 || row.bannerImpressions > 0)) return []
  return [
    {
      id: 'app-by-platform',
      title: 'Installs by platform',
      description: 'By the platform each visitor was served; a QR scan counts for desktop.',
      labelHeading: 'Platform',
      valueHeading: 'Installs',
      rows: rows.map((row) => ({
        label: `${platformNames[row.platform] ?? row.platform}: ${formatCount(row.bannerImpressions)} impressions, ${formatCount(row.storeClicks)} store clicks, ${formatCount(row.qrScans)} QR scans`,
        value: row.installs,
        text: formatCount(row.installs),
      })),
    },
  ]
}
