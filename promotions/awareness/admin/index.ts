import type { AdminType } from '../../../admin/promotion-type'
import { kpiCards, stepListsOf } from '../../../admin/results-kpis'
import { AwarenessFields, awarenessLabels, formatOf } from './format-fields'
import { AwarenessPreview } from './preview'
import { awarenessTemplates } from './templates'

/** Banners: hero, inline, sticky bars and popups, judged by how many saw them and how often. */
export const awarenessAdmin: AdminType = {
  label: 'Awareness',
  description: 'A banner people see: hero, inline, sticky bar or popup.',
  objective: {
    title: 'Be seen',
    when: 'Use it to announce something every visitor should notice: a sale, free shipping, a launch.',
  },
  templates: awarenessTemplates,
  createSteps: ['creative', 'audience', 'triggers', 'schedule', 'delivery'],
  defaultConfig: () => ({ format: 'hero', dismissible: true }),
  defaultFrequency: { perDay: 3, countOn: 'viewable' },
  ConfigEditor: AwarenessFields,
  configLabels: awarenessLabels,
  format: formatOf,
  triggered: true,
  Preview: AwarenessPreview,
  kpis: kpiCards('viewableRate', 'frequency', 'videoPlays'),
  steps: stepListsOf('video'),
}
