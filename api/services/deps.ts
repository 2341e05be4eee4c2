import type { CaptchaVerifier } from '../ports/captcha'
import type { Database } from '../ports/database'
import type { EventWriter } from '../ports/events'
import type { Geocoder } from '../ports/geocoder'
import type { Kv } from '../ports/kv'
import type { Logger } from '../ports/log'
import type { Metrics } from '../ports/metrics'
import type { FollowUpDeps } from './followup/types'
import type { PreCounts } from './limits/counter'
import type { LimitOverrides } from './limits/rules'

/**
 * Static files the runtime can serve (SDK build, admin build, examples), negotiated by the request's headers
 * (`Accept-Encoding`, `If-None-Match`). Null when the path is not one of them.
 */
export type AssetFetcher = (path: string, headers?: Headers) => Promise<Response | null>

/** Everything the app needs from its runtime. Built once by `api/runtime/*.ts` from the environment. */
export interface Deps extends FollowUpDeps {
  database: Database
  /** HMAC key for click tokens. */
  signingSecret: string
  /**
   * Where click and download links point (PROMO_PUBLIC_URL; on Node by default its own http://localhost:PORT):
   * always a configured origin, never the Host a request names. Session cookies are Secure when it is https.
   */
  publicUrl?: string
  /** Request headers that carry the visitor's country and region, set by a proxy in front of a Node server. */
  geoHeaders?: { country?: string; region?: string; city?: string }
  /** Where a typed postcode or city is, for the store locator; the offline default matches the site's stores. */
  geocoder?: Geocoder
  /** Shared serving state (caps, budgets, pacing, profiles); in memory when absent. */
  kv?: Kv
  /**
   * When the key-value store fails: `open` serves as if the visitor had no history (caps unchecked), `closed`
   * serves only campaigns that need no stored state. Default `open`.
   */
  kvFailure?: 'open' | 'closed'
  /**
   * How ingest writes: `direct`, one transaction per request (the default; Workers, tests), or `batched`,
   * concurrent requests grouped into one transaction (group commit; the long-running Node server).
   */
  ingest?: 'direct' | 'batched'
  /** A writer the runtime made itself (on Workers, the queue producer); when set, `ingest` is not read. */
  writer?: EventWriter
  /** Checks the captcha token of lead forms that ask for one (Turnstile); such forms answer 503 without it. */
  captcha?: CaptchaVerifier
  /**
   * The request header a trusted proxy in front of a Node server puts the visitor's address in
   * (`x-forwarded-for`, first address; `x-real-ip`; `cf-connecting-ip`), used only for rate limits (public
   * routes and sign-ins) and to tell a click's repeats when the link carries no visitor id.
   * Unset: `cf-connecting-ip` on Workers; on Node the socket's address, or none (no per-address limit) when a
   * local proxy forwards for someone else. Never stored.
   */
  clientIpHeader?: string
  /** The public routes' rate limits where they differ from the defaults (api/services/limits/rules.ts). */
  rateLimits?: LimitOverrides
  /** The per-instance pre-count of rate limits over a networked store; Workers keeps one per isolate. */
  rateCounts?: PreCounts
  now?: () => number
  random?: () => number
  log?: Logger
  /** Where requests, group commits and store calls are reported; nothing is collected when absent. */
  metrics?: Metrics
  /** The bearer token `GET /metrics` asks for (PROMO_METRICS_TOKEN); without it there is no /metrics route. */
  metricsToken?: string
  /** Aborted when the server starts shutting down: /readyz answers 503 from then on. */
  shutdown?: AbortSignal
  assets?: AssetFetcher
}

/** Where links point in an app built without `publicUrl` (tests): a fixed origin, never a request's Host. */
export const defaultPublicUrl = 'http://localhost'
