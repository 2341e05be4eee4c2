import type { Db } from '../../ports/database'
import { unknownVisitor } from '../../ports/events'
import type { ProfileUpdate } from '../../ports/kv'
import type { Projection } from '../ingest/pipeline'
import { membersAmong } from './evaluate'
import { type AudienceTypes, type KeptAudience, keptAudiences } from './kept'
import { lockCandidates, openMemberships, profileUpdates, settle, writeSegments } from './membership'

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Replaces (or adds) the batch's profile updates with the engine's, so the store mirrors the final segments. */
export function mergeUpdates(into: ProfileUpdate[], updates: ProfileUpdate[]) {
  const index = new Map(into.map((update, i) => [update.visitor, i]))
  for (const update of updates) {
    const at = index.get(update.visitor)
    if (at === undefined) into.push(update)
    else into[at] = { ...into[at]!, segments: update.segments }
  }
}

/**
 * Evaluates the kept audiences for `visitors` at `now` and writes the entries and exits, then the profiles'
 * segments. Saved audiences come from `savedFromProfile` when ingest has just computed them (the same rule at
 * the same time), else from the stored events. Returns the profile updates for the key-value store.
 */
async function evaluateVisitors(
  tx: Db,
  siteId: string,
  kept: KeptAudience[],
  visitors: string[],
  now: number,
  savedFromProfile: boolean,
): Promise<ProfileUpdate[]> {
  // The lock and the open stays go out together (one round trip where the driver pipelines), in this order.
  const [candidates, open] = await Promise.all([
    lockCandidates(tx, siteId, visitors),
    openMemberships(tx, siteId, visitors),
  ])
  const ids = [...candidates.keys()]
  const keysOf = new Map<string, string[]>()
  for (const audience of kept) {
    const members =
      savedFromProfile && audience.segmentId
        ? new Set(ids.filter((id) => candidates.get(id)!.segments.has(audience.key)))
        : await membersAmong(tx, siteId, audience, candidates, now)
    const changes = await settle(tx, siteId, audience.key, visitors, members, open.get(audience.key), now)
    // Later audiences excluding this one see this evaluation's answer.
    for (const id of changes.entered) candidates.get(id)?.segments.add(audience.key)
    for (const id of changes.exited) candidates.get(id)?.segments.delete(audience.key)
    const exited = new Set(changes.exited)
    for (const id of [...(open.get(audience.key) ?? []), ...changes.entered]) {
      if (!exited.has(id)) keysOf.set(id, [...(keysOf.get(id) ?? []), audience.key])
    }
  }
  const updates = profileUpdates(siteId, candidates, keysOf, new Set(kept.map((audience) => audience.key)))
  await writeSegments(tx, siteId, updates)
  return updates
}

/**
 * The ingest projection: the batch's visitors are evaluated against every audience the site keeps, in ingest's
 * transaction, after the profiles and the types' projections (a cart, a purchase). A purchase in the batch thus
 * takes its buyer out of an audience that excludes converters before the batch commits, and the profile the
 * store mirrors carries the audience keys the visitor holds now.
 */
export function audienceProjection(types: AudienceTypes): Projection {
  return {
    name: 'audiences',
    async apply(tx, batch) {
      const visitors = [
        ...new Set(
          batch.stored.map((event) => event.anonymousId).filter((id) => id !== '' && id !== unknownVisitor),
        ),
      ].sort(byId)
      if (visitors.length === 0) return
      const kept = await keptAudiences(tx, batch.siteId, types)
      if (kept.length === 0) return
      // The profiles projection ran for this batch when it left updates; the server conversions route skips it.
      const profiled = batch.profiles.length > 0
      const updates = await evaluateVisitors(tx, batch.siteId, kept, visitors, batch.now, profiled)
      mergeUpdates(batch.profiles, updates)
    },
  }
}
