import type { events } from '../../schema/db'
import type { ProfileUpdate } from './kv'

/** An event as stored: the one row shape ingest, projections, profiles and rollups all read. */
export type StoredEvent = typeof events.$inferInsert

/** The visitor of a click whose link carried no visitor id: counted for the campaign, never reached or profiled. */
export const unknownVisitor = 'unknown'

/** What one write stored: the rows that were new (a retried or repeated id is not). */
export interface Written {
  stored: StoredEvent[]
  profiles: ProfileUpdate[]
  /**
   * Handed to a queue, not stored yet: `stored` is every row sent (new or not), and the consumer mirrors to the
   * key-value store what it newly stores, so the request must not (it would count a resent viewable again).
   */
  queued?: boolean
}

/** How ingest writes: straight away per request, or grouped with other requests (see BatchingWriter). */
export interface EventWriter {
  /** Resolves once the rows are committed; rejects with a 429 ApiError when the writer is full. */
  write(siteId: string, rows: StoredEvent[]): Promise<Written>
  close(): Promise<void>
}
