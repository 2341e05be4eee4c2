import { and, eq, inArray } from 'drizzle-orm'
import { Hono } from 'hono'
import { campaigns, variants } from '../../../schema/db'
import { type BatchResult, dedupeId, type EventItem, eventBatch, eventItem } from '../../../schema/events'
import { unstorableMessage, unstorablePath } from '../../../schema/limits'
import { isBot } from '../../core/bots'
import { capOf, type ServableCampaign } from '../../core/decide'
import { issuesOf } from '../../core/errors'
import { deviceOf, geoOf } from '../../core/visitor'
import type { Db } from '../../ports/database'
import type { StoredEvent } from '../../ports/events'
import type { ProfileUpdate } from '../../ports/kv'
import type { Services } from '../../services/index'
import { publicPreflight, publicSite } from '../auth/public'
import type { AppEnv } from '../env'
import { headerOf, readBody } from '../request'

/** Campaign and variant ids in the batch that belong to this site; anything else is another tenant's or nothing. */
async function ownedIds(db: Db, siteId: string, items: EventItem[]) {
  const campaignIds = [...new Set(items.flatMap((item) => (item.campaignId ? [item.campaignId] : [])))]
  if (campaignIds.length === 0) return { campaigns: new Set<string>(), variants: new Map<string, string>() }
  const rows = await db
    .select({ campaignId: campaigns.id, variantId: variants.id })
    .from(campaigns)
    .leftJoin(variants, eq(variants.campaignId, campaigns.id))
    .where(and(eq(campaigns.siteId, siteId), inArray(campaigns.id, campaignIds)))
  return {
    campaigns: new Set(rows.map((r) => r.campaignId)),
    variants: new Map(rows.flatMap((r) => (r.variantId ? [[r.variantId, r.campaignId] as const] : []))),
  }
}

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

export function eventRoutes(services: Services) {
  const app = new Hono<AppEnv>()

  app.options('/events', (c) => publicPreflight(c, services))

  /**
   * A batch is checked item by item: a bad item is reported by index and the rest are stored. Writing is
   * idempotent by event id, so a retried batch only adds what is new.
   */
  app.post('/events', async (c) => {
    const body = await readBody(c, eventBatch, 'json-or-text', false)
    const site = await publicSite(c, services, body.site)
    if (isBot(headerOf(c, 'user-agent'))) {
      return c.json({
        accepted: 0,
        duplicates: 0,
        rejected: [],
        filtered: body.batch.length,
      } satisfies BatchResult)
    }
    const result: BatchResult = { accepted: 0, duplicates: 0, rejected: [] }
    const valid: { index: number; item: EventItem }[] = []
    body.batch.forEach((raw, index) => {
      const parsed = eventItem.safeParse(raw)
      const badText = unstorablePath(raw)
      if (parsed.success && !badText) valid.push({ index, item: parsed.data })
      else {
        const details = parsed.success
          ? [{ path: badText!.join('.'), message: unstorableMessage }]
          : issuesOf(parsed.error)
        const first = details[0]
        result.rejected.push({
          index,
          error: {
            code: 'validation_failed',
            message: first ? `${first.path}: ${first.message}` : 'invalid event',
            details,
          },
        })
      }
    })

    const owned = await ownedIds(
      services.db,
      site.id,
      valid.map((v) => v.item),
    )
    // Where the batch came from, kept per event for the device and country breakdowns: the class of device
    // from the User-Agent and the country the edge (or a configured proxy header) reports; never the IP.
    const userAgent = headerOf(c, 'user-agent')
    const device = userAgent ? deviceOf(userAgent).device : null
    const country =
      geoOf({
        header: (name) => headerOf(c, name),
        cf: (c.req.raw as { cf?: unknown }).cf,
        geoHeaders: services.deps.geoHeaders,
      }).country ?? null
    const seen = new Set<string>()
    const rows: StoredEvent[] = []
    for (const { index, item } of valid) {
      const reject = (path: string, message: string) =>
        result.rejected.push({
          index,
          error: { code: 'validation_failed', message: `${path}: ${message}`, details: [{ path, message }] },
        })
      if (item.campaignId && !owned.campaigns.has(item.campaignId)) {
        reject('campaignId', 'no such campaign on this site')
        continue
      }
      if (item.variantId && owned.variants.get(item.variantId) !== item.campaignId) {
        reject('variantId', 'no such variant of this campaign')
        continue
      }
      if (seen.has(item.id)) {
        result.duplicates++
        continue
      }
      seen.add(item.id)
      rows.push({
        id: item.id.toLowerCase(),
        siteId: site.id,
        name: item.name,
        timestamp: new Date(item.timestamp),
        anonymousId: item.anonymousId,
        sessionId: item.sessionId ?? null,
        userId: item.userId ?? null,
        eventId: item.eventId ? dedupeId(item.eventId) : null,
        campaignId: item.campaignId ?? null,
        variantId: item.variantId ?? null,
        slot: item.slot ?? null,
        url: item.url ?? null,
        referrer: item.referrer ?? null,
        props: item.props ?? null,
        value: item.value ?? null,
        currency: item.currency ?? null,
        device,
        country,
      })
    }
    if (rows.length > 0) {
      const { stored, profiles, queued } = await services.writer.write(site.id, rows)
      result.accepted = stored.length
      result.duplicates += rows.length - stored.length
      if (!queued) await mirror(services, site.id, profiles, stored as StoredEvent[])
    }
    result.rejected.sort((a, b) => a.index - b.index)
    return c.json(result)
  })

  return app
}
