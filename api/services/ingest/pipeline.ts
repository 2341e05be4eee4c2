import { sql } from 'drizzle-orm'
import { eventCredits, identities } from '../../../schema/db'
import type { Db } from '../../ports/database'
import type { StoredEvent } from '../../ports/events'
import type { ProfileUpdate } from '../../ports/kv'
import { type Increment, rollUpEvents } from '../analytics/rollups'
import { attributeConversions } from '../attribution'
import { updateProfiles } from '../profile/profiles'

/** One site's batch as the projections see it, inside the transaction that stored its events. */
export interface IngestBatch {
  siteId: string
  /** Every row given (new or resent), for what is linked by any of them (identities). */
  given: StoredEvent[]
  /** The rows stored by this write: a resent id is not among them, so nothing is counted twice. */
  stored: StoredEvent[]
  now: number
  /**
   * Credit for the rollups after the projections: what attribution found, and what a type's projection gave
   * through `creditEvents` (which keeps it for rebuilds; push nothing here directly).
   */
  credited: Increment[]
  /** The profile changes, for the key-value store to mirror once the transaction commits. */
  profiles: ProfileUpdate[]
}

/** Credit for one stored event, as a projection gives it outside attribution (see `creditEvents`). */
export interface EventCredit extends Increment {
  eventId: string
}

/**
 * Credits newly stored events to campaigns outside attribution (sales' funnel events to the last sales touch):
 * the rollups after the projection count them, and `event_credits` keeps them, in the same transaction, so a
 * rebuild of the rollups from raw events (api/services/analytics/rebuild.ts) puts the same credit back.
 */
export async function creditEvents(tx: Db, batch: IngestBatch, credits: readonly EventCredit[]) {
  if (credits.length === 0) return
  await tx.insert(eventCredits).values(
    credits.map((credit) => ({
      eventId: credit.eventId,
      siteId: batch.siteId,
      metric: credit.metric,
      campaignId: credit.campaignId,
      variantId: credit.variantId,
      n: credit.n,
      value: credit.value,
      at: credit.at,
      device: credit.device ?? null,
      country: credit.country ?? null,
    })),
  )
  for (const { eventId: _, ...increment } of credits) batch.credited.push(increment)
}

/**
 * A view kept up to date from stored events, written in the same transaction as the events (so a 2xx means it is
 * up to date too, and a resent batch changes nothing). Projections run in the order of the pipeline: later ones
 * may read what earlier ones put on the batch.
 */
export interface Projection {
  name: string
  apply(tx: Db, batch: IngestBatch): Promise<void>
}

/**
 * One link per anonymous id among the newly stored events that carry a user id: the latest one wins, and an
 * `identify` event's props are the user's traits.
 */
export function identityLinks(siteId: string, rows: StoredEvent[], stored: Set<string>) {
  const links = new Map<string, typeof identities.$inferInsert>()
  const ordered = rows
    .filter((r) => r.userId && stored.has(r.id!))
    .sort((a, b) => +a.timestamp - +b.timestamp)
  for (const row of ordered) {
    const previous = links.get(row.anonymousId)
    const traits = row.name === 'identify' ? (row.props ?? null) : (previous?.traits ?? null)
    links.set(row.anonymousId, { siteId, anonymousId: row.anonymousId, userId: row.userId!, traits })
  }
  // One order for every writer, so two transactions linking the same visitors wait for each other instead of
  // deadlocking.
  return [...links.values()].sort((a, b) =>
    a.anonymousId < b.anonymousId ? -1 : a.anonymousId > b.anonymousId ? 1 : 0,
  )
}

/** Which anonymous ids belong to which user: the identities the batch reveals. */
export const identityProjection: Projection = {
  name: 'identities',
  async apply(tx, batch) {
    const ids = new Set(batch.stored.map((row) => row.id!))
    const links = identityLinks(batch.siteId, batch.given, ids)
    if (links.length === 0) return
    await tx
      .insert(identities)
      .values(links)
      .onConflictDoUpdate({
        target: [identities.siteId, identities.anonymousId],
        set: {
          userId: sql`excluded.user_id`,
          traits: sql`coalesce(excluded.traits, ${identities.traits})`,
          lastSeenAt: sql`now()`,
        },
      })
  },
}

/** Conversions credited to the campaigns that led to them, under every attribution model. */
export const attributionProjection: Projection = {
  name: 'attribution',
  async apply(tx, batch) {
    batch.credited = await attributeConversions(tx, batch.siteId, batch.stored)
  },
}

/** Visitor profiles (traits, segments, recent views): their row locks also order two writes for one visitor. */
export const profileProjection: Projection = {
  name: 'profiles',
  async apply(tx, batch) {
    batch.profiles = await updateProfiles(tx, batch.siteId, batch.stored, batch.now)
  },
}

/** The per-campaign, per-variant, per-day sums analytics reads. */
export const rollupProjection: Projection = {
  name: 'rollups',
  async apply(tx, batch) {
    await rollUpEvents(tx, batch.siteId, batch.stored, batch.credited)
  },
}

/**
 * The ingest pipeline: identities, attribution, profiles, then each promotion type's own projections (in the
 * registry's order), then the rollups, which count what the others credited.
 */
export function ingestPipeline(typeProjections: readonly Projection[] = []): readonly Projection[] {
  return [identityProjection, attributionProjection, profileProjection, ...typeProjections, rollupProjection]
}

/** The pipeline without any type's projections: for tests and tools that store events outside an app. */
export const genericPipeline = ingestPipeline()
