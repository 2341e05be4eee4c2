import { formatCount, formatRate } from '../../../admin/format'
import type { Kpi } from '../../../admin/kpi-cards'
import type { Totals } from '../../../admin/promotion-type'
import type { Steps } from '../../../admin/results-kpis'
import type { localBusinessKpis as serverKpis } from '../server/kpis'

/** What the local business server adds to a campaign's analytics totals (server/kpis.ts); absent on older answers. */
type LocatorTotals = Partial<ReturnType<typeof serverKpis>> & {
  byStore?: { store: string; directionsClicks: number; calls: number; storePageVisits: number }[]
}
const extras = (t: Totals) => t as Totals & LocatorTotals
const count = (value: number | undefined) => formatCount(value ?? 0)

/** The locator's cards: opens, searches, the actions that lead to a visit, and the Meta conversions. */
export function localBusinessKpis(t: Totals): Kpi[] {
  const x = extras(t)
  return [
    {
      label: 'Locator opens',
      value: count(x.locatorOpens),
      detail: `${formatRate(x.openRate ?? 0)} of impressions`,
    },
    { label: 'Searches', value: count(x.searches) },
    { label: 'Directions', value: count(x.directionsClicks) },
    { label: 'Calls', value: count(x.calls) },
    { label: 'Store pages', value: count(x.storePageVisits) },
    { label: 'Inventory checks', value: count(x.inventoryChecks) },
    {
      label: 'Action rate',
      value: formatRate(x.actionRate ?? 0),
      detail: 'directions, calls and store pages per open',
    },
    {
      label: 'Conversions',
      value: count((x.findLocations ?? 0) + (x.contacts ?? 0) + (x.schedules ?? 0)),
      detail: `FindLocation ${count(x.findLocations)}, Contact ${count(x.contacts)}, Schedule ${count(x.schedules)}`,
    },
  ]
}

/** Actions by store, most first. */
export function localBusinessSteps(t: Totals): Steps[] {
  const stores = extras(t).byStore ?? []
  if (stores.length === 0) return []
  const total = (s: (typeof stores)[number]) => s.directionsClicks + s.calls + s.storePageVisits
  return [
    {
      id: 'stores-title',
      title: 'Actions by store',
      description: 'Directions, calls and store pages, by the store they were for.',
      labelHeading: 'Store',
      valueHeading: 'Actions',
      rows: [...stores]
        .sort((a, b) => total(b) - total(a))
        .map((s) => ({ label: s.store, value: total(s), text: formatCount(total(s)) })),
    },
  ]
}
