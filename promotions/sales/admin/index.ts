import { plain } from '../../../admin/plain-types'
import { salesTemplates } from './templates'

export const salesAdmin = plain(
  'Sales',
  'Sell a product on the page.',
  {
    title: 'Sell',
    when: 'Use it to put a product, a bundle or an upsell in front of visitors who are deciding what to buy.',
  },
  ['conversions', 'revenue', 'aov', 'rpv', 'roas', 'cpa'],
  { templates: salesTemplates },
)
