import type { AdminType } from '../../../admin/promotion-type'
import { defaultSalesConfig, formatOf, SalesFields, salesLabels } from './editor'
import { salesChartMetrics, salesKpis } from './kpis'
import { SalesPreview } from './preview'
import { ProductsPage } from './products'
import { PromoCodesPage } from './promo-codes'
import { salesTemplates } from './templates'
/** Product promos, cart and checkout nudges and promo codes: the editor with the widget as preview, and the codes' and catalog's screens. */
export const salesAdmin: AdminType = {
  label: 'Sales',
  description: 'Sell a product on the page.',
  objective: {
    title: 'Sell',
    when: 'Use it to put a product, a bundle or an upsell in front of visitors who are deciding what to buy.',
  },
  templates: salesTemplates,
  createSteps: ['creative', 'audience', 'triggers', 'schedule', 'delivery'],
  defaultConfig: defaultSalesConfig,
  ConfigEditor: SalesFields,
  configLabels: salesLabels,
  format: formatOf,
  triggered: true,
  Preview: SalesPreview,
  kpis: salesKpis,
  chartMetrics: salesChartMetrics,
  screens: [
    { path: 'promo-codes', nav: 'Promo codes', Screen: PromoCodesPage },
    { path: 'products', nav: 'Products', Screen: ProductsPage },
  ],
}
