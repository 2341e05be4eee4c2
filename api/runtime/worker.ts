import { TurnstileVerifier } from '../adapters/captcha'
import { openPostgres } from '../adapters/db/postgres'
import { MemoryKv } from '../adapters/kv/memory'
import { UpstashKv } from '../adapters/kv/upstash'
import { HttpMailer } from '../adapters/mail'
import { NominatimGeocoder } from '../adapters/nominatim-geocoder'
import { createApp, jobsOf, personalDataOf, servicesFor } from '../app'
import { errorSummary } from '../core/errors'
import { jsonLogger } from '../core/log'
import type { Database } from '../ports/database'
import type { Kv } from '../ports/kv'
import type { Logger } from '../ports/log'
import { serverTypes } from '../promotions'
import type { Deps } from '../services/deps'
import { deliverDue, guardWebhooks } from '../services/followup/index'
import { ensureEventPartitions } from '../services/ingest/partitions'
import { consumeEvents, type QueuedBatch, QueueWriter } from '../services/ingest/queue'
import { runTypeJobs } from '../services/jobs'
import { PreCounts } from '../services/limits/counter'
import { limitsFromEnv } from '../services/limits/rules'
import { sweepRetention } from '../services/retention'
import { type WorkerEnv, workerEnv } from './worker-env'

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void
}

/**
 * Every webhook delivery on Workers (the first try after a lead, the cron's retries): Cloudflare's fetch behind
 * the literal-address check, so a URL naming a loopback, private or metadata address is refused before each
 * send. A Worker cannot see what a name resolves to; that part is Cloudflare's: its fetch leaves from
 * Cloudflare's network, which has no route into the deployment's private network, and Cloudflare refuses to
 * connect to a name that resolves to a loopback or private address ("DNS points to prohibited IP").
 */
const webhookFetch = guardWebhooks((url, init) => fetch(url, init), false)

/** Must match the daily entry of `crons` in wrangler.toml. */
const dailyCron = '17 3 * * *'

/** A cron invocation may run 15 minutes; the retention sweep stops starting batches well before. */
const sweepBudgetMs = 8 * 60_000

/** Errors only, as one sanitized JSON line each: Workers Logs keeps what the Worker writes to the console. */
const log: Logger = jsonLogger((_level, line) => console.error(line), { quiet: true })

/** The daily cron's report of what maintenance did, as info lines. */
const cronLog: Logger = jsonLogger((_level, line) => console.log(line))

/**
 * Serving state outlives a request: in Upstash (REST, so no socket has to outlive the request) when it is
 * configured, else in this isolate's memory, which caps only what this isolate serves.
 */
let isolateStore: MemoryKv | undefined
function storeFor(env: WorkerEnv): Kv {
  if (env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN) {
    return new UpstashKv({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN })
  }
  isolateStore ??= new MemoryKv()
  return isolateStore
}

/** Rate limits over Upstash are counted ahead in the isolate and reported once a second (api/limits). */
const isolateCounts = new PreCounts()
/** The isolate's geocoder, kept across requests so its cache is; made again if its configuration changes. */
let isolateGeocoder: { config: string; geocoder: NominatimGeocoder } | undefined
function geocoderFor(url: string, userAgent: string): NominatimGeocoder {
  const config = `${url}\n${userAgent}`
  if (isolateGeocoder?.config !== config) {
    isolateGeocoder = { config, geocoder: new NominatimGeocoder({ baseUrl: url, userAgent }) }
  }
  return isolateGeocoder.geocoder
}

function parseEnv(bindings: Record<string, unknown>): WorkerEnv | string {
  const parsed = workerEnv.safeParse(bindings)
  if (parsed.success) return parsed.data
  const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')
  return `Worker misconfigured: ${fields}`
}

/**
 * A socket cannot outlive the request (or queue batch) that opened it on Workers, so each gets its own small
 * connection (pooled by Hyperdrive or the Postgres pooler in front).
 */
function openDatabase(env: WorkerEnv): Database {
  const url = env.HYPERDRIVE?.connectionString ?? env.DATABASE_URL!
  return openPostgres(url, { max: 1, prepare: !env.HYPERDRIVE })
}

