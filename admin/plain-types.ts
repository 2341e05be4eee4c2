import type { AdminType } from './promotion-type'
import { kpiCards } from './results-kpis'

/**
 * An admin entry for a type with no editor of its own yet: edited as JSON (checked by the API) and judged by
 * shared KPI cards.
 */
export function plain(
  label: string,
  description: string,
  kpis: Parameters<typeof kpiCards>,
  defaultFrequency?: AdminType['defaultFrequency'],
): AdminType {
  return { label, description, defaultConfig: () => ({}), kpis: kpiCards(...kpis), defaultFrequency }
}
