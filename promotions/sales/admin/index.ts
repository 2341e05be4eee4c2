import { plain } from '../../../admin/plain-types'

export const salesAdmin = plain('Sales', 'Sell a product on the page.', [
  'conversions',
  'revenue',
  'aov',
  'rpv',
  'roas',
  'cpa',
])
