import { plain } from '../../../admin/plain-types'
import { remarketingTemplates } from './templates'

/** Remarketing's caps as the API gives them: five views in all, a day apart. */
export const remarketingAdmin = plain(
  'Remarketing',
  'Win back visitors who left something behind.',
  {
    title: 'Win visitors back',
    when: 'Use it for visitors who looked at or carted something and left without buying.',
  },
  ['conversions', 'revenue', 'roas', 'cpa'],
  {
    defaultFrequency: { lifetime: 5, minHoursBetween: 24, countOn: 'viewable' },
    defaultHoldoutPercent: 10,
    templates: remarketingTemplates,
  },
)
