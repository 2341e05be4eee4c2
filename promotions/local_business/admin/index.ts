import type { AdminType } from '../../../admin/promotion-type'
import { LocatorFields, localBusinessLabels } from './editor'
import { localBusinessKpis, localBusinessSteps } from './kpis'
import { LocalBusinessPreview } from './preview'
import { StoresPage } from './stores'
import { localBusinessTemplates } from './templates'

/**
 * The store locator: its fields beside a live preview of the card; the
 * site's stores, their hours (with what "open now" says) and CSV import and export have their own screen.
 */
export const localBusinessAdmin: AdminType = {
  label: 'Local business',
  description: 'A store locator: the nearest stores, open now, with directions and a call button.',
  objective: {
    title: 'Bring people to your shop',
    when: 'Use it to send nearby visitors to your shop with its address, opening hours and directions.',
  },
  templates: localBusinessTemplates,
  defaultConfig: () => ({ geolocation: 'precise', actions: ['directions', 'call'] }),
  ConfigEditor: LocatorFields,
  configLabels: localBusinessLabels,
  format: () => 'inline',
  creativeFields: ['headline'],
  Preview: LocalBusinessPreview,
  kpis: localBusinessKpis,
  steps: localBusinessSteps,
  chartMetrics: [{ key: 'actionRate', label: 'Action rate', kind: 'rate' }],
  screens: [{ path: 'stores', nav: 'Stores', Screen: StoresPage }],
}
