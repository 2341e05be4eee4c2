import { Redis } from 'ioredis'
import type { ClaimRequest, ClaimResult, Kv, ProfileUpdate } from '../../ports/kv'
import { type Logger, silentLogger } from '../../ports/log'
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

export interface RedisKvOptions {
  /** Default `promo:`. */
  prefix?: string
  /** How long one operation may wait for Redis before it fails; default 200. */
  commandTimeoutMs?: number
  /** Told once each time the connection is lost (the error's code only: the URL may hold a password). */
  log?: Logger
}

/** Statuses in which a connection attempt is under way, worth waiting for within the timeout. */
const connectingStatuses = new Set(['wait', 'connecting', 'connect'])

/**
 * The key-value port over Redis (TCP, ioredis), for Node. Serving must go on without Redis, so every failure
 * is fast: commands are never queued while disconnected, never resent after a reconnect, and time out after
 * `commandTimeoutMs`; reconnecting happens in the background.
 */
export class RedisKv implements Kv {
  private readonly client: Redis
  private readonly owned: boolean
  private readonly prefix: string
  private readonly timeoutMs: number
  private connected?: Promise<void>

  /** From a URL (this adapter owns the connection and quits it on close) or a client someone else owns. */
  constructor(source: string | Redis, options: RedisKvOptions = {}) {
    this.prefix = checkPrefix(options.prefix ?? defaultPrefix)
    this.timeoutMs = options.commandTimeoutMs ?? 200
    this.owned = typeof source === 'string'
    if (typeof source !== 'string') {
      this.client = source
      return
    }
    this.client = new Redis(source, {
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      commandTimeout: this.timeoutMs,
      connectTimeout: Math.max(1000, this.timeoutMs),
      retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    })
    const log = options.log ?? silentLogger
    let down = false
    this.client.on('error', (error: NodeJS.ErrnoException) => {
      if (down) return
      down = true
      log.error('kv: Redis connection failed', { code: error.code ?? error.name })
    })
    this.client.on('ready', () => {
      down = false
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
    await this.ready()
    const pipeline = this.client.pipeline()
    for (const { site, visitor, segments, traits, returning } of updates) {
      const key = visitorKey(this.prefix, site, visitor)
      pipeline.hset(key, 'p', profileField(segments, traits, returning)).pexpire(key, visitorTtlMs)
    }
    const results = (await pipeline.exec()) ?? []
    const failed = results.find(([error]) => error)
    if (failed) throw failed[0]
  }

  async version(site: string): Promise<number> {
    await this.ready()
    return Number(await this.client.get(versionKey(this.prefix, site)))
  }

  async bump(site: string): Promise<number> {
    await this.ready()
    return this.client.incr(versionKey(this.prefix, site))
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

  async close(): Promise<void> {
    if (!this.owned) return
    if (this.client.status !== 'ready') {
      this.client.disconnect()
      return
    }
    await this.client.quit().catch(() => this.client.disconnect())
  }

  private async run(script: LuaScript, keys: string[], args: string[]): Promise<unknown> {
    const connecting = this.ready()
    if (connecting) await connecting
    try {
      return await this.client.evalsha(script.known ?? (await script.sha()), keys.length, ...keys, ...args)
    } catch (error) {
      if (!isNoScript(error)) throw error
      return this.client.eval(script.source, keys.length, ...keys, ...args)
    }
  }

  /**
   * Without an offline queue a command sent while the connection is still being made fails at once, so the
   * first requests after start-up wait for it, within the timeout. A client waiting to retry is not waited for.
   */
  private ready(): Promise<void> | undefined {
    if (!connectingStatuses.has(this.client.status)) return
    if (this.client.status === 'wait') this.client.connect().catch(() => {})
    this.connected ??= new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.client.off('ready', done).off('close', done)
        this.connected = undefined
        resolve()
      }
      const timer = setTimeout(done, this.timeoutMs)
      this.client.on('ready', done).on('close', done)
    })
    return this.connected
  }
}
