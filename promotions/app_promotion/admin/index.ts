import { plain } from '../../../admin/plain-types'
import { appPromotionTemplates } from './templates'

export const appPromotionAdmin = plain(
  'App promotion',
  'Get your app installed.',
  {
    title: 'Get app installs',
    when: 'Use it when visitors on phones would be better served by your app than by the website.',
  },
  ['conversions', 'cpa'],
  { templates: appPromotionTemplates },
)
