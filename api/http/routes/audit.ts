import { and, desc, eq, inArray } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import { auditLog } from '../../../schema/db'
import { olderThan, page, pageQuery } from '../../services/cursor'
import type { Services } from '../../services/index'
import { siteInScope } from '../auth/admin'
import type { AppEnv } from '../env'
import { parseQuery } from '../request'

export const auditQuery = z.strictObject({
  siteId: z.uuid().optional(),
  entityId: z.string().max(100).optional(),
  ...pageQuery,
})

const entryJson = (row: typeof auditLog.$inferSelect) => ({
  id: row.id,
  siteId: row.siteId,
  actor: row.actor,
  actorEmail: row.actorEmail,
  method: row.method,
  route: row.route,
  entityId: row.entityId,
  status: row.status,
  before: row.before ?? null,
  after: row.after ?? null,
  createdAt: row.createdAt.toISOString(),
})

/**
 * `GET /api/v1/audit`: the organization's admin writes, newest first, by cursor; a secret key reads only its
 * site's. `siteId` and `entityId` narrow it (a campaign's history).
 */
export function auditRoutes(services: Services) {
  const app = new Hono<AppEnv>()
  app.get('/', async (c) => {
    const principal = c.get('principal')
    const query = parseQuery(c, auditQuery)
    const site = query.siteId || principal.kind === 'key' ? siteInScope(principal, query.siteId) : undefined
    const rows = await services.db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.organizationId, principal.organizationId),
          site ? inArray(auditLog.siteId, [site]) : undefined,
          query.entityId ? eq(auditLog.entityId, query.entityId) : undefined,
          olderThan(auditLog, query.cursor),
        ),
      )
      .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
      .limit(query.limit + 1)
    return c.json(page(rows, query.limit, entryJson))
  })
  return app
}
