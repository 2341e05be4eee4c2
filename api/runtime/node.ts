import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { TurnstileVerifier } from '../adapters/captcha'
import { openPglite } from '../adapters/db/pglite'
import { openPostgres, surviveClosedConnectionWrites } from '../adapters/db/postgres'
import { MemoryKv } from '../adapters/kv/memory'
import { RedisKv } from '../adapters/kv/redis'
import { SmtpMailer } from '../adapters/mail'
import { NominatimGeocoder } from '../adapters/nominatim-geocoder'
import { PrometheusMetrics } from '../adapters/prometheus'
import { publicOnlyFetch } from '../adapters/webhook-fetch'
import { createApp, jobsOf, personalDataOf } from '../app'
import { jsonLogger } from '../core/log'
import type { Database } from '../ports/database'
import type { Logger } from '../ports/log'
import { serverTypes } from '../promotions'
import { bootstrap, signingSecret } from '../services/bootstrap'
import { startWebhookRunner } from '../services/followup/index'
import { ensureEventPartitions } from '../services/ingest/partitions'
import { startTypeJobs } from '../services/jobs'
import { limitsFromEnv } from '../services/limits/rules'
import { migrate } from '../services/migrate'
import { sweepRetention } from '../services/retention'
import { nodeAssets } from './assets'
import { compressJson } from './compress'
import { type NodeEnv, nodeEnv } from './node-env'

const root = fileURLToPath(new URL('../../', import.meta.url))

/** JSON lines, info to stdout and errors to stderr, sanitized by `jsonLogger` (api/adapters/log.ts). */
function consoleLogger(quiet: boolean): Logger {
  return jsonLogger(
    (level, line) => (level === 'error' ? process.stderr : process.stdout).write(`${line}\n`),
    { quiet },
  )
}

/** The name this server is reached at on its own machine: `localhost`, or the one address HOST binds. */
function ownHost(host: string | undefined): string {
  if (!host || host === '0.0.0.0' || host === '::') return 'localhost'
  return host.includes(':') ? `[${host}]` : host
}

export async function openDatabase(
  env: NodeEnv,
  log: (message: string) => void = console.log,
): Promise<Database> {
  const database = env.DATABASE_URL
    ? openPostgres(env.DATABASE_URL)
    : await openPglite(join(env.PROMO_DATA_DIR, 'db'))
  await migrate(database, log)
  return database
}

/**
 * Starts API, SDK, admin and demo on one port. Returns a handle that closes everything. `options.now` is the
 * server's clock, for tests that stand a browser and the server at one chosen moment; the system clock otherwise.
 */
