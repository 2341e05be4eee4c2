import { CatalogCache } from '../../promotions/traffic/server/cache'
import type { CaptchaVerifier } from '../adapters/captcha'
import { measuredKv } from '../adapters/kv/measured'
import { MemoryKv } from '../adapters/kv/memory'
import { ClickSigner } from '../core/clicks'
import { errorSummary } from '../core/errors'
import type { Db } from '../ports/database'
import type { Deps, Logger } from '../ports/deps'
import { defaultPublicUrl, silentLogger } from '../ports/deps'
import type { Kv } from '../ports/kv'
import { type Metrics, noMetrics } from '../ports/metrics'
import { ActiveCampaigns } from './active-campaigns'
import { BatchingWriter, DirectWriter, type EventWriter } from './ingest/writer'
import { type RateCounter, rateCounterFor } from './limits/counter'
import { SitesDirectory } from './sites-directory'

/** The long-lived collaborators the routes share, made once per app from its deps. */
export interface Services {
  db: Db
  deps: Deps
  /** Where the links the API hands out (clicks, downloads) point: `deps.publicUrl`, never a request's Host. */
  publicUrl: string
  signer: ClickSigner
  sites: SitesDirectory
  active: ActiveCampaigns
  /** Each site's content catalog for recommendation rails. */
  catalog: CatalogCache
  kv: Kv
  /** Counts requests against the public routes' rate limits (api/limits). */
  rateCounter: RateCounter
  writer: EventWriter
  captcha?: CaptchaVerifier
  now: () => number
  random: () => number
  log: Logger
  metrics: Metrics
}

export function createServices(deps: Deps): Services {
  const now = deps.now ?? Date.now
  const db = deps.database.db
  const signer = new ClickSigner(deps.signingSecret)
  const log = deps.log ?? silentLogger
  const metrics = deps.metrics ?? noMetrics
  const store = deps.kv ?? new MemoryKv()
  const kv = deps.metrics ? measuredKv(store, deps.metrics) : store
  return {
    db,
    deps,
    publicUrl: (deps.publicUrl ?? defaultPublicUrl).replace(/\/+$/, ''),
    signer,
    sites: new SitesDirectory(db, now),
    active: new ActiveCampaigns(db, signer, kv, now, {
      onError: (error) => log.error('kv version check failed', { error }),
    }),
    catalog: new CatalogCache(db, now),
    kv,
    // The memory store counts in place (no call to time); a shared store's reports go through the timed port.
    rateCounter: rateCounterFor(store instanceof MemoryKv ? store : kv, log, deps.rateCounts, deps.defer),
    writer:
      deps.writer ??
      (deps.ingest === 'batched'
        ? new BatchingWriter(db, now, {
            onError: (error) => log.error('event batch not stored', errorSummary(error)),
            onCommit: (rows, requests, waitMs, commitMs, ok) =>
              metrics.ingestCommit(rows, requests, waitMs / 1000, commitMs / 1000, ok),
          })
        : new DirectWriter(db, now)),
    captcha: deps.captcha,
    now,
    random: deps.random ?? Math.random,
    log,
    metrics,
  }
}
