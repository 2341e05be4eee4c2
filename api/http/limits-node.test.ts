import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { leadCampaign } from '../../promotions/lead_generation/testing/server'
import { start } from '../runtime/node'

/**
 * The Node server as `npm start` runs it, on a real socket: the address a rate limit counts is the
 * connection's, which `app.request` in the other tests never has.
 */
const secretKey = `sk_test_${'a'.repeat(32)}`
const publishableKey = `pk_test_${'b'.repeat(32)}`
const browser =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

let dir: string
let server: Awaited<ReturnType<typeof start>>
let base: string
let campaignId: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promo-limits-'))
  server = await start({
    PORT: '0',
    HOST: '127.0.0.1',
    PROMO_DATA_DIR: dir,
    PROMO_LOG: 'silent',
    PROMO_SECRET_KEY: secretKey,
    PROMO_PUBLISHABLE_KEY: publishableKey,
    // A proxy may name the visitor; a request without the header is counted by its socket's address.
    PROMO_CLIENT_IP_HEADER: 'x-forwarded-for',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
  })
  base = `http://127.0.0.1:${server.port}`
  const headers = { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' }
  const created = await fetch(`${base}/api/v1/campaigns`, {
    method: 'POST',
    headers,
    body: JSON.stringify(leadCampaign()),
  })
  expect(created.status).toBe(201)
  campaignId = ((await created.json()) as { id: string }).id
  const started = await fetch(`${base}/api/v1/campaigns/${campaignId}/activate`, { method: 'POST', headers })
  expect(started.status).toBe(200)
}, 60_000)

afterAll(async () => {
  await server?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

let serial = 0
const submit = (headers: Record<string, string> = {}) =>
  fetch(`${base}/api/v1/leads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': browser, ...headers },
    body: JSON.stringify({
      site: publishableKey,
      campaignId,
      fields: { email: `node-${++serial}@example.com` },
      elapsedMs: 8_000,
    }),
  })

describe('the Node server', () => {
  it("limits lead submits by the connection's address", async () => {
    for (let i = 0; i < 5; i++) expect((await submit()).status).toBe(201)
    const refused = await submit()
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('60')
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited')
    // The trusted proxy's header names another visitor, who is not held up.
    expect((await submit({ 'x-forwarded-for': '198.51.100.20' })).status).toBe(201)
  })
})
