import { and, desc, eq, gte, inArray, lt } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import {
  type ConversionResult,
  type ServerEvent,
  serverEvent,
  serverEventBatch,
  testEventCode,
  withoutNulls,
} from '../../../schema/conversions'
import { events, identities, testEvents } from '../../../schema/db'
import { dedupeId } from '../../../schema/events'
import { unstorableMessage, unstorablePath } from '../../../schema/limits'
import { type FieldIssue, issuesOf } from '../../core/errors'
import type { Db } from '../../ports/database'
import { rollUpEvents } from '../../services/analytics/rollups'
import { attributeConversions } from '../../services/attribution'
import type { Services } from '../../services/index'
import { mirror } from '../../services/ingest/mirror'
import { genericPipeline, type IngestBatch } from '../../services/ingest/pipeline'
import { insertEvents } from '../../services/ingest/writer'
import { siteInScope } from '../auth/admin'
import type { AppEnv } from '../env'
import { parseQuery, readBody } from '../request'

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

/** Clicks further back than this name no visitor for a server event (the longest attribution window). */
const clickLookbackMs = 90 * 86_400_000

/**
 * For each Promo click id the batch names (`custom_data.promo_click_id`, as an app got it from its install
 * referrer), the visitor who clicked: recorded clicks of this site only, so another site's click id names nobody.
 */
async function clickersOf(
  db: Db,
  siteId: string,
  batch: ServerEvent[],
  now: number,
): Promise<Map<string, string>> {
  const clickIds = [...new Set(batch.flatMap((event) => event.custom_data?.promo_click_id ?? []))]
  const clickers = new Map<string, string>()
  if (clickIds.length === 0) return clickers
  const rows = await db
    .select({ id: events.id, anonymousId: events.anonymousId })
    .from(events)
    .where(
      and(
        eq(events.siteId, siteId),
        eq(events.name, 'click'),
        inArray(events.id, clickIds),
        gte(events.timestamp, new Date(now - clickLookbackMs)),
      ),
    )
  for (const row of rows) if (row.anonymousId !== noVisitor) clickers.set(row.id, row.anonymousId)
  return clickers
}

function rowOf(
  siteId: string,
  event: ServerEvent,
  visitors: Map<string, string>,
  clickers: Map<string, string>,
): typeof events.$inferInsert {
  const externalIds = event.user_data?.external_id ?? []
  const userId = externalIds.find((id) => visitors.has(id)) ?? externalIds[0]
  const { value, currency, content_ids, contents, order_id, promo_click_id } = event.custom_data ?? {}
  const clicker = promo_click_id ? clickers.get(promo_click_id) : undefined
  const props = {
    ...(order_id ? { order_id } : {}),
    ...(promo_click_id ? { promo_click_id } : {}),
    ...(content_ids ? { content_ids } : {}),
    ...(contents?.length ? { contents } : {}),
  }
  const userData = event.user_data && Object.keys(event.user_data).length > 0 ? event.user_data : null
  return {
    id: crypto.randomUUID(),
    siteId,
    source: 'server',
    eventId: dedupeId(event.event_id),
    name: event.event_name,
    timestamp: new Date(event.event_time * 1000),
    anonymousId: clicker ?? (userId && visitors.get(userId)) ?? noVisitor,
    userId: userId ?? null,
    url: event.event_source_url ?? null,
    props: Object.keys(props).length > 0 ? props : null,
    value: value ?? null,
    currency: currency ?? null,
    actionSource: event.action_source,
    userData,
  }
}

/** Test events are kept this long, then deleted by the next test post of the site. */
export const testEventRetentionDays = 7
const dayMs = 86_400_000

/** The match keys a test shows as present or not: never their values. */
const matchKeyNames = ['em', 'ph', 'external_id', 'fbc', 'fbp', 'client_user_agent'] as const

function testRowOf(siteId: string, code: string, event: ServerEvent): typeof testEvents.$inferInsert {
  const user = event.user_data ?? {}
  return {
    siteId,
    code,
    name: event.event_name,
    eventId: event.event_id,
    timestamp: new Date(event.event_time * 1000),
    actionSource: event.action_source,
    value: event.custom_data?.value ?? null,
    currency: event.custom_data?.currency ?? null,
    matchKeys: matchKeyNames.filter((key) => user[key] !== undefined),
    items: event.custom_data?.contents?.length ?? 0,
  }
}

export const testEventsQuery = z.strictObject({
  siteId: z.uuid().optional(),
  code: testEventCode.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})

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
 * Events of a test (`test_event_code`, on the request or the event) go to `test_events` instead, never counted.
 */
