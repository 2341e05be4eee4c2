import type { AdminType } from '../../../admin/promotion-type'
import { funnelsOf, kpiCards, stepListsOf } from '../../../admin/results-kpis'
import { LeadFormFields, leadFormLabels } from './editor'
import { IntegrationsPage } from './integrations'
import { LeadPage } from './lead'
import { LeadsPage } from './leads'
import { OutboxPage } from './outbox'
import { LeadFormPreview } from './preview'

/**
 * Lead forms: their fields, words, offer and scoring in the editor, previewed by the form widget itself; the leads
 * they bring, the mail and webhooks have their screens.
 */
export const leadGenerationAdmin: AdminType = {
  label: 'Lead generation',
  description: 'A form that collects emails and more, inline or in a popup.',
  defaultConfig: () => ({
    display: 'inline',
    fields: [{ name: 'email', type: 'email', label: 'Email', required: true }],
  }),
  ConfigEditor: LeadFormFields,
  configLabels: leadFormLabels,
  Preview: LeadFormPreview,
  format: (config) => (typeof config.display === 'string' ? config.display : 'inline'),
  triggered: true,
  kpis: kpiCards('formViews', 'leads', 'abandonment', 'cpl'),
  funnels: funnelsOf('form'),
  steps: stepListsOf('dropOff'),
  screens: [
    { path: 'leads', nav: 'Leads', Screen: LeadsPage, Item: LeadPage },
    { path: 'outbox', nav: 'Outbox', Screen: OutboxPage },
    { path: 'integrations', nav: 'Integrations', Screen: IntegrationsPage },
  ],
}
