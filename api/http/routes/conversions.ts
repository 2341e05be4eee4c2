import { and, desc, eq, inArray } from 'drizzle-orm'
import { Hono } from 'hono'
import {
  type ConversionResult,
  type ServerEvent,
  serverEvent,
  serverEventBatch,
} from '../../../schema/conversions'
import { type events, identities } from '../../../schema/db'
import { dedupeId } from '../../../schema/events'
import { unstorableMessage, unstorablePath } from '../../../schema/limits'
import { type FieldIssue, issuesOf } from '../../core/errors'
import type { Db } from '../../ports/database'
import { rollUpEvents } from '../../services/analytics/rollups'
import { attributeConversions } from '../../services/attribution'
import type { Services } from '../../services/index'
import { insertEvents } from '../../services/ingest/writer'
import { siteInScope } from '../auth/admin'
import type { AppEnv } from '../env'
import { readBody } from '../request'

/** The anonymous id of a server event whose user no page has identified: the SDK never sends an empty one. */
const noVisitor = ''

/** For each external id that a page has identified on this site, the visitor it was seen as most recently. */
async function visitorsOf(db: Db, siteId: string, batch: ServerEvent[]): Promise<Map<string, string>> {
  const userIds = [...new Set(batch.flatMap((event) => event.user_data?.external_id ?? []))]
  const visitors = new Map<string, string>()
  if (userIds.length === 0) return visitors
  const rows = await db
    .select({ userId: identities.userId, anonymousId: identities.anonymousId })
    .from(identities)
    .where(and(eq(identities.siteId, siteId), inArray(identities.userId, userIds)))
    .orderBy(desc(identities.lastSeenAt))
  for (const row of rows) if (!visitors.has(row.userId)) visitors.set(row.userId, row.anonymousId)
  return visitors
}

function rowOf(
  siteId: string,
  event: ServerEvent,
  visitors: Map<string, string>,
): typeof events.$inferInsert {
  const externalIds = event.user_data?.external_id ?? []
  const userId = externalIds.find((id) => visitors.has(id)) ?? externalIds[0]
  const { value, currency, content_ids, order_id } = event.custom_data ?? {}
  const props = { ...(order_id ? { order_id } : {}), ...(content_ids ? { content_ids } : {}) }
  const userData = event.user_data && Object.keys(event.user_data).length > 0 ? event.user_data : null
  return {
    id: crypto.randomUUID(),
    siteId,
    source: 'server',
    eventId: dedupeId(event.event_id),
    name: event.event_name,
    timestamp: new Date(event.event_time * 1000),
    anonymousId: (userId && visitors.get(userId)) ?? noVisitor,
    userId: userId ?? null,
    url: event.event_source_url ?? null,
    props: Object.keys(props).length > 0 ? props : null,
    value: value ?? null,
    currency: currency ?? null,
    actionSource: event.action_source,
    userData,
  }
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

function rejection(index: number, details: FieldIssue[]): ConversionResult['rejected'][number] {
  const first = details[0]
  return {
    index,
    error: {
      code: 'validation_failed',
      message: first ? `${first.path || 'event'}: ${first.message}` : 'invalid event',
      details,
    },
  }
}

/**
 * Server-side conversions (secret key, or an admin session with its CSRF token). Each event is checked alone:
 * a bad one is reported by index and the rest are stored. They go into `events` beside the page's own, where
 * the `event_dedupe_48h` constraint keeps one of any page and server events with the same event id and name
 * within 48 hours of each other (see `insertEvents`), so a retried or concurrent post stores nothing twice.
 */
export function conversionRoutes(services: Services) {
  const app = new Hono<AppEnv>()

  app.post('/', async (c) => {
    const body = await readBody(c, serverEventBatch, 'json', false)
    const siteId = siteInScope(c.get('principal'), body.siteId)
    const schema = serverEvent(services.now())
    const result: ConversionResult = { received: 0, deduplicated: 0, rejected: [] }
    const valid: ServerEvent[] = []
    body.data.forEach((raw, index) => {
      const badText = unstorablePath(raw)
      if (badText) {
        result.rejected.push(rejection(index, [{ path: badText.join('.'), message: unstorableMessage }]))
        return
      }
      const parsed = schema.safeParse(raw)
      if (parsed.success) valid.push(parsed.data)
      else result.rejected.push(rejection(index, issuesOf(parsed.error)))
    })

    if (valid.length > 0) {
      const visitors = await visitorsOf(services.db, siteId, valid)
      // One order for every writer, so two posts that share events wait on each other rather than deadlock.
      const rows = valid
        .map((event) => rowOf(siteId, event, visitors))
        .sort(
          (a, b) => compare(a.name, b.name) || compare(a.eventId!, b.eventId!) || +a.timestamp - +b.timestamp,
        )
      const stored = await services.db.transaction(async (tx) => {
        const storedIds = await insertEvents(tx, rows)
        const fresh = rows.filter((row) => storedIds.has(row.id))
        const credited = await attributeConversions(tx, siteId, fresh)
        await rollUpEvents(tx, siteId, fresh, credited)
        return fresh
      })
      result.received = stored.length
      result.deduplicated = rows.length - stored.length
    }
    return c.json(result)
  })

  return app
}
