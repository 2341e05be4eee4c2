import { siteInQuery } from '../../../api/http/limits'
import type { ServerType } from '../../../api/promotion'
import { localBusinessDocs } from './docs'
import { localBusinessAnalytics } from './kpis'
import { locatorRoutes } from './locator'
import { storeRoutes } from './routes'

/**
 * The store locator: inline in a marked slot. The stores are the site's (an admin area, `/stores`, with CSV
 * import and export); the widget asks the public `/locator` route for the nearest ones. The config holds nothing
 * the site keeps to itself, so the browser gets all of it.
 */
export const localBusiness: ServerType = {
  format: () => 'inline',
  routes: locatorRoutes,
  adminRoutes: { '/stores': storeRoutes },
  docs: localBusinessDocs,
  analytics: localBusinessAnalytics,
  limits: [{ method: 'GET', path: '/api/v1/locator', limits: 'locator', site: siteInQuery }],
}
