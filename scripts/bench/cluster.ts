/**
 * `npm run bench:cluster`: several Node instances (INSTANCES, default 4) behind one PostgreSQL and one Redis on
 * this machine, as a deployment that outgrows one server runs. Each instance gets its share of the traffic at
 * once; visitors come back again and again, to whichever instance, so every visitor's requests race each other
 * across processes. It checks what a scale-out must not break and measures what docs/scale.md needs:
 * - caps stay exact: a campaign capped at LIFETIME serves per visitor (counted on serve) is shown to each
 *   visitor exactly min(requests, LIFETIME) times across all instances (another campaign fills the slot after);
 * - Redis commands run per serve (INFO commandstats before and after: the claim script's own commands count too,
 *   though a serve is one round trip) and the PostgreSQL connections the instances hold;
 * - throughput of all instances together beside one instance alone, in the same run (on 2 cores the sum cannot
 *   grow much: the figure shows the cost of coordination, not the capacity of a bigger machine).
 * Ends with `bench cluster: PASS|FAIL …`; PASS needs exact caps and no errors.
 */
import { type ChildProcess, fork } from 'node:child_process'
import autocannon from 'autocannon'
import { Redis } from 'ioredis'
import postgres from 'postgres'
import { openPostgres } from '../../api/adapters/db/postgres'
import { serverTypes } from '../../api/promotions'
import { bootstrap } from '../../api/services/bootstrap'
import { migrate } from '../../api/services/migrate'
import type { Frequency } from '../../schema/campaign'
import { campaigns, variants } from '../../schema/db'

const instances = Number(process.env.INSTANCES ?? 4)
const duration = Number(process.env.DURATION ?? 8)
const connections = Number(process.env.CONNECTIONS ?? 8)
const visitors = Number(process.env.VISITORS ?? 4_000)
const lifetime = Number(process.env.LIFETIME ?? 2)
const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

const name = 'promo_bench_cluster'
const admin = postgres(base, { max: 1, onnotice: () => {} })
await admin.unsafe(`drop database if exists ${name} with (force)`)
await admin.unsafe(`create database ${name}`)
const url = new URL(base)
url.pathname = `/${name}`
const database = openPostgres(url.toString(), { max: 2 })
await migrate(database)
const boot = await bootstrap(database.db, {
  types: serverTypes,
  allowedOrigins: ['http://127.0.0.1'],
  demoOrigin: 'http://127.0.0.1',
})
async function campaign(label: string, priority: number, frequency: Frequency) {
  const [row] = await database.db
    .insert(campaigns)
    .values({
      siteId: boot.siteId,
      name: label,
      type: 'awareness',
      status: 'active',
      priority,
      placements: ['cluster-slot'],
      schedule: { timezone: 'UTC' },
      targeting: {},
      frequency,
      config: { format: 'hero', dismissible: true },
      createdBy: 'bench',
    })
    .returning({ id: campaigns.id })
  await database.db.insert(variants).values({
    campaignId: row!.id,
    name: 'A',
    weight: 1,
    position: 0,
    creative: { headline: label, ctaUrl: 'https://shop.example/' },
  })
  return row!.id
}
const capped = await campaign('Capped', 10, { lifetime, countOn: 'serve' })
await campaign('Filler', 0, { countOn: 'serve' })
await database.close()

const redis = new Redis(redisUrl)
const prefix = `promo-bench-cluster-${process.pid}:`

function start(count: number) {
  const children: ChildProcess[] = []
  const ports: Promise<number>[] = []
  for (let i = 0; i < count; i++) {
    const child = fork(new URL('./cluster-server.ts', import.meta.url).pathname, [], {
      env: { ...process.env, DATABASE_URL: url.toString(), REDIS_URL: redisUrl, KV_PREFIX: prefix },
      execArgv: ['--import', 'tsx'],
    })
    children.push(child)
    ports.push(
      new Promise((resolve, reject) => {
        child.once('message', (m) => resolve((m as { port: number }).port))
        child.once('exit', (code) => reject(new Error(`instance ${i} exited with ${code}`)))
      }),
    )
  }
  return { children, ports: Promise.all(ports) }
}

const chromeAgent =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