function depsFor(env: WorkerEnv, database: Database, defer?: (task: Promise<unknown>) => void): Deps {
  return {
    database,
    kv: storeFor(env),
    kvFailure: env.PROMO_KV_FAILURE,
    signingSecret: env.PROMO_SIGNING_SECRET,
    publicUrl: env.PROMO_PUBLIC_URL,
    webhookFetch,
    rateLimits: limitsFromEnv(env),
    rateCounts: isolateCounts,
    log,
    ...(env.PROMO_MAIL_HTTP_KEY
      ? { mailer: new HttpMailer({ baseUrl: env.PROMO_MAIL_HTTP_URL, apiKey: env.PROMO_MAIL_HTTP_KEY }) }
      : {}),
    ...(env.PROMO_MAIL_FROM ? { mailFrom: env.PROMO_MAIL_FROM } : {}),
    ...(env.TURNSTILE_SECRET_KEY
      ? { captcha: new TurnstileVerifier({ secret: env.TURNSTILE_SECRET_KEY }) }
      : {}),
    ...(env.PROMO_GEOCODER_URL && env.PROMO_GEOCODER_USER_AGENT
      ? { geocoder: geocoderFor(env.PROMO_GEOCODER_URL, env.PROMO_GEOCODER_USER_AGENT) }
      : {}),
    ...(defer ? { defer } : {}),
  }
}

/**
 * Cloudflare Workers entry: each request gets its own app over the same `createApp(deps)` as Node. With a queue
 * bound as INGEST_QUEUE, ingest answers once the queue has the events and `queue()` stores them; without it,
 * each ingest request writes in its own transaction.
 */
export default {
  async fetch(request: Request, bindings: Record<string, unknown>, ctx: ExecutionContext): Promise<Response> {
    const env = parseEnv(bindings)
    if (typeof env === 'string') {
      return Response.json({ error: { code: 'unavailable', message: env } }, { status: 503 })
    }
    const database = openDatabase(env)
    // Work a request starts and does not wait for (a webhook's first try) runs before its connection closes.
    const pending: Promise<unknown>[] = []
    const deps = depsFor(env, database, (task) => pending.push(task))
    const queue = env.INGEST_QUEUE
    const app = createApp(
      queue
        ? {
            ...deps,
            writer: new QueueWriter(queue, {
              onError: (error) => log.error('events not queued', errorSummary(error)),
            }),
          }
        : deps,
    )
    try {
      return await app.fetch(request)
    } finally {
      ctx.waitUntil(Promise.allSettled(pending).then(() => database.close()))
    }
  },

  /** The ingest queue's consumer: stores each batch of queued events (see `consumeEvents`). */
  async queue(batch: QueuedBatch, bindings: Record<string, unknown>, ctx: ExecutionContext): Promise<void> {
    const env = parseEnv(bindings)
    // Thrown: every message of the batch is retried, and in the end kept by the dead letter queue.
    if (typeof env === 'string') throw new Error(env)
    const database = openDatabase(env)
    try {
      await consumeEvents(batch, servicesFor(depsFor(env, database)))
    } finally {
      ctx.waitUntil(database.close())
    }
  },

  /**
   * The crons (wrangler.toml): every minute, webhook deliveries that are due and the types' jobs; once a day, the events table's
   * monthly partitions ahead and spent dedupe rows pruned, then the retention sweep.
   */
  async scheduled(
    event: { cron?: string },
    bindings: Record<string, unknown>,
    ctx: ExecutionContext,
  ): Promise<void> {
    const env = parseEnv(bindings)
    if (typeof env === 'string') throw new Error(env)
    const database = openDatabase(env)
    try {
      if (event.cron === dailyCron) {
        const created = await ensureEventPartitions(database.db, Date.now())
        if (created.length > 0) cronLog.info('event partitions created', { created })
        const swept = await sweepRetention(database.db, Date.now(), {
          deadline: Date.now() + sweepBudgetMs,
          personalData: personalDataOf(serverTypes),
        })
        cronLog.info('retention sweep', { ...swept })
      } else {
        await deliverDue(database.db, webhookFetch, Date.now(), { log })
        // The types' scheduled work (an event's reminders), each run safe to repeat.
        const jobs = jobsOf(serverTypes)
        if (jobs.length > 0) await runTypeJobs(servicesFor(depsFor(env, database)), jobs, cronLog)
      }
    } finally {
      ctx.waitUntil(database.close())
    }
  },
}
