import { plain } from '../../../admin/plain-types'
import { salesChartMetrics, salesKpis } from './kpis'
import { salesTemplates } from './templates'

export const salesAdmin = {
  ...plain(
    'Sales',
    'Sell a product on the page.',
    {
      title: 'Sell',
      when: 'Use it to put a product, a bundle or an upsell in front of visitors who are deciding what to buy.',
    },
    [],
    { templates: salesTemplates },
  ),
  kpis: salesKpis,
  chartMetrics: salesChartMetrics,
}
