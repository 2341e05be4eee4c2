import { siteInBody } from '../../../api/http/limits'
import type { ServerType } from '../../../api/promotion'
import type { AppPromotionConfig } from '../config'
import { claimRoutes } from './claims'
import { appPromotionDocs } from './docs'
import { appPromotionAnalytics } from './kpis'
import { appPromotionPersonalData } from './personal-data'
import { AppServing } from './serving'

/**
 * App promotion: a smart banner (a page-level bar at the top or bottom), an inline unit in a marked slot, or a
 * popup, for the platforms the campaign targets, decided on the server from the request (./serving.ts). Its
 * route is the apps' deferred deep link claim (./claims.ts).
 */
export const appPromotion: ServerType = {
  format: (config) => {
    const { format, position } = config as Partial<AppPromotionConfig>
    if (format === 'inline') return 'inline'
    if (format === 'popup') return 'popup'
    return position === 'bottom' ? 'sticky_bottom' : 'sticky_top'
  },
  routes: claimRoutes,
  docs: appPromotionDocs,
  limits: [{ method: 'POST', path: '/api/v1/app/claims', limits: 'claims', site: siteInBody }],
  analytics: appPromotionAnalytics,
  personalData: appPromotionPersonalData,
  filler: (services) => {
    const serving = new AppServing(services)
    return {
      eligible: (_siteId, campaigns, visitor) => serving.eligible(campaigns, visitor),
      wanted: (choices) => serving.wanted(choices),
      fill: (siteId, choices, visitor) => serving.fill(siteId, choices, visitor),
    }
  },
}