interface Tally {
  requests: Map<number, number>
  shown: Map<number, number>
  errors: number
}
/** Load on every port at once, for `seconds`; visitors are shared, so one visitor's requests hit every instance. */
async function load(ports: number[], seconds: number, run: string, tally?: Tally) {
  let next = 0
  const results = await Promise.all(
    ports.map((port) =>
      autocannon({
        url: `http://127.0.0.1:${port}/api/v1/serve`,
        connections: Math.max(1, Math.round(connections / ports.length)),
        duration: seconds,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'text/plain', 'user-agent': chromeAgent },
            setupRequest: (request, context) => {
              const visitor = next++ % visitors
              Object.assign(context, { visitor })
              return {
                ...request,
                headers: {
                  ...request.headers,
                  'x-forwarded-for': `10.${visitor >> 16}.${(visitor >> 8) & 255}.${visitor & 255}`,
                },
                body: JSON.stringify({
                  site: boot.publishableKey,
                  slots: ['cluster-slot'],
                  anonymousId: `${run}-visitor-${visitor}`,
                  sessionId: `${run}-session-${visitor}`,
                  context: { url: 'https://shop.example/', language: 'en' },
                }),
              }
            },
            onResponse: (status, body, context) => {
              if (!tally) return
              const visitor = (context as { visitor: number }).visitor
              if (status !== 200) {
                tally.errors++
                return
              }
              tally.requests.set(visitor, (tally.requests.get(visitor) ?? 0) + 1)
              if (body.includes(capped)) tally.shown.set(visitor, (tally.shown.get(visitor) ?? 0) + 1)
            },
          },
        ],
      }),
    ),
  )
  const rps = results.reduce((sum, r) => sum + r.requests.average, 0)
  const errors = results.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0)
  const p99 = Math.max(...results.map((r) => r.latency.p99))
  return { rps, errors, p99 }
}

/** Calls per Redis command so far (INFO commandstats), by command name. */
async function commands() {
  const info = await redis.info('commandstats')
  const calls = new Map<string, number>()
  for (const match of info.matchAll(/cmdstat_([a-z|_]+):calls=(\d+)/g)) calls.set(match[1]!, Number(match[2]))
  return calls
}
const sum = (calls: Map<string, number>) => [...calls.values()].reduce((a, b) => a + b, 0)
async function pgConnections() {
  const [row] = await admin`select count(*)::int as n from pg_stat_activity where datname = ${name}`
  return row!.n as number
}

// One instance alone, then all of them together, on fresh visitors each time.
const single = start(1)
const singlePorts = await single.ports
await load(singlePorts, 2, 'warm1')
const one = await load(singlePorts, duration, 'one')
for (const child of single.children) child.disconnect()

const many = start(instances)
const ports = await many.ports
await load(ports, 2, 'warmN')
const connectionsOpen = await pgConnections()
const tally: Tally = { requests: new Map(), shown: new Map(), errors: 0 }
const before = await commands()
const all = await load(ports, duration, 'all', tally)
const after = await commands()
for (const child of many.children) child.disconnect()

let served = 0
let wrong = 0
let over = 0
for (const [visitor, requests] of tally.requests) {
  const shown = tally.shown.get(visitor) ?? 0
  served += requests
  if (shown !== Math.min(requests, lifetime)) wrong++
  if (shown > lifetime) over++
}
const perServe = (sum(after) - sum(before)) / Math.max(1, served)
const byCommand = [...after]
  .map(([command, n]) => [command, (n - (before.get(command) ?? 0)) / Math.max(1, served)] as const)
  .filter(([, n]) => n >= 0.01)
  .sort((a, b) => b[1] - a[1])

console.log(
  `\n${connections} connections in all, ${duration} s, ${visitors} visitors taken in turn, cap ${lifetime} a visitor`,
)
console.log(`1 instance:  ${Math.round(one.rps)} serves/s, p99 ${one.p99} ms, errors ${one.errors}`)
console.log(
  `${instances} instances: ${Math.round(all.rps)} serves/s in all (${((all.rps / one.rps) * 100).toFixed(0)}% of one instance on this 2-core machine), p99 ${all.p99} ms, errors ${all.errors + tally.errors}`,
)
console.log(`PostgreSQL connections open with ${instances} instances: ${connectionsOpen}`)
console.log(
  `Redis commands run per serve, the claim script's own included (one round trip): ${perServe.toFixed(2)} (${byCommand.map(([c, n]) => `${c} ${n.toFixed(2)}`).join(', ')}; ${served} serves)`,
)
console.log(
  `visitors: ${tally.requests.size}; shown the capped campaign other than min(requests, ${lifetime}): ${wrong}; over the cap: ${over}`,
)
await redis.quit()
await admin.unsafe(`drop database if exists ${name} with (force)`)
await admin.end()
const pass = wrong === 0 && all.errors + tally.errors === 0 && one.errors === 0 && tally.requests.size > 0
console.log(
  `bench cluster: ${pass ? 'PASS' : 'FAIL'} ${wrong} visitors off their cap across ${instances} instances, ${perServe.toFixed(2)} Redis commands per serve (target 0 off, no errors)`,
)
process.exit(pass ? 0 : 1)
