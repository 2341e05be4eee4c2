import { and, count, eq, lte } from 'drizzle-orm'
import { mailOutbox, webhookDeliveries } from '../../schema/db'
import type { Gauges } from '../ports/metrics'
import type { Services } from './index'

/** Backlogs in the database are counted at most this often, however often the scraper asks. */
const backlogTtlMs = 15_000

/** The reader `createApp` hands to `Metrics.sample`. */
export function gaugesOf(services: Services): () => Promise<Gauges> {
  let backlog: { at: number; value: Promise<{ mail: number; due: number }> } | undefined
  const countBacklog = async () => {
    const [mail] = await services.db
      .select({ n: count() })
      .from(mailOutbox)
      .where(eq(mailOutbox.status, 'queued'))
    const [due] = await services.db
      .select({ n: count() })
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.status, 'pending'),
          lte(webhookDeliveries.nextAttemptAt, new Date(services.now())),
        ),
      )
    return { mail: Number(mail?.n ?? 0), due: Number(due?.n ?? 0) }
  }
  return async () => {
    const now = services.now()
    if (!backlog || now - backlog.at >= backlogTtlMs) {
      const value = countBacklog()
      backlog = { at: now, value }
      // A failed count is not kept: the next scrape asks again.
      value.catch(() => {
        if (backlog?.value === value) backlog = undefined
      })
    }
    const { mail, due } = await backlog.value
    const writer = services.writer as { backlog?: number }
    return {
      ingestBacklog: writer.backlog ?? 0,
      activeCampaignHits: services.active.hits,
      activeCampaignMisses: services.active.misses,
      mailWaiting: mail,
      webhookDeliveriesDue: due,
    }
  }
}
