import { and, asc, eq, inArray } from 'drizzle-orm'
import { type CampaignAudience, campaignAudienceKey } from '../../../schema/audiences'
import type { CampaignType } from '../../../schema/campaign'
import { campaigns, segments } from '../../../schema/db'
import type { SegmentRule } from '../../../schema/segments'
import type { Db } from '../../ports/database'

/**
 * Which campaigns have an audience of their own: the types that return one (`ServerType.audience`), and the
 * audience of a campaign's config. Built once by the composition root from the registry.
 */
export interface AudienceTypes {
  /** The types whose campaigns may have an audience; none means the engine keeps saved audiences only. */
  types: readonly CampaignType[]
  of(type: string, config: Record<string, unknown>): CampaignAudience | undefined
}

export const noAudienceTypes: AudienceTypes = { types: [], of: () => undefined }

/** A saved audience's rule as the engine evaluates it: traits and event counts within the lookback. */
export interface SavedRule {
  rule: SegmentRule
  lookbackDays: number
}

/** One audience the engine keeps memberships for. */
export interface KeptAudience {
  key: string
  /** A campaign's own audience: its campaign; a saved audience: its segment. */
  campaignId?: string
  segmentId?: string
  audience: CampaignAudience
  /** The saved rule a `saved` kind (or a saved audience itself) points at; null when it no longer exists. */
  saved: SavedRule | null
  /** What the members depend on, as text: a change is evaluated in full by the next scheduled run. */
  definition: string
}

/** A campaign audience's key: `c_` and the 32 hex digits of its campaign id. */
export const isCampaignAudienceKey = (key: string) => /^c_[0-9a-f]{32}$/.test(key)

/**
 * Every audience the site keeps: each saved audience (key = its segment key), then each active campaign whose
 * type has an audience (key = `campaignAudienceKey`), saved ones first so a campaign excluding a saved audience
 * sees its members of the same run.
 */
export async function keptAudiences(db: Db, siteId: string, types: AudienceTypes): Promise<KeptAudience[]> {
  // Both go out together: one round trip where the driver pipelines (ingest runs this in every batch).
  const [saved, active] = await Promise.all([
    db
      .select({
        id: segments.id,
        key: segments.key,
        rule: segments.rule,
        lookbackDays: segments.lookbackDays,
      })
      .from(segments)
      .where(eq(segments.siteId, siteId))
      .orderBy(asc(segments.key)),
    types.types.length
      ? db
          .select({ id: campaigns.id, type: campaigns.type, config: campaigns.config })
          .from(campaigns)
          .where(
            and(
              eq(campaigns.siteId, siteId),
              eq(campaigns.status, 'active'),
              inArray(campaigns.type, [...types.types]),
            ),
          )
          .orderBy(asc(campaigns.id))
      : Promise.resolve([]),
  ])
  const byId = new Map(saved.map((row) => [row.id, row]))
  const kept: KeptAudience[] = saved.map((row) => {
    const rule = { rule: row.rule, lookbackDays: row.lookbackDays }
    const audience: CampaignAudience = {
      audience: { kind: 'saved', audienceId: row.id },
      exclude: { segments: [] },
    }
    return { key: row.key, segmentId: row.id, audience, saved: rule, definition: JSON.stringify(rule) }
  })
  for (const row of active) {
    const audience = types.of(row.type, row.config)
    if (!audience) continue
    const target = audience.audience.kind === 'saved' ? byId.get(audience.audience.audienceId) : undefined
    const saved = target ? { rule: target.rule, lookbackDays: target.lookbackDays } : null
    kept.push({
      key: campaignAudienceKey(row.id),
      campaignId: row.id,
      audience,
      saved,
      definition: JSON.stringify({ audience, saved }),
    })
  }
  return kept
}
