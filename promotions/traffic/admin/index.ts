import type { AdminType } from '../../../admin/promotion-type'
import { kpiCards, stepListsOf } from '../../../admin/results-kpis'
import { ContentPage } from './content'
import { TrafficFields, trafficLabels } from './editor'
import { TrafficPreview } from './preview'
import { trafficTemplates } from './templates'

/**
 * Content rails: layout, cards pinned by hand and how the catalog is ranked in the editor, previewed with the
 * pinned cards (catalog pages are chosen per visitor); the catalog has its own screen.
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
  ConfigEditor: TrafficFields,
  configLabels: trafficLabels,
  Preview: TrafficPreview,
  format: () => 'inline',
  kpis: kpiCards('landingSessions', 'bounceRate', 'timeOnPage'),
  steps: stepListsOf('scroll'),
  screens: [{ path: 'content', nav: 'Content', Screen: ContentPage }],
}
