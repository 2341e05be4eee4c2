import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as api from '../../../schema/api'
import { client, createHarness, type Harness, login, readError, readJson } from '../../testing/harness'

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

describe('sites and keys', () => {
  it('creates a site with a secret key shown once, which then opens only that site', async () => {
    const session = await login(h.app, h.a)
    const res = await client(h.app, session).post('/api/v1/sites', {
      name: 'Blog',
      allowedOrigins: ['https://blog.example'],
    })
    expect(res.status).toBe(201)
    const site = await readJson(res, api.createdSite)
    expect(site.publishableKey).toMatch(/^pk_live_/)
    expect(site.secretKey).toMatch(/^sk_live_/)
    const read = await readJson(await client(h.app, session).get(`/api/v1/sites/${site.id}`), api.site)
    expect('secretKey' in read).toBe(false)
    expect(read.secretKeys[0]!.prefix).toBe(`${site.secretKey.slice(0, 12)}…`)

    const asNewKey = client(h.app, { secretKey: site.secretKey })
    const sites = await readJson(await asNewKey.get('/api/v1/sites'), api.pageOf(api.site))
    expect(sites.data.map((s) => s.id)).toEqual([site.id])
    expect((await asNewKey.get(`/api/v1/sites/${h.a.siteId}`)).status).toBe(404)
  })

  it('refuses origins with a path and site creation by a secret key', async () => {
    const session = await login(h.app, h.a)
    const bad = await client(h.app, session).post('/api/v1/sites', {
      name: 'x',
      allowedOrigins: ['https://a.example/path'],
    })
    expect(bad.status).toBe(400)
    expect((await readError(bad)).paths[0]).toBe('allowedOrigins.0')
    const byKey = await client(h.app, { secretKey: h.a.secretKey }).post('/api/v1/sites', { name: 'x' })
    expect(byKey.status).toBe(403)
  })

  it('revokes a secret key and rotates the publishable key, for a signed-in admin', async () => {
    const a = client(h.app, await login(h.app, h.a))
    const extra = await readJson(
      await a.post(`/api/v1/sites/${h.a.siteId}/secret-keys`),
      api.createdSecretKey,
    )
    expect((await client(h.app, { secretKey: extra.key }).get('/api/v1/campaigns')).status).toBe(200)
    expect((await a.delete(`/api/v1/sites/${h.a.siteId}/secret-keys/${extra.id}`)).status).toBe(204)
    expect((await client(h.app, { secretKey: extra.key }).get('/api/v1/campaigns')).status).toBe(401)

    const serve = (key: string) => client(h.app).post('/api/v1/serve', { site: key, anonymousId: 'v' })
    expect((await serve(h.a.publishableKey)).status).toBe(200)
    const rotated = await readJson(
      await a.post(`/api/v1/sites/${h.a.siteId}/publishable-key/rotate`),
      api.site,
    )
    expect(rotated.publishableKey).not.toBe(h.a.publishableKey)
    expect((await serve(h.a.publishableKey)).status).toBe(401)
    expect((await serve(rotated.publishableKey)).status).toBe(200)
    h.a.publishableKey = rotated.publishableKey
  })

  it('refuses key management to a secret key: a leaked key cannot mint, revoke or rotate keys', async () => {
    const byKey = client(h.app, { secretKey: h.a.secretKey })
    const session = await login(h.app, h.a)
    const extra = await readJson(
      await client(h.app, session).post(`/api/v1/sites/${h.a.siteId}/secret-keys`),
      api.createdSecretKey,
    )
    const attempts = [
      await byKey.post(`/api/v1/sites/${h.a.siteId}/secret-keys`),
      await byKey.delete(`/api/v1/sites/${h.a.siteId}/secret-keys/${extra.id}`),
      await byKey.post(`/api/v1/sites/${h.a.siteId}/publishable-key/rotate`),
      await byKey.post('/api/v1/sites', { name: 'Backdoor' }),
    ]
    for (const res of attempts) {
      expect(res.status).toBe(403)
      const error = await readError(res)
      expect(error.code).toBe('forbidden')
      expect(error.message).toMatch(/signed-in admin/)
    }
    const site = await readJson(await byKey.get(`/api/v1/sites/${h.a.siteId}`), api.site)
    expect(site.secretKeys.map((k) => k.id)).toContain(extra.id)
    expect(site.publishableKey).toBe(h.a.publishableKey)
    // A session needs its CSRF token for these as for every write.
    const noCsrf = await client(h.app, { cookie: session.cookie }).post(
      `/api/v1/sites/${h.a.siteId}/secret-keys`,
    )
    expect(noCsrf.status).toBe(403)
    expect((await readError(noCsrf)).code).toBe('csrf_failed')
  })

  it('changes only what a PATCH names: renaming a site keeps its origins and settings', async () => {
    const admin = client(h.app, { secretKey: h.a.secretKey })
    const renamed = await admin.patch(`/api/v1/sites/${h.a.siteId}`, { name: 'Shop A' })
    expect(renamed.status).toBe(200)
    expect(await renamed.json()).toMatchObject({
      name: 'Shop A',
      allowedOrigins: [h.a.origin],
      contentImageHosts: [],
      learnedContent: 'corroborated',
    })
  })

  it('reports health with the database', async () => {
    const res = await h.app.request('/healthz')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ ok: true, database: true })
  })
})
