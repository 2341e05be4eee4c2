/**
 * The server side of `npm run bench:ingest`: the real app over a fresh PostgreSQL database, ingest `batched`
 * (group commit, as `npm start` runs it) or `direct` (one transaction per request), per INGEST. Asked `cpu`, it
 * tells its CPU time so far and, from the metrics port, each ingest step's count and total time.
 */
import { serve } from '@hono/node-server'
import postgres from 'postgres'
import { openPostgres } from '../../api/adapters/db/postgres'
import { createApp } from '../../api/app'
import { type Metrics, noMetrics } from '../../api/ports/metrics'
import { serverTypes } from '../../api/promotions'
import { bootstrap } from '../../api/services/bootstrap'
import { migrate } from '../../api/services/migrate'

const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const name = `promo_bench_ingest_${process.pid}`
const admin = postgres(base, { max: 1, onnotice: () => {} })
await admin.unsafe(`drop database if exists ${name}`)
await admin.unsafe(`create database ${name}`)
const url = new URL(base)
url.pathname = `/${name}`
const database = openPostgres(url.toString(), { max: 10 })
await migrate(database)
const boot = await bootstrap(database.db, {
  types: serverTypes,
  allowedOrigins: ['http://127.0.0.1'],
  demoOrigin: 'http://127.0.0.1',
})
const ingest = process.env.INGEST === 'direct' ? 'direct' : 'batched'
// The load generator names each visitor's address in x-forwarded-for, as a proxy in front would.
// Each step of the committed transactions (insert, every projection, commit): how many, and their ms in all.
const steps: Record<string, [count: number, ms: number]> = {}
const metrics: Metrics = {
  ...noMetrics,
  ingestStep(step, seconds) {
    const sum = steps[step] ?? [0, 0]
    sum[0]++
    sum[1] += seconds * 1000
    steps[step] = sum
  },
}
const app = createApp({
  database,
  ingest,
  metrics,
  signingSecret: 'bench-signing-secret-0123456789abcdef',
  clientIpHeader: 'x-forwarded-for',
})
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.send?.({ port: info.port, publishableKey: boot.publishableKey, databaseUrl: url.toString() })
})
// The coordinator asks for this process's CPU time (µs, user + system) around each round: CPU per stored event is
// a figure other load on a shared machine moves far less than events per second.
process.on('message', (message) => {
  if (message !== 'cpu') return
  const { user, system } = process.cpuUsage()
  process.send?.({ cpu: user + system, steps })
})
process.on('disconnect', () => {
  server.close()
  void (async () => {
    await app.services.writer.close()
    await database.close()
    await admin.unsafe(`drop database if exists ${name} with (force)`)
    await admin.end()
    process.exit(0)
  })()
})
