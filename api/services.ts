import { ActiveCampaigns } from './active-campaigns'
import { ClickSigner } from './clicks'
import type { Db } from './db'
import type { Deps, Logger } from './deps'
import { defaultPublicUrl, silentLogger } from './deps'
import { errorSummary } from './errors'
import { BatchingWriter, DirectWriter, type EventWriter } from './ingest/writer'
import { MemoryKv } from './kv/memory'
import type { Kv } from './kv/types'
import type { CaptchaVerifier } from './leads/captcha'
import { SitesDirectory } from './sites-directory'
import { CatalogCache } from './traffic/cache'

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
  writer: EventWriter
  captcha?: CaptchaVerifier
  now: () => number
  random: () => number
  log: Logger
}

export function createServices(deps: Deps): Services {
  const now = deps.now ?? Date.now
  const db = deps.database.db
  const signer = new ClickSigner(deps.signingSecret)
  const log = deps.log ?? silentLogger
  const kv = deps.kv ?? new MemoryKv()
  return {
    db,
    deps,
    publicUrl: (deps.publicUrl ?? defaultPublicUrl).replace(/\/+$/, ''),
    signer,
    sites: new SitesDirectory(db, now),
    active: new ActiveCampaigns(db, signer, kv, now, {
      onError: (error) => log.error('kv version check failed', { error: String(error) }),
    }),
    catalog: new CatalogCache(db, now),
    kv,
    writer:
      deps.writer ??
      (deps.ingest === 'batched'
        ? new BatchingWriter(db, now, {
            onError: (error) => log.error('event batch not stored', errorSummary(error)),
          })
        : new DirectWriter(db, now)),
    captcha: deps.captcha,
    now,
    random: deps.random ?? Math.random,
    log,
  }
}
