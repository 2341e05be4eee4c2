import { and, eq, gt, isNull } from 'drizzle-orm'
import type { Context, MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { secretKeys, sessions, sites, users } from '../../../schema/db'
import { ApiError } from '../../core/errors'
import { type Actor, capabilityFor, may, refusal } from '../../core/roles'
import { isSecretKey, safeEqual, sha256Hex } from '../../services/auth/keys'
import type { Services } from '../../services/index'
import type { AppEnv, Principal } from '../env'
import { auditWrite } from './audit'

export const sessionCookie = 'promo_session'
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

async function keyPrincipal(services: Services, key: string): Promise<Principal | null> {
  if (!isSecretKey(key)) return null
  const [row] = await services.db
    .select({ siteId: secretKeys.siteId, prefix: secretKeys.prefix, organizationId: sites.organizationId })
    .from(secretKeys)
    .innerJoin(sites, eq(sites.id, secretKeys.siteId))
    .where(and(eq(secretKeys.hash, await sha256Hex(key)), isNull(secretKeys.revokedAt)))
    .limit(1)
  if (!row) return null
  return {
    kind: 'key',
    organizationId: row.organizationId,
    siteIds: [row.siteId],
    actor: `key:${row.prefix}`,
  }
}

/** How stale a session's last-seen time may get before a request refreshes it (one write per few minutes). */
const lastSeenStepMs = 5 * 60_000

export async function sessionPrincipal(services: Services, token: string): Promise<Principal | null> {
  if (token.length > 128) return null
  const [row] = await services.db
    .select({
      userId: users.id,
      organizationId: users.organizationId,
      role: users.role,
      email: users.email,
      csrfToken: sessions.csrfToken,
      sessionId: sessions.id,
      lastSeenAt: sessions.lastSeenAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(eq(sessions.tokenHash, await sha256Hex(token)), gt(sessions.expiresAt, new Date(services.now()))),
    )
    .limit(1)
  if (!row) return null
  const now = services.now()
  if (!row.lastSeenAt || now - row.lastSeenAt.getTime() > lastSeenStepMs) {
    await services.db
      .update(sessions)
      .set({ lastSeenAt: new Date(now) })
      .where(eq(sessions.id, row.sessionId))
  }
  const orgSites = await services.db
    .select({ id: sites.id })
    .from(sites)
    .where(eq(sites.organizationId, row.organizationId))
  return {
    kind: 'user',
    organizationId: row.organizationId,
    siteIds: orgSites.map((s) => s.id),
    actor: `user:${row.userId}`,
    userId: row.userId,
    csrfToken: row.csrfToken,
    role: row.role,
    email: row.email,
    sessionId: row.sessionId,
  }
}

/** Who a principal acts as in the role table: its member's role, or `key`. */
export const actorOf = (principal: Principal): Actor => (principal.kind === 'user' ? principal.role : 'key')

const isRead = (method: string) => safeMethods.has(method.toUpperCase())

/** The path after /api/v1, as the role table's rules read it. */
const apiPath = (path: string) => path.replace(/^\/api\/v1(?=\/)/, '')

/**
 * Admin routes: `Authorization: Bearer sk_…` (scoped to its site) or the session cookie (scoped to the user's
 * organization). Cookie-authenticated writes must echo the session's CSRF token in `X-CSRF-Token`. Then the
 * role table (api/core/roles.ts) decides whether this principal may, and every write that went through is
 * written to the audit log.
 */
export function requireAdmin(services: Services): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // An area's guard is mounted at `/area` and `/area/*`, and Hono matches both for `/area` itself: check once.
    if (c.get('principal')) return next()
    const principal = await adminPrincipal(c, services)
    c.set('principal', principal)
    const capability = capabilityFor(c.req.method, apiPath(c.req.path))
    const actor = actorOf(principal)
    if (!may(actor, capability)) throw new ApiError('forbidden', refusal(actor, capability))
    if (isRead(c.req.method)) return next()
    await auditWrite(services, c, principal, apiPath(c.req.path), next)
  }
}

/** The admin behind a request, by secret key or session cookie (with CSRF on writes), or a 401/403 error. */
export async function adminPrincipal(c: Context, services: Services): Promise<Principal> {
  const authorization = c.req.header('authorization')
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization)
    const principal = match?.[1] ? await keyPrincipal(services, match[1]) : null
    if (!principal) throw new ApiError('unauthorized', 'Invalid secret key')
    return principal
  }
  const token = getCookie(c, sessionCookie)
  const principal = token ? await sessionPrincipal(services, token) : null
  if (!principal) throw new ApiError('unauthorized', 'Sign in or send Authorization: Bearer sk_…')
  if (!safeMethods.has(c.req.method) && !csrfOk(c, principal)) {
    throw new ApiError('csrf_failed', 'Missing or wrong X-CSRF-Token header')
  }
  return principal
}

function csrfOk(c: Context, principal: Principal): boolean {
  if (principal.kind !== 'user') return true
  const sent = c.req.header('x-csrf-token') ?? ''
  return sent.length > 0 && safeEqual(sent, principal.csrfToken)
}

/** The sites a list reads: the requested one if the organization owns it (else 404), or all of the principal's. */
export const sitesInScope = (principal: Principal, requested: string | undefined): string[] =>
  requested ? [siteInScope(principal, requested)] : principal.siteIds

/** The one site a request acts on: the key's site, or the requested one if the user's organization owns it. */
export function siteInScope(principal: Principal, requested: string | undefined): string {
  if (requested) {
    if (!principal.siteIds.includes(requested)) throw new ApiError('not_found', 'Site not found')
    return requested
  }
  if (principal.siteIds.length === 1) return principal.siteIds[0]!
  throw new ApiError('validation_failed', 'siteId is required: this organization has several sites', [
    { path: 'siteId', message: 'required' },
  ])
}
