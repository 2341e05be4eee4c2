import { createRoute } from '@hono/zod-openapi'
import { and, asc, count, desc, eq, inArray } from 'drizzle-orm'
import { z } from 'zod'
import { delivery, pageOf, webhook } from '../../../schema/api'
import { httpUrl } from '../../../schema/campaign'
import { webhookDeliveries, webhooks } from '../../../schema/db'
import { ApiError } from '../../core/errors'
import { namesPrivateHost, privateHostMessage } from '../../core/webhook-destination'
import { randomToken } from '../../services/auth/keys'
import { olderThan, page, pageQuery } from '../../services/cursor'
import { leadEventTypes, type WebhookEventType, webhookEventTypes } from '../../services/followup/types'
import { maxWebhooksPerSite, webhookFetchOf } from '../../services/followup/webhooks'
import type { Services } from '../../services/index'
import { siteInScope, sitesInScope } from '../auth/admin'
import { typedRoutes } from '../contract/typed'
import type { AppEnv } from '../env'
import { pathId, readBody } from '../request'

const uniqueEvents = z
  .array(z.enum(webhookEventTypes))
  .min(1)
  .max(10)
  .transform((events) => [...new Set(events)])

export const webhookCreate = z.strictObject({
  siteId: z.uuid().optional(),
  url: httpUrl,
  events: uniqueEvents.default([...leadEventTypes]),
})
export const listQuery = z.strictObject({ siteId: z.uuid().optional() })
export const deliveriesQuery = z.strictObject(pageQuery)

/** `GET /webhooks`, declared: its query and its answer, which the handler is held to. */
export const webhookList = createRoute({
  method: 'get',
  path: '/',
  request: { query: listQuery },
  responses: {
    200: { description: 'The site’s webhooks', content: { 'application/json': { schema: pageOf(webhook) } } },
  },
})

/** `GET /webhooks/{id}/deliveries`, declared; the id is checked by `pathId` (a non-UUID is 404, as everywhere). */
export const deliveryList = createRoute({
  method: 'get',
  path: '/{id}/deliveries',
  request: { query: deliveriesQuery },
  responses: {
    200: {
      description: 'A page of deliveries, newest first',
      content: { 'application/json': { schema: pageOf(delivery) } },
    },
  },
})

// The table types these columns as any text; only webhook event names are ever written to them (`webhookCreate`
// checks a webhook's, deliveries are enqueued for those), which is what the answers' schemas say.
function webhookJson(row: typeof webhooks.$inferSelect) {
  return {
    id: row.id,
    siteId: row.siteId,
    url: row.url,
    events: row.events as WebhookEventType[],
    active: row.active === 1,
    createdAt: row.createdAt.toISOString(),
  }
}

function deliveryJson(row: typeof webhookDeliveries.$inferSelect) {
  return {
    id: row.id,
    webhookId: row.webhookId,
    event: row.event as WebhookEventType,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    lastStatus: row.lastStatus,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    payload: row.payload,
  }
}

/**
 * `/api/v1/webhooks`, behind the admin guard: a site's webhooks and each one's delivery log. The secret is
 * answered once, on create; another organization's webhook does not exist.
 */
export function webhookRoutes(services: Services) {
  const app = typedRoutes<AppEnv>()
  const db = services.db

  async function load(id: string, siteIds: string[]) {
    const [row] = siteIds.length
      ? await db
          .select()
          .from(webhooks)
          .where(and(eq(webhooks.id, id), inArray(webhooks.siteId, siteIds)))
      : []
    if (!row) throw new ApiError('not_found', 'Webhook not found')
    return row
  }

  app.openapi(webhookList, async (c) => {
    const principal = c.get('principal')
    const query = c.req.valid('query')
    const siteIds = sitesInScope(principal, query.siteId)
    const rows = siteIds.length
      ? await db
          .select()
          .from(webhooks)
          .where(inArray(webhooks.siteId, siteIds))
          .orderBy(asc(webhooks.createdAt), asc(webhooks.id))
      : []
    return c.json({ data: rows.map(webhookJson), nextCursor: null }, 200)
  })

  app.post('/', async (c) => {
    const principal = c.get('principal')
    const body = await readBody(c, webhookCreate)
    if (!webhookFetchOf(services.deps).allowsPrivate && namesPrivateHost(body.url)) {
      throw new ApiError('bad_request', 'The webhook URL is not a public address', [
        { path: 'url', message: privateHostMessage },
      ])
    }
    const siteId = siteInScope(principal, body.siteId)
    const [held] = await db.select({ n: count() }).from(webhooks).where(eq(webhooks.siteId, siteId))
    if ((held?.n ?? 0) >= maxWebhooksPerSite) {
      throw new ApiError('unprocessable', `A site has at most ${maxWebhooksPerSite} webhooks`)
    }
    const secret = `whsec_${randomToken(32)}`
    const [row] = await db
      .insert(webhooks)
      .values({ siteId, url: body.url, events: body.events, secret, createdAt: new Date(services.now()) })
      .returning()
    return c.json({ ...webhookJson(row!), secret }, 201)
  })

  app.get('/:id', async (c) => c.json(webhookJson(await load(pathId(c), c.get('principal').siteIds))))

  app.delete('/:id', async (c) => {
    const row = await load(pathId(c), c.get('principal').siteIds)
    await db.delete(webhooks).where(and(eq(webhooks.id, row.id), eq(webhooks.siteId, row.siteId)))
    return c.body(null, 204)
  })

  app.openapi(deliveryList, async (c) => {
    const row = await load(pathId(c), c.get('principal').siteIds)
    const query = c.req.valid('query')
    const rows = await db
      .select()
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.webhookId, row.id),
          eq(webhookDeliveries.siteId, row.siteId),
          olderThan(webhookDeliveries, query.cursor),
        ),
      )
      .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
      .limit(query.limit + 1)
    return c.json(page(rows, query.limit, deliveryJson), 200)
  })

  return app
}
