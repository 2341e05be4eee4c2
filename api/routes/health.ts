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
    return c.json({ ok: database, database }, database ? 200 : 503)
  })
  return app
}
