import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mailOutbox, webhookDeliveries, webhooks } from '../../schema/db'
import { awarenessCampaign, client, createHarness, type Harness } from '../testing/harness'
import { RedisKv } from './kv/redis'
import { PrometheusMetrics } from './prometheus'

const token = 'metrics-token-0123456789abcdef'
const chrome =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

let h: Harness
let metrics: PrometheusMetrics
let campaignId: string

const scrape = async () => {
  const res = await h.app.request('/metrics', { headers: { authorization: `Bearer ${token}` } })
  expect(res.status).toBe(200)
  return res.text()
}
/** The value of one sample line, e.g. `promo_ingest_commits_total{outcome="committed"}`. */
const sampleValue = (text: string, sample: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `))
  return line === undefined ? undefined : Number(line.slice(sample.length + 1))
}

beforeAll(async () => {
  metrics = new PrometheusMetrics({ defaultMetrics: false })
  h = await createHarness({ metrics, metricsToken: token, ingest: 'batched' })
  const admin = client(h.app, { secretKey: h.a.secretKey })
  const created = (await (await admin.post('/api/v1/campaigns', awarenessCampaign())).json()) as {
    id: string
  }
  campaignId = created.id
  expect((await admin.post(`/api/v1/campaigns/${campaignId}/activate`)).status).toBe(200)
})
afterAll(async () => {
  await h.app.services.writer.close()
  await h.close()
})

describe('GET /metrics', () => {
  it('answers only to the bearer token', async () => {
    const none = await h.app.request('/metrics')
    expect(none.status).toBe(401)
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('unauthorized')
    const wrong = await h.app.request('/metrics', { headers: { authorization: `Bearer ${token}x` } })
    expect(wrong.status).toBe(401)
    const right = await h.app.request('/metrics', { headers: { authorization: `Bearer ${token}` } })
    expect(right.status).toBe(200)
    expect(right.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
  })

  it('is not there without a token', async () => {
    const bare = await createHarness({ metrics: new PrometheusMetrics({ defaultMetrics: false }) })
    try {
      expect((await bare.app.request('/metrics')).status).toBe(404)
    } finally {
      await bare.close()
    }
  })

  it('counts requests by route pattern and status class, never by path', async () => {
    const admin = client(h.app, { secretKey: h.a.secretKey })
    expect((await admin.get(`/api/v1/campaigns/${campaignId}`)).status).toBe(200)
    expect((await admin.get(`/api/v1/campaigns/${crypto.randomUUID()}`)).status).toBe(404)
    const text = await scrape()
    expect(
      sampleValue(
        text,
        'promo_http_request_duration_seconds_count{method="GET",route="/api/v1/campaigns/:id",status="2xx"}',
      ),
    ).toBe(1)
    expect(
      sampleValue(
        text,
        'promo_http_request_duration_seconds_count{method="GET",route="/api/v1/campaigns/:id",status="4xx"}',
      ),
    ).toBe(1)
    expect(text).not.toContain(campaignId)
    expect(text).not.toContain(h.a.secretKey)
  })

  it('reports group commits, the ingest backlog, store calls and the active-campaign cache', async () => {
    for (let i = 0; i < 2; i++) {
      const served = await h.app.request('/api/v1/serve', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': chrome },
        body: JSON.stringify({
          site: h.a.publishableKey,
          slots: ['home-hero'],
          anonymousId: 'visitor-metrics',
          context: { url: 'https://a.example/' },
        }),
      })
      expect(served.status).toBe(200)
    }
    const events = await h.app.request('/api/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': chrome },
      body: JSON.stringify({
        site: h.a.publishableKey,
        batch: [1, 2, 3].map(() => ({
          id: crypto.randomUUID(),
          name: 'page',
          timestamp: new Date(h.now.value).toISOString(),
          anonymousId: 'visitor-metrics',
        })),
      }),
    })
    expect(events.status).toBe(200)
    const text = await scrape()
    expect(sampleValue(text, 'promo_ingest_commits_total{outcome="committed"}')).toBe(1)
    expect(sampleValue(text, 'promo_ingest_commit_rows_sum')).toBe(3)
    expect(sampleValue(text, 'promo_ingest_commit_requests_count')).toBe(1)
    expect(sampleValue(text, 'promo_ingest_commit_wait_seconds_count')).toBe(1)
    expect(sampleValue(text, 'promo_ingest_backlog_events')).toBe(0)
    // Where the group's time went: each step of its transaction once, in the pipeline's order of names.
    for (const step of ['insert', 'identities', 'attribution', 'profiles', 'rollups', 'commit'])
      expect(sampleValue(text, `promo_ingest_step_duration_seconds_count{step="${step}"}`), step).toBe(1)
    expect(sampleValue(text, 'promo_kv_operation_duration_seconds_count{operation="claim"}')).toBe(2)
    expect(sampleValue(text, 'promo_active_campaigns_cache_hits_total')).toBeGreaterThanOrEqual(1)
    expect(sampleValue(text, 'promo_active_campaigns_cache_misses_total')).toBeGreaterThanOrEqual(1)
    expect(sampleValue(text, 'promo_active_campaigns_cache_hit_ratio')).toBeGreaterThan(0)
  })

  it('counts mail waiting in the outbox and webhook deliveries that are due', async () => {
    const db = h.database.db
    await db.insert(mailOutbox).values({
      siteId: h.a.siteId,
      to: 'someone@example.com',
      subject: 'Your guide',
      text: 'Here it is',
      status: 'queued',
      transport: 'smtp',
    })
    const [hook] = await db
      .insert(webhooks)
      .values({
        siteId: h.a.siteId,
        url: 'https://hooks.example/lead',
        secret: 'whsec',
        events: ['lead.created'],
      })
      .returning()
    const due = (minutes: number) => ({
      webhookId: hook!.id,
      siteId: h.a.siteId,
      event: 'lead.created',
      payload: {},
      status: 'pending' as const,
      nextAttemptAt: new Date(h.now.value + minutes * 60_000),
    })
    await db.insert(webhookDeliveries).values([due(-1), due(-5), due(30)])
    // Backlogs are counted at most every 15 s.
    h.now.value += 16_000
    const text = await scrape()
    expect(sampleValue(text, 'promo_mail_waiting')).toBe(1)
    expect(sampleValue(text, 'promo_webhook_deliveries_due')).toBe(2)
    expect(text).not.toContain('someone@example.com')
  })

  it('counts the store’s failures', async () => {
    // A real Redis client aimed at a port where nothing listens: every call fails fast.
    const down = new RedisKv('redis://127.0.0.1:1', { commandTimeoutMs: 50 })
    const failing = new PrometheusMetrics({ defaultMetrics: false })
    const broken = await createHarness({ metrics: failing, metricsToken: token, kv: down })
    try {
      const admin = client(broken.app, { secretKey: broken.a.secretKey })
      const created = (await (await admin.post('/api/v1/campaigns', awarenessCampaign())).json()) as {
        id: string
      }
      expect((await admin.post(`/api/v1/campaigns/${created.id}/activate`)).status).toBe(200)
      const res = await broken.app.request('/api/v1/serve', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': chrome },
        body: JSON.stringify({
          site: broken.a.publishableKey,
          slots: ['home-hero'],
          anonymousId: 'v',
          context: { url: 'https://a.example/' },
        }),
      })
      expect(res.status).toBe(200)
      const text = await (
        await broken.app.request('/metrics', { headers: { authorization: `Bearer ${token}` } })
      ).text()
      expect(sampleValue(text, 'promo_kv_errors_total{operation="claim"}')).toBeGreaterThanOrEqual(1)
    } finally {
      await broken.close()
      await down.close()
    }
  })
})
