import type { Kv } from '../../ports/kv'
import type { Logger } from '../../ports/log'
import type { Limit } from './rules'

/** Counts one request against a limit: 0 when it may go ahead, else the milliseconds until it may. */
export interface RateCounter {
  hit(site: string, key: string, limit: Limit, now: number): Promise<number> | number
}

/**
 * Straight to the in-process memory store, where a hit is a map update, exact, and needs no promise. A store
 * that fails lets the request through, logged.
 */
export class StoreCounter implements RateCounter {
  constructor(
    private readonly kv: Required<Pick<Kv, 'hitNow'>>,
    private readonly log: Logger,
  ) {}

  hit(site: string, key: string, { limit, windowMs }: Limit, now: number): number {
    try {
      return this.kv.hitNow(site, key, limit, windowMs, now)
    } catch (error) {
      this.log.error('rate limit store unavailable; request let through', { error: String(error) })
      return 0
    }
  }
}

interface Tally {
  site: string
  key: string
  limit: Limit
  /** What this instance let through in its own window, which closes at `closesAt`. */
  count: number
  closesAt: number
  /** Let through but not yet reported to the shared store. */
  pending: number
  /** Refused until then, by this instance's own count or the shared store's answer. */
  blockedUntil: number
}

/** Tallies kept per instance; beyond this, closed windows go first, then the oldest unblocked ones. */
const maxTallies = 50_000
/**
 * A key is reported once this instance has counted this share of its limit in the window, and then at every
 * sync: most addresses send a handful of requests and never need the store, which then sees only the few
 * that could come near a limit (and the site keys, which every request counts). The store learns of a key
 * late by at most this share per instance.
 */
const reportShare = 0.1

/**
 * The per-instance pre-count for a shared store over the network (Redis, Upstash): a request is decided from
 * this instance's own tally, with no round trip, and what it let through is reported to the shared store at
 * most once per `syncMs` (one `Kv.hit` per key with the amount since the last report, sent together), for
 * keys that have reached `reportShare` of their limit here. The store's answer blocks the key here until its
 * shared window closes. So each instance holds every limit on its own exactly, and together they hold it to
 * within what each lets through before reporting (a tenth of the limit) and in one sync interval.
 * Kept per process on Node and per isolate on Workers, where the app is made anew for each request.
 */
export class PreCounts {
  private readonly tallies = new Map<string, Tally>()
  private lastSync = Number.NEGATIVE_INFINITY
  private syncing = false

  constructor(readonly syncMs = 1_000) {}

  hit(site: string, key: string, limit: Limit, now: number): number {
    const id = `${site}\n${key}`
    let tally = this.tallies.get(id)
    if (!tally) {
      if (this.tallies.size >= maxTallies) this.prune(now)
      tally = { site, key, limit, count: 0, closesAt: now + limit.windowMs, pending: 0, blockedUntil: 0 }
      this.tallies.set(id, tally)
    }
    if (tally.blockedUntil > now) return tally.blockedUntil - now
    if (tally.closesAt <= now) {
      tally.count = 0
      tally.pending = 0
      tally.closesAt = now + limit.windowMs
    }
    if (tally.count >= limit.limit) {
      tally.blockedUntil = tally.closesAt
      return tally.closesAt - now
    }
    tally.count++
    tally.pending++
    return 0
  }

  /** Reports what is pending when the last report is `syncMs` old; undefined when nothing was sent. */
  sync(kv: Kv, now: number, log: Logger): Promise<void> | undefined {
    if (this.syncing || now - this.lastSync < this.syncMs) return undefined
    // Looked at once per interval whether or not anything is due: a scan of every tally per request is not.
    this.lastSync = now
    const due: Tally[] = []
    for (const tally of this.tallies.values()) {
      if (tally.pending > 0 && tally.count >= Math.ceil(tally.limit.limit * reportShare)) due.push(tally)
    }
    if (due.length === 0) return undefined
    this.syncing = true
    const reports = due.map(async (tally) => {
      const amount = tally.pending
      tally.pending = 0
      const { limit, windowMs } = tally.limit
      const wait = await kv.hit(tally.site, tally.key, limit, windowMs, now, amount)
      if (wait > 0) tally.blockedUntil = Math.max(tally.blockedUntil, now + wait)
    })
    return Promise.allSettled(reports).then((results) => {
      this.syncing = false
      const failed = results.find((result) => result.status === 'rejected')
      if (failed) {
        log.error('rate limit store unavailable; limits held per instance only', {
          error: String((failed as PromiseRejectedResult).reason),
        })
      }
    })
  }

  private prune(now: number): void {
    for (const [id, tally] of this.tallies) {
      if (tally.blockedUntil <= now && tally.closesAt <= now) this.tallies.delete(id)
    }
    let excess = this.tallies.size - maxTallies * 0.75
    for (const [id, tally] of this.tallies) {
      if (excess <= 0) break
      if (tally.blockedUntil > now) continue
      this.tallies.delete(id)
      excess--
    }
  }
}

/** A shared store over the network, counted ahead in this instance and reported in the background. */
export class PreCounter implements RateCounter {
  constructor(
    private readonly kv: Kv,
    private readonly counts: PreCounts,
    private readonly log: Logger,
    /** Where a report that outlives its request is handed (Workers' waitUntil); on Node it just runs. */
    private readonly defer?: (task: Promise<unknown>) => void,
  ) {}

  hit(site: string, key: string, limit: Limit, now: number): number {
    const wait = this.counts.hit(site, key, limit, now)
    const report = this.counts.sync(this.kv, now, this.log)
    if (report) this.defer?.(report)
    return wait
  }
}

export function rateCounterFor(
  kv: Kv,
  log: Logger,
  counts?: PreCounts,
  defer?: (task: Promise<unknown>) => void,
): RateCounter {
  if (kv.hitNow) return new StoreCounter(kv as Required<Pick<Kv, 'hitNow'>>, log)
  return new PreCounter(kv, counts ?? new PreCounts(), log, defer)
}
