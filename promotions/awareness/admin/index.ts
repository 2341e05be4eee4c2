import type { AdminType } from '../../../admin/promotion-type'
import { kpiCards, stepListsOf } from '../../../admin/results-kpis'
import { AwarenessFields, awarenessLabels, formatOf } from './format-fields'
import { AwarenessPreview } from './preview'

/** Banners: hero, inline, sticky bars and popups, judged by how many saw them and how often. */
export const awarenessAdmin: AdminType = {
  label: 'Awareness',
  description: 'A banner people see: hero, inline, sticky bar or popup.',
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
