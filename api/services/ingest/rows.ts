import { and, eq, inArray } from 'drizzle-orm'
import { campaigns, variants } from '../../../schema/db'
import { type BatchResult, dedupeId, type EventItem } from '../../../schema/events'
import type { Db } from '../../ports/database'
import type { StoredEvent } from '../../ports/events'

/** Campaign and variant ids in the batch that belong to this site; anything else is another tenant's or nothing. */
export async function ownedIds(db: Db, siteId: string, items: EventItem[]) {
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
 * The stored rows of a batch's valid items: an item naming another site's campaign or a variant of another
 * campaign is rejected at that field, a second item with an id already in the batch is a duplicate. Where the
 * batch came from (device class, operating system, country) is kept on every row; never the address.
 */
export function eventRows(
  siteId: string,
  valid: { index: number; item: EventItem }[],
  owned: Awaited<ReturnType<typeof ownedIds>>,
  origin: { device: StoredEvent['device']; os?: string | null; country: string | null },
): { rows: StoredEvent[]; rejected: BatchResult['rejected']; duplicates: number } {
  const { device, country } = origin
  const os = origin.os ?? null
  const rejected: BatchResult['rejected'] = []
  let duplicates = 0
  const seen = new Set<string>()
  const rows: StoredEvent[] = []
  for (const { index, item } of valid) {
    const reject = (path: string, message: string) =>
      rejected.push({
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
      duplicates++
      continue
    }
    seen.add(item.id)
    rows.push({
      id: item.id.toLowerCase(),
      siteId,
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
      os,
      country,
    })
  }
  return { rows, rejected, duplicates }
}
