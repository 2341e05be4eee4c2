import { createApp } from '../app'
import { MemoryKv } from '../kv/memory'
import type { Kv } from '../kv/types'
import { UpstashKv } from '../kv/upstash'
import { openPostgres } from './postgres'
import { type WorkerEnv, workerEnv } from './worker-env'

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void
}

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

/**
 * Cloudflare Workers entry. A socket cannot outlive the request that opened it on Workers, so each request gets
 * its own small connection (pooled by Hyperdrive or the Postgres pooler in front) and its own app.
 */
export default {
  async fetch(request: Request, bindings: Record<string, unknown>, ctx: ExecutionContext): Promise<Response> {
    const parsed = workerEnv.safeParse(bindings)
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')
      return Response.json(
        { error: { code: 'unavailable', message: `Worker misconfigured: ${fields}` } },
        { status: 503 },
      )
    }
    const env = parsed.data
    const url = env.HYPERDRIVE?.connectionString ?? env.DATABASE_URL!
    const database = openPostgres(url, { max: 1, prepare: !env.HYPERDRIVE })
    const app = createApp({
      database,
      kv: storeFor(env),
      kvFailure: env.PROMO_KV_FAILURE,
      signingSecret: env.PROMO_SIGNING_SECRET,
      publicUrl: env.PROMO_PUBLIC_URL,
    })
    try {
      return await app.fetch(request)
    } finally {
      ctx.waitUntil(database.close())
    }
  },
}
