import { eq } from 'drizzle-orm'
import { type Context, Hono } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { z } from 'zod'
import { organizations, sessions, users } from '../../../schema/db'
import { ApiError } from '../../core/errors'
import { HashGate } from '../../services/auth/hash-gate'
import { randomToken, sha256Hex } from '../../services/auth/keys'
import { decoyHash, verifyPassword } from '../../services/auth/password'
import { LoginThrottle } from '../../services/auth/throttle'
import type { Services } from '../../services/index'
import { requireAdmin, sessionCookie } from '../auth/admin'
import { clientIp } from '../client-ip'
import type { AppEnv } from '../env'
import { readBody } from '../request'

const sessionDays = 7
/** Sign-ins, right or wrong, one address may try per window, counted before any hashing. */
export const loginsPerAddress = 20
const addressWindowMs = 15 * 60_000

const tooMany = (message: string, seconds: number) =>
  new ApiError('rate_limited', message, { retryAfter: seconds }, { 'Retry-After': String(seconds) })

export const loginBody = z.strictObject({
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

/** Opens a session for `userId`: stores its token's hash, sets the cookie, and answers its CSRF token. */
export async function startSession(c: Context, services: Services, userId: string): Promise<string> {
  const token = randomToken(40)
  const csrfToken = randomToken(32)
  const expiresAt = new Date(services.now() + sessionDays * 86_400_000)
  const userAgent = c.req.header('user-agent')?.slice(0, 300) ?? null
  await services.db.insert(sessions).values({
    tokenHash: await sha256Hex(token),
    userId,
    csrfToken,
    expiresAt,
    userAgent,
    lastSeenAt: new Date(services.now()),
  })
  setCookie(c, sessionCookie, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: secureCookie(c, services.publicUrl),
    path: '/',
    maxAge: sessionDays * 86_400,
  })
  return csrfToken
}

export function authRoutes(services: Services) {
  const app = new Hono<AppEnv>()

  async function describe(userId: string, csrfToken: string) {
    const [row] = await services.db
      .select({
        id: users.id,
        email: users.email,
        name: users.name,
        role: users.role,
        orgId: organizations.id,
        orgName: organizations.name,
      })
      .from(users)
      .innerJoin(organizations, eq(organizations.id, users.organizationId))
      .where(eq(users.id, userId))
    if (!row) throw new ApiError('unauthorized', 'Session expired')
    return {
      user: { id: row.id, email: row.email, name: row.name, role: row.role },
      organization: { id: row.orgId, name: row.orgName },
      csrfToken,
    }
  }

  const throttle = new LoginThrottle(services.now)
  const hashing = new HashGate()

  /**
   * Counts an attempt from `ip` in the shared store, so the limit holds across servers and Workers isolates:
   * 0 when it may go ahead, else the milliseconds to wait. Counted before the attempt's outcome is known, as
   * concurrent attempts would all pass a check of failures still being hashed. A store that is down lets the
   * attempt through to the per-email throttle and the hashing gate.
   */
  async function addressWait(ip: string) {
    try {
      return await services.kv.hit('auth', `login:${ip}`, loginsPerAddress, addressWindowMs, services.now())
    } catch (error) {
      services.log.error('login rate limit unavailable', { error: String(error) })
      return 0
    }
  }

  app.post('/login', async (c) => {
    const { email, password } = await readBody(c, loginBody)
    const ip = clientIp(c, services.deps.clientIpHeader)
    const addressMs = ip ? await addressWait(ip) : 0
    if (addressMs > 0) {
      throw tooMany('Too many sign-ins from this address; try again later', Math.ceil(addressMs / 1000))
    }
    const wait = throttle.retryAfter(email)
    if (wait > 0) throw tooMany('Too many failed sign-ins; try again later', wait)
    const [user] = await services.db.select().from(users).where(eq(users.email, email)).limit(1)
    // An unknown email is hashed against the decoy, in the same gate, so both cost the same and queue alike.
    const valid = await hashing.run(() => verifyPassword(password, user?.passwordHash ?? decoyHash))
    if (valid === undefined) throw tooMany('The server is busy with sign-ins; try again shortly', 1)
    if (!user || !valid) {
      throttle.fail(email)
      throw new ApiError('unauthorized', 'Wrong email or password')
    }
    throttle.succeed(email)
    const csrfToken = await startSession(c, services, user.id)
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
