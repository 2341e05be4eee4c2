import { Redis } from '@upstash/redis/cloudflare'
import type { ClaimRequest, ClaimResult, Kv, ProfileUpdate } from '../../ports/kv'
import {
  checkPrefix,
  claimArgs,
  claimKeys,
  claimResult,
  claimScript,
  defaultPrefix,
  hitKey,
  hitScript,
  isNoScript,
  type LuaScript,
  profileField,
  versionKey,
  viewedScript,
  visitorKey,
  visitorTtlMs,
} from './scripts'

export interface UpstashKvOptions {
  /** Default `promo:`. */
  prefix?: string
  /** How long one request may take before it fails; default 1000 (REST over the internet, TLS included). */
  commandTimeoutMs?: number
}

export interface UpstashConnection extends UpstashKvOptions {
  url: string
  token: string
}

/**
 * The key-value port over Upstash's REST API, for Workers, where a TCP socket cannot outlive its request. The
 * same scripts as the TCP adapter. A client built here gets replies as Redis sends them (no base64, no JSON
 * parsing of strings), one attempt per request and a timeout, so a failing store fails fast; a client handed
 * in keeps its own settings, which the reply decoding tolerates.
 */
export class UpstashKv implements Kv {
  private readonly redis: Redis
  private readonly prefix: string

  constructor(source: UpstashConnection | Redis, options: UpstashKvOptions = {}) {
    const settings = isClient(source) ? options : { ...options, ...source }
    this.prefix = checkPrefix(settings.prefix ?? defaultPrefix)
    if (isClient(source)) {
      this.redis = source
      return
    }
    const timeoutMs = settings.commandTimeoutMs ?? 1000
    this.redis = new Redis({
      url: source.url,
      token: source.token,
      responseEncoding: false,
      automaticDeserialization: false,
      enableAutoPipelining: false,
      enableTelemetry: false,
      retry: { retries: 0 },
      signal: () => AbortSignal.timeout(timeoutMs),
    })
  }

  async claim(request: ClaimRequest): Promise<ClaimResult> {
    return claimResult(await this.run(claimScript, claimKeys(this.prefix, request), claimArgs(request)))
  }

  async viewed(site: string, visitor: string, campaigns: string[], now: number): Promise<void> {
    if (campaigns.length === 0) return
    await this.run(viewedScript, [visitorKey(this.prefix, site, visitor)], [String(now), ...campaigns])
  }

  async setProfiles(updates: ProfileUpdate[]): Promise<void> {
    if (updates.length === 0) return
    const pipeline = this.redis.pipeline()
    for (const { site, visitor, segments, traits, returning } of updates) {
      const key = visitorKey(this.prefix, site, visitor)
      pipeline.hset(key, { p: profileField(segments, traits, returning) }).pexpire(key, visitorTtlMs)
    }
    await pipeline.exec()
  }

  async version(site: string): Promise<number> {
    return Number(await this.redis.get(versionKey(this.prefix, site)))
  }

  async bump(site: string): Promise<number> {
    return Number(await this.redis.incr(versionKey(this.prefix, site)))
  }

  async hit(
    site: string,
    key: string,
    limit: number,
    windowMs: number,
    _now?: number,
    amount = 1,
  ): Promise<number> {
    return Number(
      await this.run(
        hitScript,
        [hitKey(this.prefix, site, key)],
        [String(limit), String(windowMs), String(amount)],
      ),
    )
  }

  /** Nothing to close: each request is its own HTTP exchange. */
  async close(): Promise<void> {}

  private async run(script: LuaScript, keys: string[], args: string[]): Promise<unknown> {
    const sha = await script.sha()
    try {
      return await this.redis.evalsha(sha, keys, args)
    } catch (error) {
      if (!isNoScript(error)) throw error
      return this.redis.eval(script.source, keys, args)
    }
  }
}

/** A client, possibly behind the auto-pipelining proxy, rather than connection settings. */
const isClient = (source: UpstashConnection | Redis): source is Redis =>
  typeof (source as Redis).evalsha === 'function'
