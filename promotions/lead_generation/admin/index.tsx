import { Preview } from '../../../admin/preview'
import type { AdminType } from '../../../admin/promotion-type'
import { kpiCards, stepListsOf } from '../../../admin/results-kpis'
import type { Decision } from '../../../schema/serve'
import { leadGenerationConfig } from '../../../schema/types/lead_generation'
import { mount } from '../../../sdk/formats/lead_generation'
import { IntegrationsPage } from './integrations'
import { LeadPage } from './lead'
import { LeadsPage } from './leads'
import { OutboxPage } from './outbox'

/**
 * The form as visitors see it: the lead form widget itself, sending nothing from the preview. The widget is handed
 * the config as the API serves it, defaults filled; while the typed config is not valid there is nothing to draw.
 */
function LeadFormPreview({ decision }: { decision: Decision }) {
  const parsed = leadGenerationConfig.safeParse(decision.config)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return (
      <section class="preview" aria-labelledby="preview-title">
        <h2 id="preview-title">Preview</h2>
        <p class="muted" role="status">
          The form is drawn once its configuration is valid
          {issue ? ` (${['config', ...issue.path].join('.')}: ${issue.message})` : ''}.
        </p>
      </section>
    )
  }
  return <Preview decision={{ ...decision, config: parsed.data }} mount={mount} />
}

/** Lead forms: their config is edited as JSON; the leads they bring, the mail and webhooks have their screens. */
export const leadGenerationAdmin: AdminType = {
  label: 'Lead generation',
  description: 'A form that collects emails and more, inline or in a popup.',
  defaultConfig: () => ({
    display: 'inline',
    fields: [{ name: 'email', type: 'email', label: 'Email', required: true }],
  }),
  format: (config) => (typeof config.display === 'string' ? config.display : 'inline'),
  Preview: LeadFormPreview,
  kpis: kpiCards('formViews', 'leads', 'abandonment', 'cpl'),
  steps: stepListsOf('form', 'dropOff'),
  screens: [
    { path: 'leads', nav: 'Leads', Screen: LeadsPage, Item: LeadPage },
    { path: 'outbox', nav: 'Outbox', Screen: OutboxPage },
    { path: 'integrations', nav: 'Integrations', Screen: IntegrationsPage },
  ],
}
