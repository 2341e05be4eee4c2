import type { Db } from '../ports/database'

/** A visitor of one site: what personal data is keyed by. */
export interface Visitor {
  siteId: string
  anonymousId: string
}

/**
 * A promotion type's rows that hold a visitor's data (likes, votes, comments, RSVPs…), for the privacy export,
 * erasure and the retention sweep, which are generic and ask each type for its part through this.
 */
export interface PersonalData {
  /** The key of the type's part in each visitor's export (`engagement`). */
  name: string
  /** The visitor's rows, as the export shows them. */
  export(db: Db, visitor: Visitor): Promise<unknown>
  /**
   * Inside erasure's transaction: the visitor's rows go, or stay (for the site's counts) under `unlinkedId`, an
   * id that leads nowhere.
   */
  erase(tx: Db, visitor: Visitor, unlinkedId: string): Promise<void>
  /**
   * The retention sweep's step for one site: at most `limit` rows older than `before` (an ISO time, what the site
   * keeps visitor data for) deleted or unlinked; answers how many changed (0 when done).
   */
  sweep?(db: Db, siteId: string, before: string, limit: number): Promise<number>
  /**
   * Its rows that name a person by email whether or not a visitor links them (an RSVP), for a privacy request by
   * email over `siteIds` (the requester's scope; the email as the request gives it, trimmed and lower case).
   */
  byEmail?: {
    export(db: Db, siteIds: string[], email: string): Promise<unknown>
    /** Inside erasure's transaction; answers how many rows it erased or unlinked. */
    erase(tx: Db, siteIds: string[], email: string): Promise<number>
  }
}
