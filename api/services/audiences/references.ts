import { and, eq, inArray } from 'drizzle-orm'
import { campaignAudienceKey } from '../../../schema/audiences'
import { campaigns, segments } from '../../../schema/db'
import { builtInSegments } from '../../../schema/targeting'
import type { FieldIssue } from '../../core/errors'
import type { Db } from '../../ports/database'
import type { AudienceTypes } from './kept'
import { isCampaignAudienceKey } from './kept'

/**
 * What a campaign's audience refers to, checked against its own site: a `saved` kind's audience id and every
 * excluded segment key must exist there (a built-in segment, one of the site's saved audiences, or the audience
 * of one of the site's campaigns). Another site's audience does not exist. The issues, at their config paths.
 */
export async function audienceReferenceIssues(
  db: Db,
  types: AudienceTypes,
  type: string,
  config: Record<string, unknown>,
  siteId: string,
): Promise<FieldIssue[]> {
  const audience = types.of(type, config)
  if (!audience) return []
  const issues: FieldIssue[] = []
  if (audience.audience.kind === 'saved') {
    const [found] = await db
      .select({ id: segments.id })
      .from(segments)
      .where(and(eq(segments.id, audience.audience.audienceId), eq(segments.siteId, siteId)))
    if (!found) issues.push({ path: 'config.audience.audienceId', message: 'no saved audience of this site' })
  }
  const keys = audience.exclude.segments
  if (keys.length > 0) {
    const saved = await db
      .select({ key: segments.key })
      .from(segments)
      .where(and(eq(segments.siteId, siteId), inArray(segments.key, keys)))
    const campaignKeys = keys.filter(isCampaignAudienceKey)
    const siteCampaigns = campaignKeys.length
      ? await db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.siteId, siteId))
      : []
    const known = new Set<string>([
      ...builtInSegments,
      ...saved.map((row) => row.key),
      ...siteCampaigns.map((row) => campaignAudienceKey(row.id)),
    ])
    keys.forEach((key, i) => {
      if (!known.has(key))
        issues.push({ path: `config.exclude.segments.${i}`, message: 'no such segment on this site' })
    })
  }
  return issues
}
