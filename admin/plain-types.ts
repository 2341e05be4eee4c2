import type { AdminType } from './promotion-type'
import { kpiCards } from './results-kpis'

/**
 * The types with no admin folder yet: each is edited as JSON and judged by shared KPI cards. When a type gets
 * its own `promotions/<type>/admin`, its entry moves there.
 */
function plain(
  label: string,
  description: string,
  kpis: Parameters<typeof kpiCards>,
  defaultFrequency?: AdminType['defaultFrequency'],
): AdminType {
  return { label, description, defaultConfig: () => ({}), kpis: kpiCards(...kpis), defaultFrequency }
}

export const salesAdmin = plain('Sales', 'Sell a product on the page.', [
  'conversions',
  'revenue',
  'aov',
  'rpv',
  'roas',
  'cpa',
])

export const appPromotionAdmin = plain('App promotion', 'Get your app installed.', ['conversions', 'cpa'])

export const localBusinessAdmin = plain('Local business', 'Bring people to your shop.', [
  'conversions',
  'cpa',
])

/** Remarketing's caps as the API gives them: five views in all, a day apart. */
export const remarketingAdmin = plain(
  'Remarketing',
  'Win back visitors who left something behind.',
  ['conversions', 'revenue', 'roas', 'cpa'],
  { lifetime: 5, minHoursBetween: 24, countOn: 'viewable' },
)

export const offerEventAdmin = plain(
  'Offers and events',
  'A time-limited offer, or an event to sign up for.',
  ['rsvps', 'conversions', 'revenue', 'aov', 'roas', 'cpa'],
)
