import type { AdminType } from '../../../admin/promotion-type'
import { audienceSummary } from './audience'
import { defaultRemarketingConfig, formatOf, RemarketingFields, remarketingLabels } from './editor'
import { remarketingChartMetrics, remarketingKpis } from './kpis'
import { RemarketingPreview } from './preview'
import { remarketingTemplates } from './templates'

/** Reminders for a first-party audience: the editor with the widget as preview, and the audience's KPIs. */
export const remarketingAdmin: AdminType = {
  label: 'Remarketing',
  description: 'Win back visitors who left something behind.',
  objective: {
    title: 'Win visitors back',
    when: 'Use it for visitors who looked at or carted something and left without buying.',
  },
  templates: remarketingTemplates,
  // The audience is the config's (the editor's first part); the targeting step narrows it further.
  createSteps: ['creative', 'audience', 'schedule', 'delivery'],
  defaultConfig: defaultRemarketingConfig,
  audience: audienceSummary,
  // The API's caps for a new remarketing campaign: five views in all, a day apart.
  defaultFrequency: { lifetime: 5, minHoursBetween: 24, countOn: 'viewable' },
  // A tenth of the audience is held back by default, so the results can say what the reminder added.
  defaultHoldoutPercent: 10,
  ConfigEditor: RemarketingFields,
  configLabels: remarketingLabels,
  format: formatOf,
  Preview: RemarketingPreview,
  kpis: remarketingKpis,
  chartMetrics: remarketingChartMetrics,
}
