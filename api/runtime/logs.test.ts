import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { leadCampaign } from '../../promotions/lead_generation/testing/server'
import { randomToken } from '../services/auth/keys'
import { freshPostgres } from '../testing/database'
import { start } from './node'

/**
 * The must-show of issue 13's logs: the real Node server (start(), as `npm start` runs it) goes through logins,
 * key creation, lead submits, events with user ids and ingest that the database refuses, with everything it
 * writes captured; no secret key, password, session token, email or IP address may be in it.
 */

const chrome =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
const visitorIp = '203.0.113.77'
const secrets = {
  adminEmail: 'ops-admin@example.com',
  adminPassword: `pw-${randomToken(20)}`,
  wrongPassword: `wrong-${randomToken(20)}`,
  secretKey: `sk_test_${randomToken(32)}`,
  publishableKey: `pk_test_${randomToken(24)}`,
  unknownKey: `sk_live_${randomToken(32)}`,
  leadEmail: 'grace.hopper@example.org',
  refusedLeadEmail: 'refused.lead@example.org',
  userId: 'ada.lovelace@example.net',
  failingUserId: 'failing.user@example.com',
  triggerUserId: 'trigger.victim@example.com',
  metricsToken: `mt-${randomToken(32)}`,
}
/** Found during the run: the session token, its CSRF token and a secret key created through the API. */
const issued: string[] = []
/** X-Request-Id answers: to a plain id, to an email sent as one, to none, and to the lead submit that failed. */
const echoed: Record<'plain' | 'email' | 'none' | 'failedLead', string | null> = {
  plain: null,
  email: null,
  none: null,
  failedLead: null,
}

const captured: string[] = []
let server: Awaited<ReturnType<typeof start>>
let dataDir: string | undefined
let dropDatabase: (() => Promise<void>) | undefined
let base: string

function capture() {
  const keep = (...args: unknown[]) => {
    captured.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '))
  }
  const keepChunk = (chunk: unknown) => {
    captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString())
    return true
  }
  return [
    vi.spyOn(process.stdout, 'write').mockImplementation(keepChunk as never),
    vi.spyOn(process.stderr, 'write').mockImplementation(keepChunk as never),
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((name) =>
      vi.spyOn(console, name).mockImplementation(keep),
    ),
  ]
}

async function send(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${base}${path}`, {
    method,
    headers: {
      'user-agent': chrome,
      'x-forwarded-for': visitorIp,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
}

const event = (fields: Record<string, unknown>) => ({
  id: crypto.randomUUID(),
  name: 'page',
  timestamp: new Date().toISOString(),
  anonymousId: `anon-${randomToken(8)}`,
  url: 'https://shop.example/',
  ...fields,
})

beforeAll(async () => {
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    PROMO_LOG: 'info',
    PROMO_ADMIN_EMAIL: secrets.adminEmail,
    PROMO_ADMIN_PASSWORD: secrets.adminPassword,
    PROMO_SECRET_KEY: secrets.secretKey,
    PROMO_PUBLISHABLE_KEY: secrets.publishableKey,
    PROMO_CLIENT_IP_HEADER: 'x-forwarded-for',
    PROMO_METRICS_TOKEN: secrets.metricsToken,
  }
  if (process.env.DATABASE_URL) {
    const fresh = await freshPostgres(process.env.DATABASE_URL)
    env.DATABASE_URL = fresh.url
    dropDatabase = fresh.drop
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'promo-logs-'))
    env.PROMO_DATA_DIR = dataDir
  }
  if (process.env.REDIS_URL) env.REDIS_URL = process.env.REDIS_URL

  const spies = capture()
  try {
    server = await start(env)
    base = `http://127.0.0.1:${server.port}`
    await exercise()
    // Work that runs after an answer (webhook attempts, mirrors) logs too.
    await new Promise((resolve) => setTimeout(resolve, 200))
    await server.close()
  } finally {
    for (const spy of spies) spy.mockRestore()
  }
}, 120_000)

afterAll(async () => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  await dropDatabase?.()
})

