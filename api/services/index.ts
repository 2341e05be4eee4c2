import { ClickSigner } from '../core/clicks'
import { errorSummary } from '../core/errors'
import type { CaptchaVerifier } from '../ports/captcha'
import type { Db } from '../ports/database'
import type { EventWriter } from '../ports/events'
import type { Kv } from '../ports/kv'
import type { Logger } from '../ports/log'
import { silentLogger } from '../ports/log'
import { type Metrics, noMetrics } from '../ports/metrics'
import { ActiveCampaigns, type FormatOf } from './active-campaigns'
import { type AudienceTypes, noAudienceTypes } from './audiences/kept'
import { audienceProjection } from './audiences/projection'
import type { Deps } from './deps'
import { defaultPublicUrl } from './deps'
import { ExposureRecorder } from './exposures'
import { ingestPipeline, type Projection } from './ingest/pipeline'
import { BatchingWriter, DirectWriter } from './ingest/writer'
import { type RateCounter, rateCounterFor } from './limits/counter'
import type { PersonalData } from './personal-data'
import { noPromoCodeTypes, type PromoCodeTypes } from './promo-code-types'
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
  /** Which campaigns have an audience of their own, for the audience engine (api/services/audiences). */
  audiences: AudienceTypes
  /** Which campaigns hand out promo codes, and under what terms (api/services/promo-code-types.ts). */
  promoCodes: PromoCodeTypes
  /** What storing a batch of events runs inside its transaction, in order (api/services/ingest/pipeline.ts). */
  pipeline: readonly Projection[]
  /** Each type's rows that hold visitor data, for privacy requests and the retention sweep. */
  personalData: readonly PersonalData[]
  kv: Kv
  /** Counts requests against the public routes' rate limits (api/limits). */
  rateCounter: RateCounter
  writer: EventWriter
  /** Serve's first-exposure records of campaigns with a holdout, written off the request's path. */
  exposures: ExposureRecorder
  captcha?: CaptchaVerifier
  now: () => number
  random: () => number
  log: Logger
  metrics: Metrics
}

/**
 * The services over the stores the composition root chose: `store` is the key-value store itself, `kv` the same
 * store as the routes call it (timed when metrics are on). See api/app.ts, which picks the defaults.
 */
export interface ServiceTypes {
  /** The decision format of a campaign of a servable type; undefined for a type the server cannot serve. */
  formatOf: FormatOf
  /** The promotion types' own ingest projections, run after profiles and before the rollups. */
  projections: readonly Projection[]
  /** The promotion types' personal data (api/services/personal-data.ts). */
  personalData: readonly PersonalData[]
  /** The types whose campaigns have an audience (`ServerType.audience`); none by default. */
  audiences?: AudienceTypes
  /** The types whose campaigns hand out promo codes (`ServerType.promoCodes`); none by default. */
  promoCodes?: PromoCodeTypes
}

export function createServices(deps: Deps, store: Kv, kv: Kv, types: ServiceTypes): Services {
  const audiences = types.audiences ?? noAudienceTypes
  // The audience engine runs after the types' projections (a cart, a purchase), before the rollups.
  const pipeline = ingestPipeline([...types.projections, audienceProjection(audiences)])
  const now = deps.now ?? Date.now
  const db = deps.database.db
  const signer = new ClickSigner(deps.signingSecret)
  const log = deps.log ?? silentLogger
  const metrics = deps.metrics ?? noMetrics
  // Ingest's step timings, only where metrics are kept (without an observer a write takes no timings at all).
  const onStep =
    metrics === noMetrics ? undefined : (step: string, ms: number) => metrics.ingestStep(step, ms / 1000)
  return {
    db,
    deps,
    publicUrl: (deps.publicUrl ?? defaultPublicUrl).replace(/\/+$/, ''),
    signer,
    sites: new SitesDirectory(db, now),
    active: new ActiveCampaigns(db, signer, kv, now, types.formatOf, {
      onError: (error) => log.error('kv version check failed', { error }),
      audiences,
    }),
    audiences,
    promoCodes: types.promoCodes ?? noPromoCodeTypes,
    pipeline,
    personalData: types.personalData,
    kv,
    // The memory store counts in place (no call to time); a shared store's reports go through the timed port.
    rateCounter: rateCounterFor(store.hitNow ? store : kv, log, deps.rateCounts, deps.defer),
    writer:
      deps.writer ??
      (deps.ingest === 'batched'
        ? new BatchingWriter(db, now, {
            pipeline,
            onError: (error) => log.error('event batch not stored', errorSummary(error)),
            onCommit: (rows, requests, waitMs, commitMs, ok) =>
              metrics.ingestCommit(rows, requests, waitMs / 1000, commitMs / 1000, ok),
            ...(onStep && { onStep }),
          })
        : new DirectWriter(db, now, pipeline, onStep)),
    exposures: new ExposureRecorder(db, log, deps.defer ? { defer: deps.defer } : {}),
    captcha: deps.captcha,
    now,
    random: deps.random ?? Math.random,
    log,
    metrics,
  }
}
