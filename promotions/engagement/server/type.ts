import { siteInBody, siteInQuery } from '../../../api/http/limits'
import type { ServerType } from '../../../api/promotion'
import { engagementDocs } from './docs'
import { engagementAnalytics } from './kpis'
import { engagementRoutes } from './routes'

/**
 * Engagement widgets (likes, reactions, shares, polls, comments): inline in a marked slot. Nothing in the config
 * is the site's alone, so the browser gets all of it; decisions carry a `visitorToken`, which the widget may send
 * back with its actions. Analytics adds engagement's KPIs (kpis.ts). Apart from the routes, so the type registry
 * (api/types) loads it without loading the routes, which load the registry.
 */
export const engagement: ServerType = {
  docs: engagementDocs,
  format: () => 'inline',
  visitorProof: true,
  routes: engagementRoutes,
  limits: [
    { method: 'POST', path: '/api/v1/engagements', limits: 'engagements', site: siteInBody },
    { method: 'GET', path: '/api/v1/engagements', limits: 'engagements', site: siteInQuery },
  ],
  analytics: engagementAnalytics,
}
