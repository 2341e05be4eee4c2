import type { ServableCampaign } from '../../core/decide'
import { capOf } from '../../core/decide'
import type { StoredEvent } from '../../ports/events'
import type { ProfileUpdate } from '../../ports/kv'
import type { Services } from '../index'

/**
 * Per visitor, the campaigns of its newly stored viewable events (once per event) whose frequency cap counts
 * viewable impressions: serving holds a lease for each such impression until its viewable event turns it into
 * a count.
 */
export function viewedByVisitor(stored: StoredEvent[], active: ServableCampaign[]): Map<string, string[]> {
  const counted = new Set(active.filter((c) => capOf(c.frequency)?.countOn === 'viewable').map((c) => c.id))
  const byVisitor = new Map<string, string[]>()
  for (const event of stored) {
    if (event.name !== 'viewable' || !event.campaignId || !counted.has(event.campaignId)) continue
    const list = byVisitor.get(event.anonymousId)
    if (list) list.push(event.campaignId)
    else byVisitor.set(event.anonymousId, [event.campaignId])
  }
  return byVisitor
}

/**
 * The key-value store learns of a batch after it has committed. It is a mirror: a failure there is logged and
 * the batch still succeeds (retrying it would store nothing new, so nothing would reach the store either).
 * The log names the site and the error's kind only: messages from a store can echo keys, ids and traits.
 */
export async function mirror(
  services: Services,
  siteId: string,
  profiles: ProfileUpdate[],
  stored: StoredEvent[],
) {
  const failed = (what: string) => (error: unknown) =>
    services.log.error(`${what} not mirrored to the key-value store`, {
      siteId,
      error: error instanceof Error ? error.name : typeof error,
    })
  const writes: Promise<void>[] = []
  if (profiles.length > 0) writes.push(services.kv.setProfiles(profiles).catch(failed('profiles')))
  if (stored.some((event) => event.name === 'viewable' && event.campaignId)) {
    const now = services.now()
    const viewed = services.active
      .forSite(siteId)
      .then((active) =>
        Promise.all(
          [...viewedByVisitor(stored, active)].map(([visitor, campaignIds]) =>
            services.kv.viewed(siteId, visitor, campaignIds, now),
          ),
        ),
      )
    writes.push(viewed.then(() => undefined, failed('viewable impressions')))
  }
  await Promise.all(writes)
}