export async function start(
  variables: Record<string, string | undefined> = process.env,
  options: { now?: () => number } = {},
) {
  const parsed = nodeEnv.safeParse(variables)
  if (!parsed.success) {
    // One line, so a process manager's log shows the whole reason.
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`Invalid environment: ${problems}`)
  }
  const env = parsed.data
  const log = consoleLogger(env.PROMO_LOG === 'silent')
  const database = await openDatabase(env, (message) => log.info(message))

  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    // Listen first, so the real port (PORT=0 picks one) is known for the origins and the printed URLs.
    // The connection (`env.incoming`) goes along: the visitor's address, for rate limits, is its socket's.
    const s = serve(
      {
        fetch: (req, bindings) => handler(req, bindings),
        port: env.PORT,
        ...(env.HOST ? { hostname: env.HOST } : {}),
      },
      () => resolve(s),
    )
  })
  // Until the app is built every path (/readyz included) answers 503, in the API's error shape.
  let handler: (req: Request, bindings: unknown) => Response | Promise<Response> = () =>
    Response.json({ error: { code: 'unavailable', message: 'Starting' } }, { status: 503 })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : env.PORT
  // Links (clicks, downloads in mail) point here, never at the Host a request names. In development, unset: this
  // server's own address, localhost unless HOST binds it to one address.
  const publicUrl = env.PROMO_PUBLIC_URL ?? `http://${ownHost(env.HOST)}:${port}`
  const origin = new URL(publicUrl).origin
  const ownOrigins = [`http://localhost:${port}`, `http://127.0.0.1:${port}`, origin]

  const boot = await bootstrap(database.db, {
    types: serverTypes,
    allowedOrigins: [...new Set([...ownOrigins, ...env.PROMO_ALLOWED_ORIGINS])],
    demoOrigin: origin,
    publishableKey: env.PROMO_PUBLISHABLE_KEY,
    secretKey: env.PROMO_SECRET_KEY,
    adminEmail: env.PROMO_ADMIN_EMAIL,
    adminPassword: env.PROMO_ADMIN_PASSWORD,
  })
  const kv = env.REDIS_URL ? new RedisKv(env.REDIS_URL, { log }) : new MemoryKv()
  // Metrics are collected only when someone may read them.
  const metrics = env.PROMO_METRICS_TOKEN ? new PrometheusMetrics() : undefined
  const shutdown = new AbortController()
  const app = createApp({
    database,
    kv,
    ...(options.now ? { now: options.now } : {}),
    kvFailure: env.PROMO_KV_FAILURE,
    ingest: 'batched',
    signingSecret: await signingSecret(database.db, env.PROMO_SIGNING_SECRET),
    publicUrl,
    geoHeaders: {
      country: env.PROMO_COUNTRY_HEADER,
      region: env.PROMO_REGION_HEADER,
      city: env.PROMO_CITY_HEADER,
    },
    ...(env.PROMO_SMTP_URL ? { mailer: new SmtpMailer(env.PROMO_SMTP_URL) } : {}),
    ...(env.PROMO_MAIL_FROM ? { mailFrom: env.PROMO_MAIL_FROM } : {}),
    ...(env.TURNSTILE_SECRET_KEY
      ? { captcha: new TurnstileVerifier({ secret: env.TURNSTILE_SECRET_KEY }) }
      : {}),
    ...(env.PROMO_GEOCODER_URL && env.PROMO_GEOCODER_USER_AGENT
      ? {
          geocoder: new NominatimGeocoder({
            baseUrl: env.PROMO_GEOCODER_URL,
            userAgent: env.PROMO_GEOCODER_USER_AGENT,
          }),
        }
      : {}),
    ...(env.PROMO_CLIENT_IP_HEADER ? { clientIpHeader: env.PROMO_CLIENT_IP_HEADER } : {}),
    rateLimits: limitsFromEnv(env),
    webhookFetch: publicOnlyFetch(env.PROMO_WEBHOOKS_ALLOW_PRIVATE === '1'),
    log,
    ...(metrics ? { metrics, metricsToken: env.PROMO_METRICS_TOKEN } : {}),
    shutdown: shutdown.signal,
    assets: nodeAssets({
      distDir: join(root, 'dist'),
      examplesDir: join(root, 'examples'),
      publishableKey: boot.publishableKey,
    }),
  })
  // Only GETs can have their JSON compressed (compress.ts): the visitor's POSTs take the direct path.
  handler = (req, bindings) => {
    const res = app.fetch(req, bindings)
    return req.method === 'GET' ? Promise.resolve(res).then((r) => compressJson(req, r)) : res
  }

  // The events table's monthly partitions stay months ahead; migrating made them, this keeps them coming. Then
  // the retention sweep deletes what each site keeps no longer: a minute after start, and with the partitions.
  const failed = (what: string) => (error: unknown) =>
    log.error(what, { error: error instanceof Error ? error.name : typeof error })
  let sweeping: Promise<unknown> | undefined
  const sweep = () => {
    sweeping ??= sweepRetention(database.db, Date.now(), { personalData: personalDataOf(serverTypes) })
      .then((swept) => log.info('retention sweep', { ...swept }))
      .catch(failed('retention sweep failed'))
      .finally(() => {
        sweeping = undefined
      })
  }
  const maintenance = setInterval(() => {
    ensureEventPartitions(database.db, Date.now())
      .catch(failed('event partitions not maintained'))
      .then(sweep)
  }, 6 * 3_600_000)
  maintenance.unref()
  const firstSweep = setTimeout(sweep, 60_000)
  firstSweep.unref()
  // Webhook deliveries that are due (first tries that failed, retries with backoff) go out every 10 s, through
  // the same guarded fetch as first tries (the app's webhookFetch).
  const webhookRunner = startWebhookRunner(app.services, 10_000)
  // The types' scheduled work (an event's reminders) every minute; each run is safe to repeat.
  const typeJobs = startTypeJobs(app.services, jobsOf(serverTypes), log, 60_000)

  const close = async () => {
    // Not ready from here on (/readyz answers 503) while what is in flight finishes.
    shutdown.abort()
    clearInterval(maintenance)
    clearTimeout(firstSweep)
    await sweeping
    await webhookRunner.stop()
    await typeJobs.stop()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await app.services.writer.close()
    await app.services.exposures.close()
    await Promise.all([database.close(), kv.close()])
  }
  return { app, server, port, origin, boot, database, close }
}

function banner(info: Awaited<ReturnType<typeof start>>) {
  const { origin, boot, database } = info
  const lines = [
    '',
    `  Promo is running on ${origin}  (database: ${database.driver === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'})`,
    '',
    `  Admin      ${origin}/admin`,
    `  Demo site  ${origin}/demo`,
    `  SDK        ${origin}/sdk/promo.js`,
    '',
    `  Publishable key  ${boot.publishableKey}`,
    `  Secret key       ${boot.secretKey ?? '(shown on first start only; create another in the admin or set PROMO_SECRET_KEY)'}`,
    `  Admin login      ${boot.adminEmail} / ${boot.adminPassword ?? '(shown on first start only, or set PROMO_ADMIN_PASSWORD)'}`,
    '',
    '  Script tag:',
    `  <script async src="${origin}/sdk/promo.js" data-site="${boot.publishableKey}"></script>`,
    '',
  ]
  console.log(lines.join('\n'))
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  start()
    .then((info) => {
      banner(info)
      // A PostgreSQL restart must not take the server down with it (see surviveClosedConnectionWrites).
      if (info.database.renew) surviveClosedConnectionWrites(info.database, consoleLogger(false))
      const stop = () => {
        info.close().finally(() => process.exit(0))
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    .catch((error) => {
      console.error(error instanceof Error ? error.message : error)
      process.exit(1)
    })
}
