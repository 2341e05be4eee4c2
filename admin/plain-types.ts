import type { AdminType, Objective } from './promotion-type'
import { kpiCards } from './results-kpis'

/**
 * An admin entry for a type with no editor of its own yet: edited as JSON (checked by the API) and judged by
 * shared KPI cards.
 */
export function plain(
  label: string,
  description: string,
  objective: Objective,
  kpis: Parameters<typeof kpiCards>,
  more: Pick<AdminType, 'defaultFrequency' | 'defaultHoldoutPercent' | 'templates'> = {},
): AdminType {
  return {
    label,
    description,
    objective,
    defaultConfig: () => ({}),
    kpis: kpiCards(...kpis),
    ...more,
  }
}
