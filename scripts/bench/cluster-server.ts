/**
 * One instance of `npm run bench:cluster`: the real app over the shared PostgreSQL (DATABASE_URL, migrated and
 * seeded by the coordinator) and the shared Redis (REDIS_URL) under one key prefix (KV_PREFIX), as each of
 * several Node servers behind a load balancer would run. Tells the coordinator its port once it listens.
 */
import { serve } from '@hono/node-server'
import { openPostgres } from '../../api/adapters/db/postgres'
import { RedisKv } from '../../api/adapters/kv/redis'
import { createApp } from '../../api/app'

const database = openPostgres(process.env.DATABASE_URL!, { max: Number(process.env.PG_POOL ?? 4) })
const kv = new RedisKv(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { prefix: process.env.KV_PREFIX! })
const app = createApp({
  database,
  kv,
  signingSecret: 'bench-signing-secret-0123456789abcdef',
  clientIpHeader: 'x-forwarded-for',
})
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.send?.({ port: info.port })
})
process.on('disconnect', () => {
  server.close()
  void Promise.all([database.close(), kv.close()]).then(() => process.exit(0))
})
