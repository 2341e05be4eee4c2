import type { AdminType } from '../../../admin/promotion-type'
import { kpiCards, stepListsOf } from '../../../admin/results-kpis'
import { ContentPage } from './content'
import { trafficTemplates } from './templates'

/**
 * Content rails: their config is edited as JSON (a rail's cards come from the catalog, so there is no preview
 * without a visitor); the catalog has its own screen.
 */
export const trafficAdmin: AdminType = {
  label: 'Traffic',
  description: 'Cards that send visitors to your content: a grid, carousel or list in a slot.',
  objective: {
    title: 'Send visitors to more content',
    when: 'Use it when visitors leave after one page and you have articles, guides or products worth reading next.',
  },
  templates: trafficTemplates,
  defaultConfig: () => ({ layout: 'grid' }),
  format: () => 'inline',
  kpis: kpiCards('landingSessions', 'bounceRate', 'timeOnPage'),
  steps: stepListsOf('scroll'),
  screens: [{ path: 'content', nav: 'Content', Screen: ContentPage }],
}
