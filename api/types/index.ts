import { engagement } from '../../promotions/engagement/server/type'
import type { CampaignType } from '../../schema/campaign'
import type { Metrics } from '../analytics/kpis'
import type { Db } from '../db'
import { awareness } from './awareness'
import { leadGeneration } from './lead_generation'
import { traffic } from './traffic'

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
  /** Adds the type's own KPIs to a campaign's analytics answer (its totals, series buckets and variants). */
  analytics?(input: TypeAnalytics): Promise<void>
}

/** What a type's `analytics` is given: the range's rollup sums and the answer to add to, in place. */
export interface TypeAnalytics {
  db: Db
  campaign: { id: string; siteId: string; config: Record<string, unknown> }
  range: { from: Date; to: Date; interval: 'hour' | 'day' }
  metrics: { total: Metrics; byVariant: ReadonlyMap<string, Metrics>; byBucket: ReadonlyMap<string, Metrics> }
  answer: {
    totals: Record<string, unknown>
    series: ({ t: string } & Record<string, unknown>)[]
    byVariant: ({ variantId: string } & Record<string, unknown>)[]
  }
}

export const serverTypes: Partial<Record<CampaignType, ServerType>> = {
  awareness,
  traffic,
  lead_generation: leadGeneration,
  engagement,
}
