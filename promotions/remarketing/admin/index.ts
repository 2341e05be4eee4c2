import { plain } from '../../../admin/plain-types'

/** Remarketing's caps as the API gives them: five views in all, a day apart. */
export const remarketingAdmin = plain(
  'Remarketing',
  'Win back visitors who left something behind.',
  ['conversions', 'revenue', 'roas', 'cpa'],
  { lifetime: 5, minHoursBetween: 24, countOn: 'viewable' },
)
