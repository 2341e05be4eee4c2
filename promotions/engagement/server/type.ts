import type { ServerType } from '../../../api/types'
import { engagementAnalytics } from './kpis'

/**
 * Engagement widgets (likes, reactions, shares, polls, comments): inline in a marked slot. Nothing in the config
 * is the site's alone, so the browser gets all of it; decisions carry a `visitorToken`, which the widget may send
 * back with its actions. Analytics adds engagement's KPIs (kpis.ts). Apart from the routes, so the type registry
 * (api/types) loads it without loading the routes, which load the registry.
 */
export const engagement: ServerType = {
  format: () => 'inline',
  visitorProof: true,
  analytics: engagementAnalytics,
}