async function exercise() {
  const db = server.database.db
  const siteId = server.boot.siteId

  // Logins: a wrong password, then the right one.
  const refused = await send('POST', '/api/v1/auth/login', {
    email: secrets.adminEmail,
    password: secrets.wrongPassword,
  })
  expect(refused.status).toBe(401)
  const login = await send('POST', '/api/v1/auth/login', {
    email: secrets.adminEmail,
    password: secrets.adminPassword,
  })
  expect(login.status).toBe(200)
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!
  const { csrfToken } = (await login.json()) as { csrfToken: string }
  issued.push(cookie.split('=')[1]!, csrfToken)
  expect((await send('GET', '/api/v1/auth/me', undefined, { cookie })).status).toBe(200)

  // A secret key made through the API, and one that does not exist.
  const created = await send(
    'POST',
    `/api/v1/sites/${siteId}/secret-keys`,
    {},
    { cookie, 'x-csrf-token': csrfToken },
  )
  expect(created.status).toBe(201)
  issued.push(((await created.json()) as { key: string }).key)
  const unknown = await send('GET', '/api/v1/campaigns', undefined, {
    authorization: `Bearer ${secrets.unknownKey}`,
  })
  expect(unknown.status).toBe(401)

  // A lead form, and a visitor who fills it in.
  const admin = { authorization: `Bearer ${secrets.secretKey}` }
  const campaign = await send('POST', '/api/v1/campaigns', leadCampaign(), admin)
  expect(campaign.status).toBe(201)
  const campaignId = ((await campaign.json()) as { id: string }).id
  expect((await send('POST', `/api/v1/campaigns/${campaignId}/activate`, undefined, admin)).status).toBe(200)
  const lead = (email: string) => ({
    site: secrets.publishableKey,
    campaignId,
    anonymousId: `anon-${randomToken(8)}`,
    fields: { email, first_name: 'Grace', job_title: 'Director', terms: true },
    consent: { granted: true, text: 'Send me the guide' },
    elapsedMs: 8_000,
  })
  const submitted = await send('POST', '/api/v1/leads', lead(secrets.leadEmail))
  expect(submitted.status).toBe(201)

  // Events that name their user.
  const events = await send('POST', '/api/v1/events', {
    site: secrets.publishableKey,
    batch: [event({ name: 'identify', userId: secrets.userId, props: { email: secrets.userId } }), event({})],
  })
  expect(events.status).toBe(200)

  // Ingest the database refuses: a timestamp PostgreSQL cannot store, beside an event with a user id.
  const refusedBatch = await send('POST', '/api/v1/events', {
    site: secrets.publishableKey,
    batch: [event({ timestamp: '0000-01-01T00:00:00Z' }), event({ userId: secrets.failingUserId })],
  })
  expect([400, 200, 503]).toContain(refusedBatch.status)

  // A database error forced another way: triggers that refuse a user's identity and a lead, quoting the person
  // in their message as drivers quote parameters.
  await db.execute(sql`
    create function promo_test_refuse_identity() returns trigger language plpgsql as $$
    begin raise exception 'identity refused for %', new.user_id; end $$`)
  await db.execute(sql`
    create trigger promo_test_refuse_identity before insert on identities
    for each row execute function promo_test_refuse_identity()`)
  await db.execute(sql`
    create function promo_test_refuse_lead() returns trigger language plpgsql as $$
    begin if new.email like 'refused%' then raise exception 'lead refused for %', new.email; end if; return new; end $$`)
  await db.execute(sql`
    create trigger promo_test_refuse_lead before insert on leads
    for each row execute function promo_test_refuse_lead()`)
  const triggered = await send('POST', '/api/v1/events', {
    site: secrets.publishableKey,
    batch: [event({ name: 'identify', userId: secrets.triggerUserId })],
  })
  expect(triggered.status).toBe(503)
  const refusedLead = await send('POST', '/api/v1/leads', lead(secrets.refusedLeadEmail))
  expect(refusedLead.status).toBe(500)
  echoed.failedLead = refusedLead.headers.get('x-request-id')

  const health = await send('GET', '/healthz', undefined, { 'x-request-id': 'trace-4f2a.b_1' })
  expect(health.status).toBe(200)
  echoed.plain = health.headers.get('x-request-id')
  echoed.email = (await send('GET', '/readyz', undefined, { 'x-request-id': secrets.leadEmail })).headers.get(
    'x-request-id',
  )
  echoed.none = (await send('GET', '/api/v1/campaigns', undefined, admin)).headers.get('x-request-id')

  const scraped = await send('GET', '/metrics', undefined, {
    authorization: `Bearer ${secrets.metricsToken}`,
  })
  expect(scraped.status).toBe(200)
  exposition = await scraped.text()
}

