import type { AdminType } from '../../../admin/promotion-type'
import { funnelsOf, kpiCards, stepListsOf } from '../../../admin/results-kpis'
import { LeadFormFields, leadFormLabels } from './editor'
import { IntegrationsPage } from './integrations'
import { LeadPage } from './lead'
import { LeadsPage } from './leads'
import { OutboxPage } from './outbox'
import { LeadGenerationPreview } from './preview'
import { leadGenerationTemplates } from './templates'

/**
 * Lead forms: their fields, words, offer and scoring in the editor, previewed by the form widget itself (loaded in
 * its own chunk); the leads they bring, the mail and webhooks have their screens.
 */
export const leadGenerationAdmin: AdminType = {
  label: 'Lead generation',
  description: 'A form that collects emails and more, inline or in a popup.',
  objective: {
    title: 'Collect leads',
    when: 'Use it to grow a mailing list or gather sign-ups, demo requests and RSVPs with a form.',
  },
  templates: leadGenerationTemplates,
  createSteps: ['creative', 'audience', 'triggers', 'schedule', 'delivery'],
  defaultConfig: () => ({
    display: 'inline',
    fields: [{ name: 'email', type: 'email', label: 'Email', required: true }],
  }),
  ConfigEditor: LeadFormFields,
  configLabels: leadFormLabels,
  Preview: LeadGenerationPreview,
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
