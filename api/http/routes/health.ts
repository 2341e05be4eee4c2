import { sql } from 'drizzle-orm'
import { Hono } from 'hono'
import type { Services } from '../../services/index'

/** A check that has not answered within this long counts as failed: a probe must answer quickly either way. */
const checkTimeoutMs = 2_000

/** The store is asked for a campaign-set version no site has: one cheap read, the same on every adapter. */
const probeSite = '00000000-0000-0000-0000-000000000000'

async function answers(check: () => Promise<unknown>): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('check timed out')), checkTimeoutMs)
  })
  try {
    await Promise.race([check(), timeout])
    return true
  } catch {
    return false
  } finally {
    clearTimeout(timer)
  }
}

/**
 * `GET /healthz` is liveness: the process answers, with whether the database does and the active-campaign
 * cache's counters. `GET /readyz` is readiness, for load balancers: 503 while the database or the key-value store
 * cannot be reached, or while the server is starting (the Node server answers 503 until the app is built) or
 * shutting down.
 */
export function healthRoutes(services: Services) {
  const app = new Hono()
  app.get('/healthz', async (c) => {
    let database = false
    try {
      await services.db.execute(sql`select 1`)
      database = true
    } catch (error) {
      services.log.error('health check: database unreachable', { error })
    }
    const { hits, misses, hitRate } = services.active
    return c.json(
      { ok: database, database, cache: { activeCampaigns: { hits, misses, hitRate } } },
      database ? 200 : 503,
    )
  })
  app.get('/readyz', async (c) => {
    const stopping = services.deps.shutdown?.aborted ?? false
    const [database, store] = await Promise.all([
      answers(() => services.db.execute(sql`select 1`)),
      answers(() => services.kv.version(probeSite)),
    ])
    const ok = !stopping && database && store
    return c.json({ ok, stopping, database, store }, ok ? 200 : 503)
  })
  return app
}