let exposition = ''

const logText = () => captured.join('')

describe('the Node server’s logs', () => {
  it('carry no secret key, password, session token, email or IP address', () => {
    const text = logText()
    expect(text.length).toBeGreaterThan(0)
    const never = [
      secrets.adminPassword,
      secrets.wrongPassword,
      secrets.secretKey,
      secrets.publishableKey,
      secrets.unknownKey,
      secrets.adminEmail,
      secrets.leadEmail,
      secrets.refusedLeadEmail,
      secrets.userId,
      secrets.failingUserId,
      secrets.triggerUserId,
      secrets.metricsToken,
      visitorIp,
      '127.0.0.1',
      ...issued,
    ]
    expect(issued).toHaveLength(3)
    for (const value of never) expect(text, value).not.toContain(value)
    expect(text).not.toMatch(/\b[sp]k_(live|test)_[A-Za-z0-9]{4,}/)
    expect(text).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.-]+/)
    expect(text).not.toMatch(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/)
  })

  it('have /metrics beside them on the same server, labelled by route pattern only', () => {
    expect(exposition).toMatch(
      /promo_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/leads",status="2xx"\} 1\n/,
    )
    expect(exposition).toContain('route="/api/v1/sites/:id/secret-keys"')
    // The refused request's transaction failed (alone, or in its group and then alone): counted as failed.
    expect(exposition).toMatch(/promo_ingest_commits_total\{outcome="failed"\} [1-9]/)
    expect(exposition).not.toContain(server.boot.siteId)
    for (const value of [secrets.secretKey, secrets.publishableKey, secrets.leadEmail, ...issued]) {
      expect(exposition).not.toContain(value)
    }
  })

  it('are one JSON object a line; every request has an access line with its id, route pattern, status and time', () => {
    const lines = logText()
      .split('\n')
      .filter((line) => line.trim() !== '')
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
    for (const line of parsed) {
      expect(line).toMatchObject({
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        level: expect.stringMatching(/^(info|error)$/),
        message: expect.any(String),
      })
    }
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
    const access = parsed.filter((line) => line.message === 'request')
    expect(access.find((line) => line.route === '/api/v1/leads' && line.status === 201)).toMatchObject({
      level: 'info',
      method: 'POST',
      requestId: expect.stringMatching(uuid),
      durationMs: expect.any(Number),
    })
    // Paths with ids are logged by their pattern.
    expect(access.map((line) => line.route)).toContain('/api/v1/campaigns/:id/:action{[a-z]+}')
    expect(access.map((line) => line.route)).toContain('/api/v1/sites/:id/secret-keys')

    // The caller's plain id is kept and echoed; an email as an id is replaced; no id gets a new one.
    expect(echoed.plain).toBe('trace-4f2a.b_1')
    expect(echoed.email).toMatch(uuid)
    expect(echoed.none).toMatch(uuid)
    expect(access.find((line) => line.route === '/healthz')?.requestId).toBe('trace-4f2a.b_1')

    // Errors name their kind and SQLSTATE, and the request they happened in.
    const batches = parsed.filter((line) => line.message === 'event batch not stored')
    expect(batches.map((line) => line.code)).toContain('P0001')
    const unhandled = parsed.find((line) => line.message === 'unhandled error')
    expect(unhandled).toMatchObject({
      level: 'error',
      requestId: echoed.failedLead,
      route: '/api/v1/leads',
      error: 'DrizzleQueryError',
      code: 'P0001',
    })
  })
})
