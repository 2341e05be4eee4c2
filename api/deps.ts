import type { Database } from './db'
import type { FollowUpDeps } from './followup/types'
import type { EventWriter } from './ingest/writer'
import type { Kv } from './kv/types'
import type { CaptchaVerifier } from './leads/captcha'

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

/** Static files the runtime can serve (SDK build, admin build, examples). Null when the path is not one of them. */
export type AssetFetcher = (path: string) => Promise<Response | null>

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
  geoHeaders?: { country?: string; region?: string }
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
   * (`x-forwarded-for`, first address; `x-real-ip`; `cf-connecting-ip`), used only to rate-limit lead submits.
   * Unset: `cf-connecting-ip` on Workers; on Node the socket's address, or none (no per-address limit) when a
   * local proxy forwards for someone else. Never stored.
   */
  clientIpHeader?: string
  now?: () => number
  random?: () => number
  log?: Logger
  assets?: AssetFetcher
}

export const silentLogger: Logger = { info() {}, error() {} }

/** Where links point in an app built without `publicUrl` (tests): a fixed origin, never a request's Host. */
export const defaultPublicUrl = 'http://localhost'
