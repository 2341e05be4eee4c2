import { sql } from 'drizzle-orm'
import { Hono } from 'hono'
import type { Services } from '../services'

export function healthRoutes(services: Services) {
  const app = new Hono()
  app.get('/healthz', async (c) => {
    let database = false
    try {
      await services.db.execute(sql`select 1`)
      database = true
    } catch (error) {
      services.log.error('health check: database unreachable', { error: String(error) })
    }
    const { hits, misses, hitRate } = services.active
    return c.json(
      { ok: database, database, cache: { activeCampaigns: { hits, misses, hitRate } } },
      database ? 200 : 503,
    )
  })
  return app
}