export function conversionRoutes(services: Services) {
  const app = new Hono<AppEnv>()

  app.post('/', async (c) => {
    const body = await readBody(c, serverEventBatch, 'json', false)
    const siteId = siteInScope(c.get('principal'), body.siteId)
    const schema = serverEvent(services.now())
    const result: ConversionResult = { received: 0, deduplicated: 0, testEvents: 0, rejected: [] }
    const valid: ServerEvent[] = []
    const tests: (typeof testEvents.$inferInsert)[] = []
    body.data.forEach((raw, index) => {
      const parsed = schema.safeParse(withoutNulls(raw))
      if (!parsed.success) {
        result.rejected.push(rejection(index, issuesOf(parsed.error)))
        return
      }
      // Only what is kept is checked for text PostgreSQL cannot store: the fields dropped unread never reach it.
      const badText = unstorablePath(parsed.data)
      if (badText) {
        result.rejected.push(rejection(index, [{ path: badText.join('.'), message: unstorableMessage }]))
        return
      }
      const code = body.test_event_code ?? parsed.data.test_event_code
      if (code) tests.push(testRowOf(siteId, code, parsed.data))
      else valid.push(parsed.data)
    })

    if (tests.length > 0) {
      const expired = new Date(services.now() - testEventRetentionDays * dayMs)
      await services.db.transaction(async (tx) => {
        await tx
          .delete(testEvents)
          .where(and(eq(testEvents.siteId, siteId), lt(testEvents.receivedAt, expired)))
        await tx
          .insert(testEvents)
          .values(tests.map((row) => ({ ...row, receivedAt: new Date(services.now()) })))
      })
      result.testEvents = tests.length
    }

    if (valid.length > 0) {
      const visitors = await visitorsOf(services.db, siteId, valid)
      const clickers = await clickersOf(services.db, siteId, valid, services.now())
      // One order for every writer, so two posts that share events wait on each other rather than deadlock.
      const rows = valid
        .map((event) => rowOf(siteId, event, visitors, clickers))
        .sort(
          (a, b) => compare(a.name, b.name) || compare(a.eventId!, b.eventId!) || +a.timestamp - +b.timestamp,
        )
      const { stored, profiles } = await services.db.transaction(async (tx) => {
        const storedIds = await insertEvents(tx, rows)
        const fresh = rows.filter((row) => storedIds.has(row.id))
        const credited = await attributeConversions(tx, siteId, fresh)
        // The types' own projections see the shop's server events as they see the page's (a known visitor's
        // cart, what sales credits to a campaign touch); identities and profiles stay the page's alone.
        const batch: IngestBatch = {
          siteId,
          given: fresh,
          stored: fresh,
          now: services.now(),
          credited,
          profiles: [],
        }
        for (const projection of services.pipeline) {
          if (!genericPipeline.includes(projection)) await projection.apply(tx, batch)
        }
        await rollUpEvents(tx, siteId, fresh, batch.credited)
        return { stored: fresh, profiles: batch.profiles }
      })
      // A purchase that took its buyer out of an audience reaches serve's store before this answers.
      await mirror(services, siteId, profiles, [])
      result.received = stored.length
      result.deduplicated = rows.length - stored.length
    }
    return c.json(result)
  })

  /** The site's test events of the last 7 days, newest first, optionally of one code. */
  app.get('/test-events', async (c) => {
    const query = parseQuery(c, testEventsQuery)
    const siteId = siteInScope(c.get('principal'), query.siteId)
    const since = new Date(services.now() - testEventRetentionDays * dayMs)
    const rows = await services.db
      .select()
      .from(testEvents)
      .where(
        and(
          eq(testEvents.siteId, siteId),
          gte(testEvents.receivedAt, since),
          query.code ? eq(testEvents.code, query.code) : undefined,
        ),
      )
      .orderBy(desc(testEvents.receivedAt), desc(testEvents.timestamp), desc(testEvents.id))
      .limit(query.limit)
    return c.json({
      siteId,
      retentionDays: testEventRetentionDays,
      events: rows.map((row) => ({
        id: row.id,
        code: row.code,
        name: row.name,
        eventId: row.eventId,
        eventTime: row.timestamp.toISOString(),
        receivedAt: row.receivedAt.toISOString(),
        actionSource: row.actionSource,
        value: row.value,
        currency: row.currency,
        items: row.items,
        matchKeys: Object.fromEntries(matchKeyNames.map((key) => [key, row.matchKeys.includes(key)])),
      })),
    })
  })

  return app
}
