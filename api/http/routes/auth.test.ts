import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { session as sessionSchema } from '../../../schema/api'
import { createApp } from '../../app'
import { testDatabase } from '../../testing/database'
import {
  client,
  createHarness,
  type Harness,
  login,
  readError,
  readJson,
  testKv,
} from '../../testing/harness'
import { loginsPerAddress } from './auth'

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

describe('admin sessions', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie and answers who is signed in', async () => {
    const res = await client(h.app).post('/api/v1/auth/login', {
      email: h.a.email.toUpperCase(),
      password: h.a.password,
    })
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^promo_session=/)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    const body = await readJson(res, sessionSchema)
    expect(body.user.email).toBe(h.a.email)
    expect(body.organization.id).toBe(h.a.organizationId)
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9]{32}$/)
    const me = await client(h.app, { cookie: cookie.split(';')[0] }).get('/api/v1/auth/me')
    expect((await readJson(me, sessionSchema)).user.email).toBe(h.a.email)
  })

  it('refuses a wrong password and an unknown email with the same answer', async () => {
    const wrong = await client(h.app).post('/api/v1/auth/login', { email: h.a.email, password: 'nope' })
    const unknown = await client(h.app).post('/api/v1/auth/login', {
      email: 'who@example.com',
      password: 'nope',
    })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect((await readError(wrong)).message).toBe((await readError(unknown)).message)
  })

  it('ends the session on logout', async () => {
    const session = await login(h.app, h.a)
    expect((await client(h.app, session).post('/api/v1/auth/logout')).status).toBe(204)
    expect((await client(h.app, session).get('/api/v1/auth/me')).status).toBe(401)
  })

  it('expires sessions after seven days', async () => {
    const session = await login(h.app, h.a)
    h.now.value += 8 * 86_400_000
    try {
      expect((await client(h.app, session).get('/api/v1/campaigns')).status).toBe(401)
    } finally {
      h.now.value -= 8 * 86_400_000
    }
  })

  it('never stores passwords or keys in the clear', async () => {
    const { users, secretKeys, sessions } = await import('../../../schema/db')
    const [user] = await h.database.db.select().from(users)
    expect(user!.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/)
    expect(user!.passwordHash).not.toContain(h.a.password)
    const keys = await h.database.db.select().from(secretKeys)
    expect(keys.some((k) => k.hash === h.a.secretKey || k.hash.includes(h.a.secretKey))).toBe(false)
    const session = await login(h.app, h.b)
    const token = session.cookie.split('=')[1]!
    const stored = await h.database.db.select().from(sessions)
    expect(stored.some((s) => s.tokenHash === token)).toBe(false)
  })
})

describe('login throttle', () => {
  it('refuses an account with 429 and Retry-After after ten failures, even with the right password', async () => {
    const attempt = (password: string) =>
      client(h.app).post('/api/v1/auth/login', { email: h.b.email, password })
    for (let i = 0; i < 10; i++) expect((await attempt('wrong')).status).toBe(401)
    const blocked = await attempt(h.b.password)
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await readError(blocked)).code).toBe('rate_limited')
    h.now.value += 16 * 60_000
    expect((await attempt(h.b.password)).status).toBe(200)
  })
})

describe('the session cookie behind a TLS-terminating proxy', () => {
  const signIn = (app: Harness['app'], headers: Record<string, string> = {}) =>
    app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ email: h.a.email, password: h.a.password }),
    })

  it('is Secure when the public URL is https, though the proxy speaks http to the server', async () => {
    const behindProxy = createApp({
      database: h.database,
      signingSecret: 'test-signing-secret-0123456789abcdef',
      publicUrl: 'https://promo.shop.example',
    })
    const res = await signIn(behindProxy)
    expect(res.status).toBe(200)
    expect(res.headers.get('set-cookie')).toMatch(/;\s*Secure/i)
  })

  it('is Secure when the proxy says the visitor came over https, and not over plain http', async () => {
    const forwarded = await signIn(h.app, { 'x-forwarded-proto': 'https' })
    expect(forwarded.headers.get('set-cookie')).toMatch(/;\s*Secure/i)
    const plain = await signIn(h.app)
    expect(plain.status).toBe(200)
    expect(plain.headers.get('set-cookie')).not.toMatch(/Secure/i)
  })
})

describe('a burst of failed sign-ins', () => {
  const headers = (ip?: string) => ({
    'content-type': 'application/json',
    ...(ip ? { 'x-forwarded-for': ip } : {}),
  })
  const attempt = async (app: Harness['app'], i: number, ip?: string): Promise<Response> =>
    app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: headers(ip),
      body: JSON.stringify({ email: `nobody-${i}@example.com`, password: 'guess' }),
    })

  it('from one address is throttled before hashing, in the shared store, and /healthz answers meanwhile', async () => {
    const database = await testDatabase()
    const kv = testKv()
    const app = createApp({
      database,
      kv,
      signingSecret: 'test-signing-secret-0123456789abcdef',
      clientIpHeader: 'x-forwarded-for',
    })
    const ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`
    try {
      const finished: string[] = []
      const logins = Array.from({ length: 60 }, (_, i) =>
        attempt(app, i, ip).then((res) => {
          finished.push(`login ${res.status}`)
          return res
        }),
      )
      const health = Promise.resolve(app.request('/healthz')).then((res) => {
        finished.push(`healthz ${res.status}`)
        return res
      })
      const answers = await Promise.all(logins)
      expect((await health).status).toBe(200)

      const refused = answers.filter((res) => res.status === 429)
      // At most the address's allowance is hashed (the hashing gate may refuse a few of those as well).
      expect(answers.filter((res) => res.status === 401).length).toBeLessThanOrEqual(loginsPerAddress)
      expect(refused.length).toBeGreaterThanOrEqual(60 - loginsPerAddress)
      expect(refused.length + answers.filter((res) => res.status === 401).length).toBe(60)
      for (const res of refused) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
      // Refusals cost no hash, so they all come back before the last hashed attempt; the health check does too.
      const lastHashed = finished.lastIndexOf('login 401')
      expect(finished.indexOf('healthz 200')).toBeLessThan(lastHashed)
      expect(finished.lastIndexOf('login 429')).toBeLessThan(lastHashed)

      // Another server on the same store (another Workers isolate) refuses the address too.
      const other = createApp({
        database,
        kv,
        signingSecret: 'test-signing-secret-0123456789abcdef',
        clientIpHeader: 'x-forwarded-for',
      })
      expect((await attempt(other, 61, ip)).status).toBe(429)
      expect((await attempt(other, 62, '198.51.100.251')).status).not.toBe(429)
    } finally {
      await Promise.all([database.close(), kv.close()])
    }
  })

  it('from many addresses queues a bounded number of hashes and refuses the rest with 429 and Retry-After', async () => {
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => attempt(h.app, 100 + i)))
    const busy = answers.filter((res) => res.status === 429)
    expect(busy.length + answers.filter((res) => res.status === 401).length).toBe(60)
    // Two hashing and sixteen waiting at most; what came later was refused without a hash.
    expect(busy.length).toBeGreaterThanOrEqual(30)
    for (const res of busy) {
      expect(res.headers.get('retry-after')).toBe('1')
      expect((await readError(res)).code).toBe('rate_limited')
    }
    // The gate empties: a sign-in goes through once the burst is over.
    expect(
      (await client(h.app).post('/api/v1/auth/login', { email: h.a.email, password: h.a.password })).status,
    ).toBe(200)
  })
})
