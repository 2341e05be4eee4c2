import { sql } from 'drizzle-orm'
import type { createApp } from '../../../api/app'
import { rowsOf } from '../../../api/ports/database'
import { campaignAudienceKey } from '../../../schema/audiences'

type App = ReturnType<typeof createApp>

/**
 * TEST SET-UP ONLY: makes visitors members of a campaign's audience without the events that would make them so,
 * for the filler's and KPIs' unit tests, by writing what the audience engine (api/services/audiences) writes for
 * a member: an open stay in `audience_memberships`, and `campaignAudienceKey(campaignId)` among the segments of
 * their profile row (made if they have none), mirrored to the key-value store serve reads. The engine's own
 * tests, and the cart reminder's browser test, go through real events instead.
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
    await db.execute(sql`
      insert into audience_memberships (site_id, audience_key, anonymous_id, entered_at)
      values (${siteId}::uuid, ${key}, ${anonymousId}, ${at}::timestamptz)
      on conflict (site_id, audience_key, anonymous_id) where exited_at is null do nothing`)
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
