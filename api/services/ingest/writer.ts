import { sql } from 'drizzle-orm'
import { builtinEventNames } from '../../../schema/events'
import { ApiError } from '../../core/errors'
import { type Db, databaseUnavailable, rowsOf } from '../../ports/database'
import type { EventWriter, StoredEvent, Written } from '../../ports/events'
import { genericPipeline, type IngestBatch, type Projection } from './pipeline'

/**
 * Inserts events, skipping ids already stored, in one statement whose size does not grow with the batch: each
 * column goes as one array parameter, unnested by PostgreSQL. Building a multi-row VALUES statement for
 * thousands of rows cost more CPU than the database spent storing them. Times travel as text (drizzle's
 * postgres.js setup passes timestamp arrays through unserialized). Returns the ids that were new.
 */
export async function insertEvents(tx: Db, rows: StoredEvent[]): Promise<Set<string>> {
  const column = <T>(pick: (row: StoredEvent) => T | null | undefined) =>
    sql.param(rows.map((row) => pick(row) ?? null))
  const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value))
  // A page-level event (no campaign, not one of the SDK's own names) is stored only if its dedupe row is: the
  // exclusion constraint on event_dedupe skips a second event with the same site, name and id within 48 hours,
  // in this statement or any other.
  const pageLevel = sql`(u.campaign_id is null and not (u.name = any(${sql.param([...builtinEventNames])}::text[])))`
  const result = await tx.execute(sql`
    with given as (
      select * from unnest(
        ${column((r) => r.id)}::uuid[], ${column((r) => r.siteId)}::uuid[], ${column((r) => r.name)}::text[],
        ${column((r) => (r.timestamp instanceof Date ? r.timestamp.toISOString() : r.timestamp))}::text[],
        ${column((r) => r.anonymousId)}::text[], ${column((r) => r.sessionId)}::text[],
        ${column((r) => r.userId)}::text[], ${column((r) => r.campaignId)}::uuid[],
        ${column((r) => r.variantId)}::uuid[], ${column((r) => r.slot)}::text[], ${column((r) => r.url)}::text[],
        ${column((r) => r.referrer)}::text[], ${column((r) => json(r.props))}::text[],
        ${column((r) => r.value)}::float8[], ${column((r) => r.currency)}::text[],
        ${column((r) => r.source)}::text[], ${column((r) => r.eventId)}::text[],
        ${column((r) => r.actionSource)}::text[], ${column((r) => json(r.userData))}::text[],
        ${column((r) => r.device)}::text[], ${column((r) => r.country)}::text[],
        ${column((r) => r.os)}::text[]
      ) with ordinality as g(id, site_id, name, ts, anonymous_id, session_id, user_id, campaign_id, variant_id, slot,
        url, referrer, props, value, currency, source, event_id, action_source, user_data, device, country, os, position)
    ),
    -- One row per id, the first given (two requests of a group can carry the same event), in id order: the
    -- order every writer locks ids in.
    u as (select distinct on (id) * from given order by id, position),
    fresh as (
      insert into event_ids (id) select id from u
      on conflict do nothing
      returning id
    ),
    deduped as (
      insert into event_dedupe (site_id, name, key, ts, event_id)
      select u.site_id, u.name, coalesce(u.event_id, u.id::text), u.ts::timestamptz, u.id from u
      where ${pageLevel} and u.id in (select id from fresh)
      -- Earliest first: of events with the same name and id, the first in time is the one counted.
      order by u.name, coalesce(u.event_id, u.id::text), u.ts::timestamptz
      on conflict do nothing
      returning event_id
    )
    insert into events (id, site_id, name, ts, anonymous_id, session_id, user_id, campaign_id, variant_id, slot,
      url, referrer, props, value, currency, source, event_id, action_source, user_data, device, country, os)
    select u.id, u.site_id, u.name, u.ts::timestamptz, u.anonymous_id, u.session_id, u.user_id, u.campaign_id,
      u.variant_id, u.slot, u.url, u.referrer, u.props::jsonb, u.value, u.currency, coalesce(u.source, 'browser'),
      u.event_id, u.action_source, u.user_data::jsonb, u.device, u.country, u.os
    from u where u.id in (select id from fresh) and (not ${pageLevel} or u.id in (select event_id from deduped))
    returning id`)
  return new Set(rowsOf<{ id: string }>(result).map((row) => row.id))
}

/**
 * Told how long each step of a stored batch took, in ms: `insert` (the events and their dedupe), each projection
 * by name, and `commit`. A step's time includes waiting for rows another transaction holds locked.
 */
export type StepObserver = (step: string, ms: number) => void

/**
 * Stores one site's events in one transaction: the events (idempotent by id), then every projection of the
 * pipeline over the newly stored ones (identities, attribution, profiles, each type's own, rollups), so a 2xx
 * means all of it is stored, and a retried batch changes nothing.
 */
