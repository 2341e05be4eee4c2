import { sql } from 'drizzle-orm'
import { kpiEvents, type Metrics, round4 } from '../../../api/core/kpis'
import { rowsOf } from '../../../api/ports/database'
import type { TypeAnalytics } from '../../../api/promotion'

/**
 * The locator's events, as the widget sends them (widget/locator.tsx); `FindLocation`, `Contact` and `Schedule`
 * are Meta's standard names, which the widget (a found store, a call) or the site's own pages (a booking) send.
 */
export const locatorEvents = {
  open: 'locator_open',
  search: 'search',
  directions: 'directions',
  call: 'call',
  storePage: 'store_page',
  inventoryCheck: 'inventory_check',
  findLocation: 'FindLocation',
  contact: 'Contact',
  schedule: 'Schedule',
} as const

const ratio = (part: number, whole: number) => (whole > 0 ? round4(part / whole) : 0)

/** The locator's counts and rates from one set of rollup sums (the range, a variant or a bucket). */
export function localBusinessKpis(metrics: Metrics | undefined) {
  const n = (name: string) => metrics?.get(name)?.n ?? 0
  const opens = n(locatorEvents.open)
  const directions = n(locatorEvents.directions)
  const calls = n(locatorEvents.call)
  const storePages = n(locatorEvents.storePage)
  return {
    locatorOpens: opens,
    searches: n(locatorEvents.search),
    directionsClicks: directions,
    calls,
    storePageVisits: storePages,
    inventoryChecks: n(locatorEvents.inventoryCheck),
    findLocations: n(locatorEvents.findLocation),
    contacts: n(locatorEvents.contact),
    schedules: n(locatorEvents.schedule),
    /** Directions, calls and store pages per locator opened: visits on their way. */
    actionRate: ratio(directions + calls + storePages, opens),
    /** Locators opened per impression. */
    openRate: ratio(opens, n(kpiEvents.impression)),
  }
}

const byStoreNames = [
  locatorEvents.directions,
  locatorEvents.call,
  locatorEvents.storePage,
  locatorEvents.inventoryCheck,
  locatorEvents.contact,
  locatorEvents.schedule,
]
const fieldOf: Record<string, string> = {
  directions: 'directionsClicks',
  call: 'calls',
  store_page: 'storePageVisits',
  inventory_check: 'inventoryChecks',
  Contact: 'contacts',
  Schedule: 'schedules',
}
type StoreCounts = Record<string, number> & { store: string }

/**
 * Adds the locator's KPIs to a campaign's analytics answer: counts and rates in the totals, every series bucket
 * and every variant, and `byStore` (directions, calls, store pages, inventory checks, Contact, Schedule by the
 * store ref the event names), in the totals and per variant.
 */
export async function localBusinessAnalytics({ db, campaign, range, metrics, answer }: TypeAnalytics) {
  const rows = rowsOf<{ variant_id: string | null; store: string; name: string; n: number | string }>(
    await db.execute(sql`
      select variant_id, props->>'store' as store, name, count(*) as n from events
      where site_id = ${campaign.siteId} and campaign_id = ${campaign.id}
        and name in (${sql.join(
          byStoreNames.map((name) => sql`${name}`),
          sql`, `,
        )})
        and ts >= ${range.from.toISOString()}::timestamptz and ts < ${range.to.toISOString()}::timestamptz
        and props->>'store' is not null
      group by variant_id, props->>'store', name`),
  )
  const byStore = (variantId?: string): StoreCounts[] => {
    const stores = new Map<string, StoreCounts>()
    for (const row of rows) {
      if (variantId !== undefined && row.variant_id !== variantId) continue
      const entry =
        stores.get(row.store) ??
        ({
          store: row.store,
          ...Object.fromEntries(Object.values(fieldOf).map((f) => [f, 0])),
        } as StoreCounts)
      entry[fieldOf[row.name]!] = (entry[fieldOf[row.name]!] ?? 0) + Number(row.n)
      stores.set(row.store, entry)
    }
    return [...stores.values()].sort((a, b) => (a.store < b.store ? -1 : a.store > b.store ? 1 : 0))
  }
  Object.assign(answer.totals, localBusinessKpis(metrics.total), { byStore: byStore() })
  for (const bucket of answer.series) Object.assign(bucket, localBusinessKpis(metrics.byBucket.get(bucket.t)))
  for (const variant of answer.byVariant) {
    Object.assign(variant, localBusinessKpis(metrics.byVariant.get(variant.variantId)), {
      byStore: byStore(variant.variantId),
    })
  }
}
