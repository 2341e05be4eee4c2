/**
 * The server side of `npm run bench:serve`: the real app over a migrated database holding N active campaigns
 * (with the awareness default cap of 3 viewable impressions a day, and targeting rules on most), plus a Hono
 * hello-world route on the same server, so both are measured under the same conditions. `KV=redis` keeps the
 * serving state in Redis (`REDIS_URL`, default the local one) instead of memory, `KV=upstash` in the same Redis
 * through Upstash's REST protocol (a local bridge, api/testing/upstash-bridge.ts); `METRICS=1` collects metrics
 * with the Node server's prom-client adapter, as `PROMO_METRICS_TOKEN` does.
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { openPglite } from '../../api/adapters/db/pglite'
import { openPostgres } from '../../api/adapters/db/postgres'
import { MemoryKv } from '../../api/adapters/kv/memory'
import { RedisKv } from '../../api/adapters/kv/redis'
import { UpstashKv } from '../../api/adapters/kv/upstash'
import { PrometheusMetrics } from '../../api/adapters/prometheus'
import { createApp } from '../../api/app'
import { serverTypes } from '../../api/promotions'
import { bootstrap } from '../../api/services/bootstrap'
import { migrate } from '../../api/services/migrate'
import { startUpstashBridge } from '../../api/testing/upstash-bridge'
import { campaigns, variants } from '../../schema/db'
import type { Targeting } from '../../schema/targeting'

const count = Number(process.env.CAMPAIGNS ?? 100)
/** Rules the demo page's visitors mostly pass, so the engine has work at every tier. */
const rules: Targeting[] = [
  {},
  { include: { field: 'url', op: 'prefix', value: 'https://shop.example/' } },
  { include: { field: 'device', op: 'in', values: ['desktop', 'tablet'] } },
  { exclude: { field: 'country', op: 'in', values: ['FR'] } },
  {
    include: {
      any: [
        { field: 'language', op: 'in', values: ['en'] },
        { field: 'segment', op: 'in', values: ['customer'] },
      ],
    },
  },
]
const database = process.env.DATABASE_URL ? openPostgres(process.env.DATABASE_URL) : await openPglite()
await migrate(database)
const boot = await bootstrap(database.db, {
  types: serverTypes,
  allowedOrigins: ['http://127.0.0.1'],
  demoOrigin: 'http://127.0.0.1',
})
for (let i = 0; i < count; i++) {
  const [row] = await database.db
    .insert(campaigns)
    .values({
      siteId: boot.siteId,
      name: `Bench ${i}`,
      type: 'awareness',
      status: 'active',
      priority: i % 4,
      weight: 1 + (i % 3),
      // Half target the demo page's hero slot, half its inline slot; every seventh is a page-level sticky bar.
      placements: [i % 2 === 0 ? 'home-hero' : 'article-inline'],
      schedule: { timezone: 'UTC' },
      targeting: rules[i % rules.length]!,
      frequency: { perDay: 3, countOn: 'viewable' },
      config: { format: i % 7 === 0 ? 'sticky' : 'hero', dismissible: true },
      createdBy: 'bench',
    })
    .returning({ id: campaigns.id })
  await database.db.insert(variants).values([
    {
      campaignId: row!.id,
      name: 'A',
      weight: 1,
      position: 0,
      creative: { headline: `Offer ${i}`, ctaUrl: 'https://shop.example/a' },
    },
    {
      campaignId: row!.id,
      name: 'B',
      weight: 1,
      position: 1,
      creative: { headline: `Offer ${i}b`, ctaUrl: 'https://shop.example/b' },
    },
  ])
}

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const prefix = `promo-bench-${process.pid}:`
// `KV=upstash`: Upstash's REST protocol, through a local bridge (in this process) to the local Redis.
const bridge = process.env.KV === 'upstash' ? await startUpstashBridge(redisUrl) : undefined
const kv = bridge
  ? new UpstashKv({ url: bridge.url, token: bridge.token, prefix })
  : process.env.KV === 'redis'
    ? new RedisKv(redisUrl, { prefix })
    : new MemoryKv()
const store =
  { redis: 'Redis store', upstash: 'Upstash REST store (local bridge)' }[process.env.KV ?? ''] ??
  'memory store'
// The load generator names each visitor's address in x-forwarded-for, as a proxy in front would.
const app = createApp({
  database,
  kv,
  signingSecret: 'bench-signing-secret-0123456789abcdef',
  ...(process.env.METRICS === '1'
    ? { metrics: new PrometheusMetrics(), metricsToken: 'bench-metrics-token-0123456789' }
    : {}),
  clientIpHeader: 'x-forwarded-for',
})
const root = new Hono()
root.post('/hello', (c) => c.text('Hello Hono!'))
// Serves this process answered, so Redis commands per serve divide by what the server did, not by what the load
// generator counted before its clock ran out (requests still in flight then reach Redis all the same).
let serves = 0
root.use('/api/v1/serve', async (_, next) => {
  await next()
  serves++
})
root.route('/', app)
const server = serve({ fetch: root.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.send?.({
    port: info.port,
    publishableKey: boot.publishableKey,
    driver: `${database.driver}, ${store}`,
    prefix,
  })
})
// The coordinator asks for this process's CPU time (µs, user + system) around each round: CPU per request is a
// figure other load on a shared machine moves far less than requests per second.
process.on('message', (message) => {
  if (message === 'serves') process.send?.(serves)
  if (message !== 'cpu') return
  const { user, system } = process.cpuUsage()
  process.send?.(user + system)
})
process.on('disconnect', () => {
  server.close()
  void Promise.all([database.close(), kv.close(), bridge?.close()]).then(() => process.exit(0))
})
