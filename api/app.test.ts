import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { client, createHarness, type Harness, login } from './testing/harness'

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

describe('what a browser may open', () => {
  it('tells browsers not to sniff its type: admin JSON and CSV, health, and every error', async () => {
    const admin = client(h.app, { secretKey: h.a.secretKey })
    const answers = [
      await client(h.app).get('/healthz'),
      await client(h.app).get('/api/v1/nothing-here'),
      await client(h.app).get('/api/v1/serve'),
      await admin.get('/api/v1/leads/export.csv'),
      await admin.get('/api/v1/campaigns'),
      await client(h.app).get('/r/not-a-signed-click'),
      await client(h.app).get('/d/not-a-token'),
      await client(h.app).post('/api/v1/serve', '{not json'),
    ]
    expect(answers.map((res) => [res.status, res.headers.get('x-content-type-options')])).toEqual(
      answers.map((res) => [res.status, 'nosniff']),
    )
    expect(answers.map((res) => res.status)).toContain(200)
  })
})

describe('what a cache may keep', () => {
  it('keeps admin answers out of every cache: sign-in (it holds the CSRF token), admin JSON, exports, errors', async () => {
    const signIn = await client(h.app).post('/api/v1/auth/login', {
      email: h.a.email,
      password: h.a.password,
    })
    const session = await login(h.app, h.a)
    const admin = client(h.app, { secretKey: h.a.secretKey })
    const answers = [
      signIn,
      await client(h.app).post('/api/v1/auth/login', { email: h.a.email, password: 'wrong' }),
      await client(h.app, session).get('/api/v1/auth/me'),
      await admin.get('/api/v1/sites'),
      await admin.get('/api/v1/leads/export.csv'),
      await admin.get('/api/v1/webhooks'),
      await client(h.app).get('/api/v1/campaigns'),
    ]
    expect(answers.map((res) => [res.status, res.headers.get('cache-control')])).toEqual(
      answers.map((res) => [res.status, 'no-store']),
    )
    expect(answers.map((res) => res.status)).toEqual([200, 401, 200, 200, 200, 200, 401])
  })

  it('leaves the serve answer to its own caching', async () => {
    const served = await client(h.app).post('/api/v1/serve', { site: h.a.publishableKey, anonymousId: 'v' })
    expect(served.status).toBe(200)
    expect(served.headers.get('cache-control')).not.toBe('no-store')
  })
})
