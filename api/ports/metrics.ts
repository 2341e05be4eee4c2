import { and, count, eq, lte } from 'drizzle-orm'
import { mailOutbox, webhookDeliveries } from '../../schema/db'
import type { Services } from '../services/index'

/**
 * The metrics port: what generic code reports as it works. The Node server hands in a prom-client adapter
 * (api/adapters/prometheus.ts) when /metrics is configured; everywhere else (Workers, tests) it is `noMetrics`,
 * whose calls cost nothing.
 */
export interface Metrics {
  /** One answered request. `route` is the pattern the router matched (`/api/v1/campaigns/:id`), never the path. */
  request(method: string, route: string, status: number, seconds: number): void
  /**
   * One group commit of the batching ingest writer: its rows and requests, how long its oldest request waited
   * for the transaction to begin, and how long the transaction took.
   */
  ingestCommit(rows: number, requests: number, waitSeconds: number, commitSeconds: number, ok: boolean): void
  /** One operation on the key-value store and how long it took. */
  kv(operation: string, seconds: number, ok: boolean): void
  /** Given once the app is built: how to read the values that are sampled when metrics are scraped. */
  sample?(read: () => Promise<Gauges>): void
  /** The exposition for `GET /metrics`; without it the route does not exist. */
  exposition?(): Promise<{ contentType: string; body: string }>
}

export const noMetrics: Metrics = { request() {}, ingestCommit() {}, kv() {} }

/** Values that are read, not counted: backlogs and the active-campaign cache's counters. */
export interface Gauges {
  /** Events waiting in the batching writer (0 for writers that do not wait). */
  ingestBacklog: number
  activeCampaignHits: number
  activeCampaignMisses: number
  /** Confirmation mail written to the outbox and not yet handed to the mailer. */
  mailWaiting: number
  /** Webhook deliveries pending whose next attempt is due. */
  webhookDeliveriesDue: number
}

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
