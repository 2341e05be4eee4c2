import { and, desc, eq, gt, ne } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import { sessions, users } from '../../../schema/db'
import { ApiError } from '../../core/errors'
import { hashPassword, verifyPassword } from '../../services/auth/password'
import type { Services } from '../../services/index'
import type { AppEnv, Principal } from '../env'
import { pathId, readBody } from '../request'

export const passwordBody = z.strictObject({
  currentPassword: z.string().max(1_000),
  newPassword: z.string().min(10, 'at least 10 characters').max(200),
})

function member(principal: Principal) {
  if (principal.kind !== 'user') throw new ApiError('forbidden', 'A secret key has no account: sign in')
  return principal
}

/**
 * `/api/v1/account`: the signed-in member's own sessions (listed, revoked one by one or all but this one) and
 * password (the current one required; a change signs out every other session).
 */
export function accountRoutes(services: Services) {
  const app = new Hono<AppEnv>()
  const db = services.db

  app.get('/sessions', async (c) => {
    const principal = member(c.get('principal'))
    const rows = await db
      .select()
      .from(sessions)
      .where(and(eq(sessions.userId, principal.userId), gt(sessions.expiresAt, new Date(services.now()))))
      .orderBy(desc(sessions.createdAt))
    return c.json({
      data: rows.map((row) => ({
        id: row.id,
        createdAt: row.createdAt.toISOString(),
        lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
        expiresAt: row.expiresAt.toISOString(),
        userAgent: row.userAgent,
        current: row.id === principal.sessionId,
      })),
    })
  })

  app.delete('/sessions/:id', async (c) => {
    const principal = member(c.get('principal'))
    const [gone] = await db
      .delete(sessions)
      .where(and(eq(sessions.id, pathId(c)), eq(sessions.userId, principal.userId)))
      .returning({ id: sessions.id })
    if (!gone) throw new ApiError('not_found', 'Session not found')
    return c.body(null, 204)
  })

  app.post('/sessions/revoke-others', async (c) => {
    const principal = member(c.get('principal'))
    const gone = await db
      .delete(sessions)
      .where(and(eq(sessions.userId, principal.userId), ne(sessions.id, principal.sessionId)))
      .returning({ id: sessions.id })
    return c.json({ revoked: gone.length })
  })

  app.post('/password', async (c) => {
    const principal = member(c.get('principal'))
    const body = await readBody(c, passwordBody)
    const [row] = await db.select().from(users).where(eq(users.id, principal.userId))
    if (!row || !(await verifyPassword(body.currentPassword, row.passwordHash))) {
      throw new ApiError('validation_failed', 'currentPassword: not your current password', [
        { path: 'currentPassword', message: 'wrong password' },
      ])
    }
    const passwordHash = await hashPassword(body.newPassword)
    await db.transaction(async (tx) => {
      await tx.update(users).set({ passwordHash }).where(eq(users.id, row.id))
      await tx.delete(sessions).where(and(eq(sessions.userId, row.id), ne(sessions.id, principal.sessionId)))
    })
    return c.body(null, 204)
  })

  return app
}
