import { Hono } from 'hono'
import { type BatchResult, type EventItem, eventBatch, eventItem } from '../../../schema/events'
import { unstorableMessage, unstorablePath } from '../../../schema/limits'
import { isBot } from '../../core/bots'
import { issuesOf } from '../../core/errors'
import { deviceOf, geoOf } from '../../core/visitor'
import type { StoredEvent } from '../../ports/events'
import type { Services } from '../../services/index'
import { mirror } from '../../services/ingest/mirror'
import { eventRows, ownedIds } from '../../services/ingest/rows'
import { publicPreflight, publicSite } from '../auth/public'
import type { AppEnv } from '../env'
import { headerOf, readBody } from '../request'

export function eventRoutes(services: Services) {
  const app = new Hono<AppEnv>()

  app.options('/events', (c) => publicPreflight(c, services))

  /**
   * A batch is checked item by item: a bad item is reported by index and the rest are stored. Writing is
   * idempotent by event id, so a retried batch only adds what is new.
   */
  app.post('/events', async (c) => {
    const body = await readBody(c, eventBatch, 'json-or-text', false)
    const site = await publicSite(c, services, body.site)
    if (isBot(headerOf(c, 'user-agent'))) {
      return c.json({
        accepted: 0,
        duplicates: 0,
        rejected: [],
        filtered: body.batch.length,
      } satisfies BatchResult)
    }
    const result: BatchResult = { accepted: 0, duplicates: 0, rejected: [] }
    const valid: { index: number; item: EventItem }[] = []
    body.batch.forEach((raw, index) => {
      const parsed = eventItem.safeParse(raw)
      const badText = unstorablePath(raw)
      if (parsed.success && !badText) valid.push({ index, item: parsed.data })
      else {
        const details = parsed.success
          ? [{ path: badText!.join('.'), message: unstorableMessage }]
          : issuesOf(parsed.error)
        const first = details[0]
        result.rejected.push({
          index,
          error: {
            code: 'validation_failed',
            message: first ? `${first.path}: ${first.message}` : 'invalid event',
            details,
          },
        })
      }
    })

    const owned = await ownedIds(
      services.db,
      site.id,
      valid.map((v) => v.item),
    )
    // Where the batch came from, kept per event for the device and country breakdowns: the class of device and
    // the operating system from the User-Agent, the country the edge (or a configured proxy header) reports;
    // never the IP.
    const userAgent = headerOf(c, 'user-agent')
    const agent = userAgent ? deviceOf(userAgent) : undefined
    const device = agent?.device ?? null
    const os = agent?.os?.slice(0, 32) ?? null
    const country =
      geoOf({
        header: (name) => headerOf(c, name),
        cf: (c.req.raw as { cf?: unknown }).cf,
        geoHeaders: services.deps.geoHeaders,
      }).country ?? null
    const built = eventRows(site.id, valid, owned, { device, os, country })
    result.rejected.push(...built.rejected)
    result.duplicates += built.duplicates
    const rows = built.rows
    if (rows.length > 0) {
      const { stored, profiles, queued } = await services.writer.write(site.id, rows)
      result.accepted = stored.length
      result.duplicates += rows.length - stored.length
      if (!queued) await mirror(services, site.id, profiles, stored as StoredEvent[])
    }
    result.rejected.sort((a, b) => a.index - b.index)
    return c.json(result)
  })

  return app
}
