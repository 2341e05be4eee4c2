import { siteInBody } from '../../../api/http/limits'
import type { ServerType } from '../../../api/promotion'
import { type SalesConfig, salesConfig } from '../config'
import { projectCarts } from './carts'
import { salesDocs } from './docs'
import { salesFiller } from './filler'
import { creditFunnel } from './funnel'
import { salesAnalytics } from './kpis'
import { salesPersonalData } from './personal-data'
import { productRoutes } from './product-routes'
import { learnProducts } from './products'
import { salesRoutes } from './routes'

/**
 * Sales, server side: the product catalog (admin API, CSV, learned from product pages), visitors' carts and
 * products' purchase counts (projections of stored commerce events), the decisions' cart and product cards (the
 * filler), promo codes (the admin's codes per campaign, the checkout's redeem and release, the unit's reveal),
 * and the visitors' data in carts and reveals.
 */
export const sales: ServerType = {
  format: (config) => (typeof config.format === 'string' ? config.format : 'inline'),
  routes: salesRoutes,
  adminRoutes: { '/products': productRoutes },
  docs: salesDocs,
  limits: [{ method: 'POST', path: '/api/v1/promo-codes/reveal', limits: 'reveals', site: siteInBody }],
  projections: [
    { name: 'products', apply: (tx, batch) => learnProducts(tx, batch.siteId, batch.stored, batch.now) },
    { name: 'carts', apply: (tx, batch) => projectCarts(tx, batch.siteId, batch.stored, batch.now) },
    // The page's own ViewContent, AddToCart and InitiateCheckout, credited to the visitor's last sales touch.
    { name: 'sales-funnel', apply: creditFunnel },
  ],
  filler: salesFiller,
  // Its codes are redeemed in the campaign's currency, and take off what its discount says.
  promoCodes: (config) => {
    const parsed = salesConfig.safeParse(config)
    return parsed.success ? { currency: parsed.data.currency, discount: parsed.data.discount } : undefined
  },
  // The products reach the browser as the decision's `sales.products` (with their signed click URLs); the codes
  // matched on purchases, the catalog's selection and the spend figures are the site's alone. The first code is
  // the one the unit shows.
  publicConfig: (config) => {
    const {
      products: _products,
      productIds: _productIds,
      categoryIds: _categoryIds,
      promoCodes,
      dailyBudget: _dailyBudget,
      targetRoas: _targetRoas,
      optimizationGoal: _goal,
      ...shown
    } = config as Partial<SalesConfig>
    return { ...shown, promoCodes: (promoCodes ?? []).slice(0, 1) }
  },
  personalData: salesPersonalData,
  analytics: salesAnalytics,
}