export async function storeEvents(
  db: Db,
  siteId: string,
  rows: StoredEvent[],
  now: number,
  pipeline: readonly Projection[] = genericPipeline,
  observe?: StepObserver,
): Promise<Written> {
  let at = performance.now()
  // Each step's time, told once the transaction has committed (a step of a failed one is not a stored batch's).
  const steps: [string, number][] = []
  const step = (name: string) => {
    if (!observe) return
    const then = at
    at = performance.now()
    steps.push([name, at - then])
  }
  const written = await db.transaction(async (tx) => {
    const storedIds = await insertEvents(tx, rows)
    step('insert')
    const batch: IngestBatch = {
      siteId,
      given: rows,
      stored: rows.filter((row) => storedIds.has(row.id!)),
      now,
      credited: [],
      profiles: [],
    }
    for (const projection of pipeline) {
      await projection.apply(tx, batch)
      step(projection.name)
    }
    return { stored: batch.stored, profiles: batch.profiles }
  })
  if (observe) {
    step('commit')
    for (const [name, ms] of steps) observe(name, ms)
  }
  return written
}

/** One transaction per request: what Workers use (each request has its own connection) and what tests get. */
export class DirectWriter implements EventWriter {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly pipeline: readonly Projection[] = genericPipeline,
    private readonly observe?: StepObserver,
  ) {}

  write(siteId: string, rows: StoredEvent[]): Promise<Written> {
    return storeEvents(this.db, siteId, rows, this.now(), this.pipeline, this.observe)
  }

  async close(): Promise<void> {}
}

/**
 * Each id once (the first given) and in id order: the order every writer inserts in, so two transactions in
 * flight that share an id (a retry racing its original) wait for each other rather than deadlock.
 */
