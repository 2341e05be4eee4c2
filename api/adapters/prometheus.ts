import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { Gauges, Metrics } from '../ports/metrics'

const statusClasses = ['1xx', '1xx', '2xx', '3xx', '4xx', '5xx']
const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

type Observer = { observe(value: number): void }

/**
 * The metrics port over prom-client, for the Node server: `GET /metrics` answers its registry in Prometheus'
 * text format. Label sets are made once and kept (route, method and status class per request), so a request
 * costs two map lookups and one histogram observation.
 */
export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry()
  private readonly http: Histogram<'method' | 'route' | 'status'>
  private readonly byRoute = new Map<string, Map<string, Observer[]>>()
  private readonly commitRows: Histogram
  private readonly commitRequests: Histogram
  private readonly commitWait: Histogram
  private readonly commitDuration: Histogram
  private readonly commits: Counter<'outcome'>
  private readonly kvDuration: Histogram<'operation'>
  private readonly stepDuration: Histogram<'step'>
  private readonly stepObservers = new Map<string, Observer>()
  private readonly kvErrors: Counter<'operation'>
  private readonly kvObservers = new Map<string, Observer>()
  private read: (() => Promise<Gauges>) | undefined
  /** Read once at the start of each scrape; the gauges below report it. */
  private sampled: Gauges | undefined

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry]
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry })
    this.http = new Histogram({
      name: 'promo_http_request_duration_seconds',
      help: 'Answered requests by route pattern, method and status class, and how long they took (_count is the number of requests)',
      labelNames: ['method', 'route', 'status'],
      buckets: latencyBuckets,
      registers,
    })
    this.commitRows = new Histogram({
      name: 'promo_ingest_commit_rows',
      help: 'Events written by one group commit of the batching ingest writer',
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2000, 5000],
      registers,
    })
    this.commitRequests = new Histogram({
      name: 'promo_ingest_commit_requests',
      help: 'Ingest requests joined in one group commit',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200],
      registers,
    })
    this.commitWait = new Histogram({
      name: 'promo_ingest_commit_wait_seconds',
      help: 'How long the oldest request of a group commit waited before its transaction began',
      buckets: latencyBuckets,
      registers,
    })
    this.commitDuration = new Histogram({
      name: 'promo_ingest_commit_duration_seconds',
      help: 'How long the transaction of one group commit took',
      buckets: latencyBuckets,
      registers,
    })
    this.commits = new Counter({
      name: 'promo_ingest_commits_total',
      help: 'Group commits by outcome (committed, failed: their requests got 503)',
      labelNames: ['outcome'],
      registers,
    })
    this.stepDuration = new Histogram({
      name: 'promo_ingest_step_duration_seconds',
      help: 'Steps of committed ingest transactions (insert, each projection, commit), lock waits included',
      labelNames: ['step'],
      buckets: latencyBuckets,
      registers,
    })
    this.kvDuration = new Histogram({
      name: 'promo_kv_operation_duration_seconds',
      help: 'Key-value store operations by operation, and how long they took (failures included)',
      labelNames: ['operation'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    })
    this.kvErrors = new Counter({
      name: 'promo_kv_errors_total',
      help: 'Key-value store operations that failed (unreachable, timed out, refused)',
      labelNames: ['operation'],
      registers,
    })

    // Values the app holds (backlogs, the cache's counters), read at each scrape.
    const sample = () => this.sampled
    const gauge = (name: string, help: string, pick: (g: Gauges) => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect(this: Gauge) {
          const values = sample()
          if (values) this.set(pick(values))
        },
      })
    const counted = (name: string, help: string, pick: (g: Gauges) => number) => {
      let seen = 0
      return new Counter({
        name,
        help,
        registers,
        collect(this: Counter) {
          const values = sample()
          if (!values) return
          const now = pick(values)
          if (now > seen) this.inc(now - seen)
          seen = now
        },
      })
    }
    gauge(
      'promo_ingest_backlog_events',
      'Events waiting in the batching ingest writer',
      (g) => g.ingestBacklog,
    )
    counted(
      'promo_active_campaigns_cache_hits_total',
      'Lookups of a site’s active campaigns answered from the cache',
      (g) => g.activeCampaignHits,
    )
    counted(
      'promo_active_campaigns_cache_misses_total',
      'Lookups of a site’s active campaigns that loaded them from the database',
      (g) => g.activeCampaignMisses,
    )
    gauge(
      'promo_active_campaigns_cache_hit_ratio',
      'Share of active-campaign lookups answered from the cache since start',
      (g) => {
        const total = g.activeCampaignHits + g.activeCampaignMisses
        return total === 0 ? 0 : g.activeCampaignHits / total
      },
    )
    gauge(
      'promo_mail_waiting',
      'Confirmation mail in the outbox not yet handed to the mailer',
      (g) => g.mailWaiting,
    )
    gauge(
      'promo_webhook_deliveries_due',
      'Webhook deliveries pending whose next attempt is due',
      (g) => g.webhookDeliveriesDue,
    )
  }

  request(method: string, route: string, status: number, seconds: number): void {
    let methods = this.byRoute.get(route)
    if (!methods) {
      methods = new Map()
      this.byRoute.set(route, methods)
    }
    let classes = methods.get(method)
    if (!classes) {
      classes = []
      methods.set(method, classes)
    }
    const index = status >= 100 && status < 600 ? (status / 100) | 0 : 5
    let observer = classes[index]
    if (!observer) {
      observer = this.http.labels(method, route, statusClasses[index]!)
      classes[index] = observer
    }
    observer.observe(seconds)
  }

  ingestCommit(
    rows: number,
    requests: number,
    waitSeconds: number,
    commitSeconds: number,
    ok: boolean,
  ): void {
    this.commitRows.observe(rows)
    this.commitRequests.observe(requests)
    this.commitWait.observe(waitSeconds)
    this.commitDuration.observe(commitSeconds)
    this.commits.inc({ outcome: ok ? 'committed' : 'failed' })
  }

  ingestStep(step: string, seconds: number): void {
    let observer = this.stepObservers.get(step)
    if (!observer) {
      observer = this.stepDuration.labels(step)
      this.stepObservers.set(step, observer)
    }
    observer.observe(seconds)
  }

  kv(operation: string, seconds: number, ok: boolean): void {
    let observer = this.kvObservers.get(operation)
    if (!observer) {
      observer = this.kvDuration.labels(operation)
      this.kvObservers.set(operation, observer)
    }
    observer.observe(seconds)
    if (!ok) this.kvErrors.inc({ operation })
  }

  sample(read: () => Promise<Gauges>): void {
    this.read = read
  }

  async exposition(): Promise<{ contentType: string; body: string }> {
    // A failed read (the database is down) leaves the last values, and the scrape still answers.
    if (this.read) this.sampled = await this.read().catch(() => this.sampled)
    return { contentType: this.registry.contentType, body: await this.registry.metrics() }
  }
}
