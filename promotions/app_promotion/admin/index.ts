import type { AdminType } from '../../../admin/promotion-type'
import { AppPromotionFields, appPromotionLabels, defaultAppPromotionConfig } from './editor'
import { appPromotionKpis, appPromotionSteps } from './kpis'
import { AppPromotionPreview } from './preview'
import { appPromotionTemplates } from './templates'

/** Smart app banners, inline units and popups that get the app installed; desktop visitors get a QR code. */
export const appPromotionAdmin: AdminType = {
  label: 'App promotion',
  description: 'Get your app installed.',
  objective: {
    title: 'Get app installs',
    when: 'Use it when visitors on phones would be better served by your app than by the website.',
  },
  templates: appPromotionTemplates,
  defaultConfig: defaultAppPromotionConfig,
  ConfigEditor: AppPromotionFields,
  configLabels: appPromotionLabels,
  format: (config) => {
    if (config.format === 'inline') return 'inline'
    if (config.format === 'popup') return 'popup'
    return config.position === 'bottom' ? 'sticky_bottom' : 'sticky_top'
  },
  // The headline is the banner's tagline under the app's name; the rest comes from the config.
  creativeFields: ['headline'],
  Preview: AppPromotionPreview,
  kpis: appPromotionKpis,
  steps: appPromotionSteps,
}
