import { createRoute } from '@hono/zod-openapi'
import { and, desc, eq, inArray, or } from 'drizzle-orm'
import { z } from 'zod'
import { mail, pageOf } from '../../../schema/api'
import { mailOutbox } from '../../../schema/db'
import { may } from '../../core/roles'
import { olderThan, page, pageQuery } from '../../services/cursor'
import type { Services } from '../../services/index'
import { actorOf, sitesInScope } from '../auth/admin'
import { typedRoutes } from '../contract/typed'
import type { AppEnv } from '../env'

export const listQuery = z.strictObject({ siteId: z.uuid().optional(), ...pageQuery })

/** `GET /outbox`, declared: its query and its answer, which the handler below is held to. */
export const outboxList = createRoute({
  method: 'get',
  path: '/',
  request: { query: listQuery },
  responses: {
    200: {
      description: 'A page of mail, newest first',
      content: { 'application/json': { schema: pageOf(mail) } },
    },
  },
})

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
    attachments: row.attachments ?? null,
  }
}

/**
 * `GET /api/v1/outbox`, behind the admin guard: the mail the product sent or holds, newest first. With no
 * mailer configured (development) this is where confirmations and team invitations are read.
 */
export function outboxRoutes(services: Services) {
  const app = typedRoutes<AppEnv>()
  app.openapi(outboxList, async (c) => {
    const principal = c.get('principal')
    const query = c.req.valid('query')
    const siteIds = sitesInScope(principal, query.siteId)
    // The organization's own mail (invitations, whose links let anyone join) only for who manages the team.
    const teamMail =
      !query.siteId && may(actorOf(principal), 'team')
        ? eq(mailOutbox.organizationId, principal.organizationId)
        : undefined
    if (siteIds.length === 0 && !teamMail) return c.json({ data: [], nextCursor: null }, 200)
    const rows = await services.db
      .select()
      .from(mailOutbox)
      .where(
        and(
          or(siteIds.length ? inArray(mailOutbox.siteId, siteIds) : undefined, teamMail),
          olderThan(mailOutbox, query.cursor),
        ),
      )
      .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
      .limit(query.limit + 1)
    return c.json(page(rows, query.limit, mailJson), 200)
  })
  return app
}
