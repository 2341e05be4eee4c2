import { awareness } from '../promotions/awareness/server/index'
import { leadGeneration } from '../promotions/lead_generation/server/index'
import { traffic } from '../promotions/traffic/server/index'
import type { CampaignType } from '../schema/campaign'

/** What the server needs to know of a type to serve it. A type without an entry is stored but not served yet. */
export interface ServerType {
  format(config: Record<string, unknown>): string
  /** The config as visitors' browsers get it, when part of it is the site's alone; all of it otherwise. */
  publicConfig?(config: Record<string, unknown>): Record<string, unknown>
  /**
   * Its decisions carry `visitorToken` (signed site and anonymous id), which the type's own submits send back so
   * the API links them to the visitor only for a browser that was served under that id.
   */
  visitorProof?: boolean
}

export const serverTypes: Partial<Record<CampaignType, ServerType>> = {
  awareness,
  traffic,
  lead_generation: leadGeneration,
}
