import { siteInBody, siteInQuery } from '../../../api/http/limits'
import type { ServerType } from '../../../api/promotion'
import { engagementDocs } from './docs'
import { engagementAnalytics } from './kpis'
import { engagementPersonalData } from './personal-data'
import { engagementRoutes } from './routes'

/**
 * Engagement widgets (likes, reactions, shares, polls, comments): inline in a marked slot. Nothing in the config
 * is the site's alone, so the browser gets all of it; decisions carry a `visitorToken`, which the widget may send
 * back with its actions. Its routes are the public endpoints and comment moderation, analytics adds its KPIs
 * (kpis.ts), and its rows join the privacy export, erasure and retention sweep (personal-data.ts).
 */
export const engagement: ServerType = {
  format: () => 'inline',
  visitorProof: true,
  routes: engagementRoutes,
  docs: engagementDocs,
  limits: [
    { method: 'POST', path: '/api/v1/engagements', limits: 'engagements', site: siteInBody },
    { method: 'GET', path: '/api/v1/engagements', limits: 'engagements', site: siteInQuery },
  ],
  analytics: engagementAnalytics,
  personalData: engagementPersonalData,
}
