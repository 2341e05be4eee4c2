import { Preview } from '../../../admin/preview'
import type { Decision } from '../../../schema/serve'
import { mount } from '../widget'
import { withDefaults } from './editor'

/**
 * The unit as visitors see it: the engagement widget itself in the admin's mock page, sending nothing (the
 * widget keeps a click in the preview to itself). It is handed the config as the API serves it, defaults filled.
 */
export function EngagementPreview({ decision }: { decision: Decision }) {
  return <Preview decision={{ ...decision, config: withDefaults(decision.config) }} mount={mount} />
}
