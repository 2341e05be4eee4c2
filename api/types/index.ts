import type { CampaignType } from '../../schema/campaign'
import { awareness } from './awareness'
import { leadGeneration } from './lead_generation'
import { traffic } from './traffic'

/** What the server needs to know of a type to serve it. A type without an entry is stored but not served yet. */
export interface ServerType {
  format(config: Record<string, unknown>): string
  /** The config as visitors' browsers get it, when part of it is the site's alone; all of it otherwise. */
  publicConfig?(config: Record<string, unknown>): Record<string, unknown>
}

export const serverTypes: Partial<Record<CampaignType, ServerType>> = {
  awareness,
  traffic,
  lead_generation: leadGeneration,
}
