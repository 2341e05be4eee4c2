import { createServer, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { leadCampaign } from '../../promotions/lead_generation/testing/server'
import { openPostgres } from '../adapters/db/postgres'
import { createApp } from '../app'
import type { Database, Db } from '../ports/database'
import { testDatabase } from '../testing/database'
import { awarenessCampaign, client, createTenant, type Tenant, testKv } from '../testing/harness'

const chrome =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

/** A port nothing listens on: connecting there is refused, as with a PostgreSQL that is restarting. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1))
    })
  })
}

/** A server that takes connections and never says a word, as a database host that hangs. */
function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      resolve({
        port: typeof address === 'object' && address ? address.port : 1,
        close: () => {
          for (const socket of sockets) socket.destroy()
          return new Promise((done) => server.close(() => done()))
        },
      })
    })
  })
}

/**
 * The test's database with a switch: `down` sends every query to a PostgreSQL address that refuses
 * connections, so the app meets a real driver's outage errors; `hang` to one that accepts and never answers;
 * `up` brings the real database back.
 */
async function switchableDatabase() {
  const real = await testDatabase()
  const away = openPostgres(`postgres://postgres@127.0.0.1:${await closedPort()}/promo`, { max: 1 })
  const silent = await silentServer()
  const hung = openPostgres(`postgres://postgres@127.0.0.1:${silent.port}/promo`, { max: 1 })
  let current: Db = real.db
  const db = new Proxy({} as Db, {
    get: (_, key) => {
      const value = Reflect.get(current, key)
      return typeof value === 'function' ? value.bind(current) : value
    },
  })
  const database: Database = { db, driver: real.driver, close: () => real.close() }
  return {
    database,
    real,
    down: () => {
      current = away.db
    },
    hang: () => {
      current = hung.db
    },
    up: () => {
      current = real.db
    },
    close: async () => {
      await Promise.all([real.close(), away.close(), silent.close()])
      await hung.close()
    },
  }
}

/** Which campaign and variant an answer shows (its click URLs name the visitor, who differs). */
const shownOf = (answer: unknown) =>
  (answer as { decisions: { campaignId: string; variantId: string }[] }).decisions.map((d) => ({
    campaignId: d.campaignId,
    variantId: d.variantId,
  }))

describe.each(['direct', 'batched'] as const)('while the database is away (%s ingest)', (ingest) => {
  let outage: Awaited<ReturnType<typeof switchableDatabase>>
  let app: ReturnType<typeof createApp>
  let tenant: Tenant
  let lead: { id: string; variants: { id: string }[] }
  const now = { value: Date.parse('2026-11-29T12:00:00Z') }
  const kv = testKv()
  const post = (path: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': chrome, ...headers },
      body: JSON.stringify(body),
    })
  // A new visitor each time, so no frequency cap takes the decision away.
  let visitor = 0
  const serve = (site = tenant.publishableKey) =>
    post('/api/v1/serve', {
      site,
      slots: ['home-hero'],
      anonymousId: `visitor-${visitor++}`,
      context: { url: 'https://shop.example/' },
    })
  const event = (extra: Record<string, unknown> = {}) => ({
    id: crypto.randomUUID(),
    name: 'page',
    timestamp: new Date(now.value).toISOString(),
    anonymousId: 'visitor-1',
    ...extra,
  })

  beforeAll(async () => {
    outage = await switchableDatabase()
    app = createApp({
      database: outage.database,
      kv,
      ingest,
      signingSecret: 'test-signing-secret-0123456789abcdef',
      now: () => now.value,
    })
    tenant = await createTenant(outage.real, 'outage')
    const admin = client(app, { secretKey: tenant.secretKey })
    for (const body of [awarenessCampaign(), leadCampaign()]) {
      const created = await admin.post('/api/v1/campaigns', body)
      const campaign = (await created.json()) as { id: string; variants: { id: string }[] }
      expect((await admin.post(`/api/v1/campaigns/${campaign.id}/activate`)).status).toBe(200)
      if (body.type === 'lead_generation') lead = campaign
    }
  })
  afterAll(async () => {
    await app.services.writer.close()
    await Promise.all([outage.close(), kv.close()])
  })

  it('serves from what it loaded last, and nothing (never 5xx) for a site not seen since start', async () => {
    const before = await (await serve()).json()
    expect(shownOf(before)).toHaveLength(1)
    outage.down()
    try {
      // Past both caches' ages: the site and its campaigns would be read again.
      now.value += 120_000
      const during = await serve()
      expect(during.status).toBe(200)
      expect(shownOf(await during.json())).toEqual(shownOf(before))
      const unseen = await serve('pk_test_neverseen0123456789')
      expect(unseen.status).toBe(200)
      expect(await unseen.json()).toEqual({ decisions: [], ttl: 5 })
    } finally {
      outage.up()
    }
  })

  it('answers from what it loaded last within a moment when the database hangs', async () => {
    const before = await (await serve()).json()
    outage.hang()
    try {
      now.value += 120_000
      const started = performance.now()
      const during = await serve()
      expect(performance.now() - started).toBeLessThan(2_000)
      expect(during.status).toBe(200)
      expect(shownOf(await during.json())).toEqual(shownOf(before))
    } finally {
      outage.up()
    }
  })

  it('answers events and leads 503 with Retry-After, and stores the retried batch once after', async () => {
    const shown = (await (await serve()).json()) as { decisions: { campaignId: string; variantId: string }[] }
    const { campaignId, variantId } = shown.decisions[0]!
    const batch = [event(), event({ name: 'impression', campaignId, variantId })]
    const submit = {
      site: tenant.publishableKey,
      campaignId: lead.id,
      fields: { email: `outage-${ingest}@example.com` },
      anonymousId: 'visitor-1',
      elapsedMs: 5_000,
    }
    outage.down()
    try {
      for (const body of [{ batch }, { batch: [batch[0]] }]) {
        const refused = await post('/api/v1/events', { site: tenant.publishableKey, ...body })
        expect(refused.status).toBe(503)
        expect(refused.headers.get('retry-after')).toBeTruthy()
        expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('unavailable')
      }
      const lost = await post('/api/v1/leads', submit)
      expect(lost.status).toBe(503)
      expect(lost.headers.get('retry-after')).toBeTruthy()
    } finally {
      outage.up()
    }
    const retried = await post('/api/v1/events', { site: tenant.publishableKey, batch })
    expect(await retried.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] })
    expect((await post('/api/v1/leads', submit)).status).toBe(201)
  })
})