function inIdOrder(rows: StoredEvent[]): StoredEvent[] {
  const first = new Map<string, StoredEvent>()
  for (const row of rows) if (!first.has(row.id)) first.set(row.id, row)
  return [...first.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** A request whose rows could not be stored: nothing of it was, so the SDK's retry loses nothing. */
const storeFailed = () =>
  new ApiError('unavailable', 'Events could not be stored; retry', { retryAfter: 1 }, { 'Retry-After': '1' })

interface Waiting {
  rows: StoredEvent[]
  /** When the request joined the queue (performance.now()), for the commit's wait. */
  since: number
  resolve: (written: Written) => void
  reject: (error: unknown) => void
}

interface SiteQueue {
  waiting: Waiting[]
  rows: number
  timer?: ReturnType<typeof setTimeout>
  /** Transactions of this site in flight. */
  inFlight: number
}

export interface BatchingOptions {
  /** What storing a group runs in its transaction; the generic projections alone by default. */
  pipeline?: readonly Projection[]
  /** How long the first request of a group waits for others to join it. */
  lingerMs?: number
  /** Rows in one statement at most (16 columns each: well under PostgreSQL's 65,535 parameters). */
  maxRows?: number
  /** Rows waiting across all sites before new requests are turned away with 429. */
  maxPending?: number
  /**
   * Transactions per site at once. Two keep the database busy while the next group is prepared; rows are
   * locked in one order (events by id, profiles and identities by visitor), so they wait, not deadlock.
   */
  maxInFlight?: number
  /** Told of each failed transaction: a group's, then that of each of its requests that fails alone (503). */
  onError?: (error: unknown) => void
  /** Told of every transaction: its rows and requests, its oldest request's wait and its own time, in ms. */
  onCommit?: (rows: number, requests: number, waitMs: number, commitMs: number, ok: boolean) => void
  /** Told of each step of every committed transaction (`storeEvents`' observer). */
  onStep?: StepObserver
}

/**
 * Group commit for a long-running Node server: concurrent requests for one site join a group that is written
 * in one transaction (one multi-row insert, one identities upsert, one profiles pass), after a few
 * milliseconds of linger or as soon as the group is full. Each request is answered only after the
 * transaction holding its rows has committed, with its own rows' outcome. At most `maxInFlight` transactions
 * per site are in flight; the next group fills meanwhile. The buffer is bounded: when `maxPending` rows are waiting,
 * new requests get 429 with Retry-After, so a database that falls behind slows clients down instead of
 * growing the heap. When a group's transaction fails, its requests are written again one at a time, so a row
 * the database refuses fails only the request that carried it (with 503, which the SDK retries; nothing of that
 * request was stored, so the retry loses nothing and counts nothing twice).
 */
export class BatchingWriter implements EventWriter {
  private readonly queues = new Map<string, SiteQueue>()
  private pending = 0
  private readonly lingerMs: number
  private readonly maxRows: number
  private readonly maxPending: number
  private readonly maxInFlight: number
  private closed = false
  private readonly onError: (error: unknown) => void
  private readonly onCommit: BatchingOptions['onCommit']
  private readonly onStep: BatchingOptions['onStep']
  private readonly pipeline: readonly Projection[]

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    options: BatchingOptions = {},
  ) {
    this.lingerMs = options.lingerMs ?? 4
    this.maxRows = options.maxRows ?? 2_000
    this.maxPending = options.maxPending ?? 50_000
    this.maxInFlight = options.maxInFlight ?? 2
    this.onError = options.onError ?? (() => {})
    this.onCommit = options.onCommit
    this.onStep = options.onStep
    this.pipeline = options.pipeline ?? genericPipeline
  }

  /** Rows waiting to be written, across sites. */
  get backlog(): number {
    return this.pending
  }

  write(siteId: string, rows: StoredEvent[]): Promise<Written> {
    if (this.closed) return Promise.reject(new ApiError('unavailable', 'The server is shutting down'))
    if (this.pending + rows.length > this.maxPending) {
      return Promise.reject(
        new ApiError(
          'rate_limited',
          'Ingest is busy; retry shortly',
          { retryAfter: 1 },
          { 'Retry-After': '1' },
        ),
      )
    }
    return new Promise<Written>((resolve, reject) => {
      let queue = this.queues.get(siteId)
      if (!queue) {
        queue = { waiting: [], rows: 0, inFlight: 0 }
        this.queues.set(siteId, queue)
      }
      queue.waiting.push({ rows, since: performance.now(), resolve, reject })
      queue.rows += rows.length
      this.pending += rows.length
      if (queue.rows >= this.maxRows) this.flush(siteId, queue)
      else queue.timer ??= setTimeout(() => this.flush(siteId, queue), this.lingerMs)
    })
  }

  private flush(siteId: string, queue: SiteQueue): void {
    if (queue.timer) {
      clearTimeout(queue.timer)
      queue.timer = undefined
    }
    if (queue.inFlight >= this.maxInFlight || queue.waiting.length === 0) return
    // Take whole requests up to maxRows (always at least one, however large).
    const group: Waiting[] = []
    let rows = 0
    while (
      queue.waiting.length > 0 &&
      (group.length === 0 || rows + queue.waiting[0]!.rows.length <= this.maxRows)
    ) {
      const next = queue.waiting.shift()!
      group.push(next)
      rows += next.rows.length
    }
    queue.rows -= rows
    queue.inFlight++
    // A full group behind this one need not wait for it: the database works on both.
    if (queue.rows >= this.maxRows) this.flush(siteId, queue)
    void this.commit(siteId, group, rows).finally(() => {
      queue.inFlight--
      if (queue.waiting.length === 0) {
        if (!queue.timer && queue.inFlight === 0) this.queues.delete(siteId)
      } else if (queue.rows >= this.maxRows || !queue.timer) {
        this.flush(siteId, queue)
      }
    })
  }

  private async commit(siteId: string, group: Waiting[], rows: number): Promise<void> {
    // An id sent twice in one group (a retry racing its original) is written once, for its first sender.
    const all = inIdOrder(group.flatMap((request) => request.rows))
    let written: Written
    const began = performance.now()
    const report = (ok: boolean, count = all.length, requests = group.length, since = began) =>
      this.onCommit?.(count, requests, since - group[0]!.since, performance.now() - since, ok)
    try {
      written = await storeEvents(this.db, siteId, all, this.now(), this.pipeline, this.onStep)
    } catch (error) {
      report(false)
      this.onError(error)
      // A database that is away refuses each request as it refused the group: trying them one by one would only
      // hold them (for the connect timeout each, if it hangs) before the same 503.
      if (group.length === 1 || databaseUnavailable(error)) {
        this.pending -= rows
        for (const request of group) request.reject(storeFailed())
        return
      }
      // Something in the group was refused, and nothing of it stored: each request again on its own, so what one
      // request carries never fails another's.
      for (const request of group) {
        const own = inIdOrder(request.rows)
        const alone = performance.now()
        try {
          const result = await storeEvents(this.db, siteId, own, this.now(), this.pipeline, this.onStep)
          report(true, own.length, 1, alone)
          const stored = new Set(result.stored)
          request.resolve({
            stored: request.rows.filter((row) => stored.has(row)),
            profiles: result.profiles,
          })
        } catch (error) {
          report(false, own.length, 1, alone)
          this.onError(error)
          request.reject(storeFailed())
        }
      }
      this.pending -= rows
      return
    }
    this.pending -= rows
    report(true)
    const stored = new Set(written.stored)
    const claimed = new Set<StoredEvent>()
    for (const request of group) {
      // Each request gets the rows that are its own and new; the profiles go to the first to mirror them.
      const own = request.rows.filter((row) => stored.has(row) && !claimed.has(row))
      for (const row of own) claimed.add(row)
      request.resolve({ stored: own, profiles: request === group[0] ? written.profiles : [] })
    }
  }

  /** Writes what is waiting, then refuses new work. */
  async close(): Promise<void> {
    this.closed = true
    for (const [siteId, queue] of this.queues) this.flush(siteId, queue)
    while (this.pending > 0) await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
