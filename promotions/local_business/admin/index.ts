import { plain } from '../../../admin/plain-types'
import { localBusinessTemplates } from './templates'

export const localBusinessAdmin = plain(
  'Local business',
  'Bring people to your shop.',
  {
    title: 'Bring people to your shop',
    when: 'Use it to send nearby visitors to your shop with its address, opening hours and directions.',
  },
  ['conversions', 'cpa'],
  { templates: localBusinessTemplates },
)
