import { Preview } from '../../../admin/preview'
import type { Decision } from '../../../schema/serve'
import { publicLeadConfig } from '../public-config'
import { mount } from '../widget'
import { withDefaults } from './editor'

/**
 * The form as visitors see it: the lead form widget itself in the admin's mock page, handed the config as the API
 * serves it (defaults filled, fields in step order, scoring and the asset's address left out). A submit in the
 * preview goes nowhere: the widget keeps it to itself there.
 */
export function LeadFormPreview({ decision }: { decision: Decision }) {
  return (
    <Preview
      decision={{ ...decision, config: publicLeadConfig(withDefaults(decision.config)) }}
      mount={mount}
    />
  )
}
