import { sql } from 'drizzle-orm'
import type { createApp } from '../../../api/app'
import { rowsOf } from '../../../api/ports/database'
import { campaignAudienceKey } from '../../../schema/audiences'

type App = ReturnType<typeof createApp>

/**
 * TEST SET-UP ONLY, standing in for the audience engine: makes visitors members of a campaign's audience the way
 * the engine does, by adding `campaignAudienceKey(campaignId)` to the segments of their profile row (made if they
 * have none) and mirroring the profile to the key-value store, which serve reads. Switch to the engine's entry
 * when it lands.
 */
export async function joinAudienceForTest(
  app: App,
  siteId: string,
  campaignId: string,
  anonymousIds: readonly string[],
) {
  const key = campaignAudienceKey(campaignId)
  const db = app.services.db
  const at = new Date(app.services.now()).toISOString()
  for (const anonymousId of anonymousIds) {
    const [row] = rowsOf<{ segments: unknown; traits: unknown; sessions: number | string }>(
      await db.execute(sql`
        insert into visitor_profiles (site_id, anonymous_id, first_seen_at, last_seen_at, segments)
        values (${siteId}::uuid, ${anonymousId}, ${at}::timestamptz, ${at}::timestamptz, jsonb_build_array(${key}::text))
        on conflict (site_id, anonymous_id) do update set segments = case
          when visitor_profiles.segments @> jsonb_build_array(${key}::text) then visitor_profiles.segments
          else visitor_profiles.segments || jsonb_build_array(${key}::text) end
        returning segments, traits, sessions`),
    )
    const parse = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value)
    await app.services.kv.setProfiles([
      {
        site: siteId,
        visitor: anonymousId,
        segments: parse(row!.segments) as string[],
        traits: parse(row!.traits) as Record<string, string | number | boolean>,
        returning: Number(row!.sessions) > 1,
      },
    ])
  }
}
