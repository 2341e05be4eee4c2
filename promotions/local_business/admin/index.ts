import { plain } from '../../../admin/plain-types'

export const localBusinessAdmin = plain('Local business', 'Bring people to your shop.', [
  'conversions',
  'cpa',
])
