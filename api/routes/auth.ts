import { eq } from 'drizzle-orm'
import { type Context, Hono } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { z } from 'zod'
import { organizations, sessions, users } from '../../schema/db'
import { requireAdmin, sessionCookie } from '../auth/admin'
import { randomToken, sha256Hex } from '../auth/keys'
import { decoyHash, verifyPassword } from '../auth/password'
import { LoginThrottle } from '../auth/throttle'
import type { AppEnv } from '../env'
import { ApiError } from '../errors'
import { readBody } from '../request'
import type { Services } from '../services'

const sessionDays = 7

const loginBody = z.strictObject({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().max(1_000),
})

/**
 * Whether the session cookie is Secure: when the public URL is https (a TLS-terminating proxy in front speaks
 * plain http to the server), when the request itself came over https, or when a proxy says the visitor did
 * (`X-Forwarded-Proto: https`). That header is taken from anyone because it can only add Secure: a forged one
 * makes the sender's own cookie stricter, never a visitor's weaker.
 */
function secureCookie(c: Context, publicUrl: string): boolean {
  if (publicUrl.startsWith('https:') || new URL(c.req.url).protocol === 'https:') return true
  const forwarded = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase()
  return forwarded === 'https'
}

export function authRoutes(services: Services) {
  const app = new Hono<AppEnv>()

  async function describe(userId: string, csrfToken: string) {
    const [row] = await services.db
      .select({
        id: users.id,
        email: users.email,
        name: users.name,
        orgId: organizations.id,
        orgName: organizations.name,
      })
      .from(users)
      .innerJoin(organizations, eq(organizations.id, users.organizationId))
      .where(eq(users.id, userId))
    if (!row) throw new ApiError('unauthorized', 'Session expired')
    return {
      user: { id: row.id, email: row.email, name: row.name },
      organization: { id: row.orgId, name: row.orgName },
      csrfToken,
    }
  }

  const throttle = new LoginThrottle(services.now)

  app.post('/login', async (c) => {
    const { email, password } = await readBody(c, loginBody)
    const wait = throttle.retryAfter(email)
    if (wait > 0) {
      throw new ApiError(
        'rate_limited',
        'Too many failed sign-ins; try again later',
        { retryAfter: wait },
        {
          'Retry-After': String(wait),
        },
      )
    }
    const [user] = await services.db.select().from(users).where(eq(users.email, email)).limit(1)
    const valid = await verifyPassword(password, user?.passwordHash ?? decoyHash)
    if (!user || !valid) {
      throttle.fail(email)
      throw new ApiError('unauthorized', 'Wrong email or password')
    }
    throttle.succeed(email)
    const token = randomToken(40)
    const csrfToken = randomToken(32)
    const expiresAt = new Date(services.now() + sessionDays * 86_400_000)
    await services.db
      .insert(sessions)
      .values({ tokenHash: await sha256Hex(token), userId: user.id, csrfToken, expiresAt })
    setCookie(c, sessionCookie, token, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: secureCookie(c, services.publicUrl),
      path: '/',
      maxAge: sessionDays * 86_400,
    })
    return c.json(await describe(user.id, csrfToken))
  })

  app.post('/logout', async (c) => {
    const token = getCookie(c, sessionCookie)
    if (token && token.length <= 128) {
      await services.db.delete(sessions).where(eq(sessions.tokenHash, await sha256Hex(token)))
    }
    deleteCookie(c, sessionCookie, { path: '/', secure: secureCookie(c, services.publicUrl) })
    return c.body(null, 204)
  })

  app.get('/me', requireAdmin(services), async (c) => {
    const principal = c.get('principal')
    if (principal.kind !== 'user')
      throw new ApiError('forbidden', 'A secret key has no user: use an admin session')
    return c.json(await describe(principal.userId, principal.csrfToken))
  })

  return app
}
