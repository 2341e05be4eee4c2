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
  /**
   * One step of a committed ingest transaction (`insert`, a projection by name, `commit`) and how long it took,
   * waits for locked rows included: where a group's time goes.
   */
  ingestStep(step: string, seconds: number): void
  /** One operation on the key-value store and how long it took. */
  kv(operation: string, seconds: number, ok: boolean): void
  /** Given once the app is built: how to read the values that are sampled when metrics are scraped. */
  sample?(read: () => Promise<Gauges>): void
  /** The exposition for `GET /metrics`; without it the route does not exist. */
  exposition?(): Promise<{ contentType: string; body: string }>
}

export const noMetrics: Metrics = { request() {}, ingestCommit() {}, ingestStep() {}, kv() {} }

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
