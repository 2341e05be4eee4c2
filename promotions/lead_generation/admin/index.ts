import type { AdminType } from '../../../admin/promotion-type'
import { kpiCards, stepListsOf } from '../../../admin/results-kpis'
import { IntegrationsPage } from './integrations'
import { LeadPage } from './lead'
import { LeadsPage } from './leads'
import { OutboxPage } from './outbox'
import { leadGenerationTemplates } from './templates'

/**
 * Lead forms: their config is edited as JSON; the leads they bring, the mail and webhooks have their screens.
 * No preview yet: the form widget needs the config as the API serves it (defaults filled), and its schema would
 * bring zod and RE2 into the admin bundle.
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
  kpis: kpiCards('formViews', 'leads', 'abandonment', 'cpl'),
  steps: stepListsOf('form', 'dropOff'),
  screens: [
    { path: 'leads', nav: 'Leads', Screen: LeadsPage, Item: LeadPage },
    { path: 'outbox', nav: 'Outbox', Screen: OutboxPage },
    { path: 'integrations', nav: 'Integrations', Screen: IntegrationsPage },
  ],
}
