import type { CampaignType } from '../../schema/campaign'
import { awareness } from './awareness'
import { traffic } from './traffic'

/** What the server needs to know of a type to serve it. A type without an entry is stored but not served yet. */
export interface ServerType {
  format(config: Record<string, unknown>): string
}

export const serverTypes: Partial<Record<CampaignType, ServerType>> = {
  awareness,
  traffic,
}
