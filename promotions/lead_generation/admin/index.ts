import type { AdminType } from '../../../admin/promotion-type'
import { kpiCards, stepListsOf } from '../../../admin/results-kpis'
import { IntegrationsPage } from './integrations'
import { LeadPage } from './lead'
import { LeadsPage } from './leads'
import { OutboxPage } from './outbox'
import { LeadGenerationPreview } from './preview'
import { leadGenerationTemplates } from './templates'

/**
 * Lead forms: their config is edited as JSON; the leads they bring, the mail and webhooks have their screens.
 * The preview is the form widget, handed the config with the schema's defaults filled in by hand (preview.tsx):
 * the schema itself would bring zod and RE2 into the admin bundle.
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
  format: (config) => (typeof config.display === 'string' ? config.display : 'inline'),
  Preview: LeadGenerationPreview,
  kpis: kpiCards('formViews', 'leads', 'abandonment', 'cpl'),
  steps: stepListsOf('form', 'dropOff'),
  screens: [
    { path: 'leads', nav: 'Leads', Screen: LeadsPage, Item: LeadPage },
    { path: 'outbox', nav: 'Outbox', Screen: OutboxPage },
    { path: 'integrations', nav: 'Integrations', Screen: IntegrationsPage },
  ],
}
