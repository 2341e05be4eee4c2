import { siteInBody } from '../../../api/http/limits'
import type { ServerType } from '../../../api/promotion'
import { salesDocs } from './docs'
import { salesAnalytics } from './kpis'
import { salesPersonalData } from './personal-data'
import { salesRoutes } from './routes'

/**
 * Sales, server side: so far its promo codes (the admin's codes per campaign, the checkout's redeem and release,
 * the unit's reveal of a code to a visitor) and the reveals' personal data.
 * Not in api/promotions.ts yet: without a widget it must not be servable; tests mount it beside the registry's
 * types (`createApp(deps, { ...serverTypes, sales })`).
 */
export const sales: ServerType = {
  format: () => 'inline',
  routes: salesRoutes,
  docs: salesDocs,
  limits: [{ method: 'POST', path: '/api/v1/promo-codes/reveal', limits: 'reveals', site: siteInBody }],
  personalData: salesPersonalData,
  analytics: salesAnalytics,
}
