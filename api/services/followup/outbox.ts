import { and, desc, inArray } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import { mailOutbox } from '../../../schema/db'
import { sitesInScope } from '../../http/auth/admin'
import type { AppEnv } from '../../http/env'
import { parseQuery } from '../../http/request'
import { olderThan, page, pageQuery } from '../cursor'
import type { Services } from '../index'

export const listQuery = z.strictObject({ siteId: z.uuid().optional(), ...pageQuery })

function mailJson(row: typeof mailOutbox.$inferSelect) {
  return {
    id: row.id,
    siteId: row.siteId,
    leadId: row.leadId,
    to: row.to,
    subject: row.subject,
    text: row.text,
    status: row.status,
    transport: row.transport,
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  }
}

/**
 * `GET /api/v1/outbox`, behind the admin guard: the mail the product sent or holds, newest first. With no
 * mailer configured (development) this is where confirmations are read.
 */
export function outboxRoutes(services: Services) {
  const app = new Hono<AppEnv>()
  app.get('/', async (c) => {
    const principal = c.get('principal')
    const query = parseQuery(c, listQuery)
    const siteIds = sitesInScope(principal, query.siteId)
    if (siteIds.length === 0) return c.json({ data: [], nextCursor: null })
    const rows = await services.db
      .select()
      .from(mailOutbox)
      .where(and(inArray(mailOutbox.siteId, siteIds), olderThan(mailOutbox, query.cursor)))
      .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
      .limit(query.limit + 1)
    return c.json(page(rows, query.limit, mailJson))
  })
  return app
}
