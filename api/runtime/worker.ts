import { createApp } from '../app'
import { openPostgres } from './postgres'
import { workerEnv } from './worker-env'

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void
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
