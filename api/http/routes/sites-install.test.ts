import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as api from '../../../schema/api'
import { client, createHarness, type Harness, login, readError, readJson } from '../../testing/harness'

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

const browser =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile'

async function pageView(publishableKey: string, at: number, url: string) {
  const res = await h.app.request('/api/v1/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': browser },
    body: JSON.stringify({
      site: publishableKey,
      batch: [
        {
          id: randomUUID(),
          name: 'page_view',
          anonymousId: 'anon-1',
          timestamp: new Date(at).toISOString(),
          url,
        },
      ],
    }),
  })
  expect(res.status).toBe(200)
  expect((await readJson(res, api.batchAnswer)).accepted).toBe(1)
}

describe('GET /sites/:id/install', () => {
  it('answers null until the site sends an event, then the latest one with its page', async () => {
    const session = await login(h.app, h.a)
    const admin = client(h.app, session)
    const empty = await admin.get(`/api/v1/sites/${h.a.siteId}/install`)
    expect(empty.status).toBe(200)
    expect(await readJson(empty, api.installCheck)).toEqual({ lastEvent: null })

    await pageView(h.a.publishableKey, h.now.value - 60_000, 'https://a.example/older')
    await pageView(h.a.publishableKey, h.now.value - 12_000, 'https://a.example/checkout?step=2')
    const seen = await readJson(await admin.get(`/api/v1/sites/${h.a.siteId}/install`), api.installCheck)
    expect(seen.lastEvent).toEqual({
      name: 'page_view',
      at: new Date(h.now.value - 12_000).toISOString(),
      url: 'https://a.example/checkout?step=2',
    })
  })

  it('is a 404 for another organization’s site, by session and by secret key', async () => {
    await pageView(h.b.publishableKey, h.now.value - 5_000, 'https://b.example/secret-page')
    const sessionA = await login(h.app, h.a)
    for (const admin of [client(h.app, sessionA), client(h.app, { secretKey: h.a.secretKey })]) {
      const res = await admin.get(`/api/v1/sites/${h.b.siteId}/install`)
      expect(res.status).toBe(404)
      expect((await readError(res)).code).toBe('not_found')
    }
    // B sees its own.
    const b = client(h.app, await login(h.app, h.b))
    const own = await readJson(await b.get(`/api/v1/sites/${h.b.siteId}/install`), api.installCheck)
    expect(own.lastEvent?.url).toBe('https://b.example/secret-page')
  })

  it('answers 404, never a 500, for a path id that is not a site', async () => {
    const admin = client(h.app, await login(h.app, h.a))
    const res = await admin.get('/api/v1/sites/not-a-uuid/install')
    expect(res.status).toBe(404)
  })
})

describe('named secret keys', () => {
  it('creates a key with a name, lists it (and revoked ones) without the key, and keeps unnamed POSTs working', async () => {
    const session = await login(h.app, h.a)
    const admin = client(h.app, session)
    const named = await admin.post(`/api/v1/sites/${h.a.siteId}/secret-keys`, { name: '  Checkout server ' })
    expect(named.status).toBe(201)
    const key = await readJson(named, api.createdSecretKey)
    expect(key.name).toBe('Checkout server')
    expect(key.key).toMatch(/^sk_live_/)

    const bare = await h.app.request(`/api/v1/sites/${h.a.siteId}/secret-keys`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
    })
    expect(bare.status).toBe(201)
    const unnamed = await readJson(bare, api.createdSecretKey)
    expect(unnamed.name).toBeNull()

    expect((await admin.delete(`/api/v1/sites/${h.a.siteId}/secret-keys/${unnamed.id}`)).status).toBe(204)
    const list = await readJson(await admin.get(`/api/v1/sites/${h.a.siteId}/secret-keys`), api.secretKeyList)
    const byId = new Map(list.data.map((k) => [k.id, k]))
    expect(byId.get(key.id)).toMatchObject({ name: 'Checkout server', revokedAt: null })
    expect(byId.get(unnamed.id)?.revokedAt).toBe(new Date(h.now.value).toISOString())
    expect(JSON.stringify(list)).not.toContain(key.key)
    const site = await readJson(await admin.get(`/api/v1/sites/${h.a.siteId}`), api.site)
    expect(site.secretKeys.find((k) => k.id === key.id)?.name).toBe('Checkout server')
    expect(site.secretKeys.map((k) => k.id)).not.toContain(unnamed.id)
  })

  it('refuses a name too long or not text, at the name', async () => {
    const admin = client(h.app, await login(h.app, h.a))
    for (const name of ['x'.repeat(1000), 42, '   ']) {
      const res = await admin.post(`/api/v1/sites/${h.a.siteId}/secret-keys`, { name })
      expect(res.status).toBe(400)
      expect((await readError(res)).paths).toEqual(['name'])
    }
  })

  it('does not list another organization’s keys', async () => {
    const admin = client(h.app, await login(h.app, h.a))
    const res = await admin.get(`/api/v1/sites/${h.b.siteId}/secret-keys`)
    expect(res.status).toBe(404)
  })
})
