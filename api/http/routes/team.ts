import { and, asc, eq, gt, isNull } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import { invitations, organizations, users } from '../../../schema/db'
import { limits } from '../../../schema/limits'
import { type Role, roles } from '../../../schema/roles'
import { ApiError } from '../../core/errors'
import { mayAssign } from '../../core/roles'
import type { Db } from '../../ports/database'
import { randomToken, sha256Hex } from '../../services/auth/keys'
import { hashPassword } from '../../services/auth/password'
import { defaultMailFrom, sendMail } from '../../services/followup/mail'
import type { Services } from '../../services/index'
import { actorOf } from '../auth/admin'
import type { AppEnv, Principal } from '../env'
import { pathId, readBody } from '../request'
import { startSession } from './auth'

/** How long an invitation link works. */
export const invitationDays = 7

const email = z.string().trim().toLowerCase().max(254).pipe(z.email())
export const inviteBody = z.strictObject({ email, role: z.enum(roles) })
export const roleBody = z.strictObject({ role: z.enum(roles) })
const token = z.string().min(1).max(128)
export const previewBody = z.strictObject({ token })
export const acceptBody = z.strictObject({
  token,
  name: z.string().trim().min(1).max(limits.name),
  password: z.string().min(10, 'at least 10 characters').max(200),
})

type UserRow = typeof users.$inferSelect
type InvitationRow = typeof invitations.$inferSelect

const memberJson = (row: UserRow) => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  createdAt: row.createdAt.toISOString(),
})

const invitationJson = (row: InvitationRow) => ({
  id: row.id,
  email: row.email,
  role: row.role,
  expiresAt: row.expiresAt.toISOString(),
  createdAt: row.createdAt.toISOString(),
})

function signedIn(principal: Principal) {
  // The role table already refuses team writes to a key; reads of the team are a member's too.
  if (principal.kind !== 'user') throw new ApiError('forbidden', 'The team is for signed-in members')
  return principal
}

function cannotAssign(role: Role) {
  return new ApiError('forbidden', `Your role cannot give or take away the ${role} role`, [
    { path: 'role', message: 'not yours to assign' },
  ])
}

async function ownerCount(db: Db, organizationId: string) {
  const owners = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.organizationId, organizationId), eq(users.role, 'owner')))
  return owners.length
}

/**
 * `/api/v1/team`: the organization's members and pending invitations. Reads for every member; inviting,
 * changing roles and removing need the `team` capability (api/core/roles.ts), and an owner is only ever
 * changed or removed by an owner, never leaving the organization without one.
 */
export function teamRoutes(services: Services) {
  const app = new Hono<AppEnv>()
  const db = services.db

  async function memberOf(principal: Principal, id: string): Promise<UserRow> {
    const [row] = await db
      .select()
      .from(users)
      .where(and(eq(users.id, id), eq(users.organizationId, principal.organizationId)))
    if (!row) throw new ApiError('not_found', 'Member not found')
    return row
  }

  app.get('/', async (c) => {
    const principal = signedIn(c.get('principal'))
    const [members, pending] = await Promise.all([
      db
        .select()
        .from(users)
        .where(eq(users.organizationId, principal.organizationId))
        .orderBy(asc(users.createdAt)),
      db
        .select()
        .from(invitations)
        .where(
          and(
            eq(invitations.organizationId, principal.organizationId),
            isNull(invitations.acceptedAt),
            gt(invitations.expiresAt, new Date(services.now())),
          ),
        )
        .orderBy(asc(invitations.createdAt)),
    ])
    return c.json({ members: members.map(memberJson), invitations: pending.map(invitationJson) })
  })

  app.post('/invitations', async (c) => {
    const principal = signedIn(c.get('principal'))
    const body = await readBody(c, inviteBody)
    if (!mayAssign(actorOf(principal), body.role)) throw cannotAssign(body.role)
    const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, body.email))
    if (existing) {
      throw new ApiError('conflict', 'This email already has an account', [
        { path: 'email', message: 'already a member' },
      ])
    }
    const raw = randomToken(40)
    const [org] = await db
      .select({ name: organizations.name })
      .from(organizations)
      .where(eq(organizations.id, principal.organizationId))
    const row = await db.transaction(async (tx) => {
      // A new invitation to the same address replaces the pending one: one working link per person.
      await tx
        .delete(invitations)
        .where(
          and(
            eq(invitations.organizationId, principal.organizationId),
            eq(invitations.email, body.email),
            isNull(invitations.acceptedAt),
          ),
        )
      const [created] = await tx
        .insert(invitations)
        .values({
          organizationId: principal.organizationId,
          email: body.email,
          role: body.role,
          tokenHash: await sha256Hex(raw),
          invitedBy: principal.userId,
          expiresAt: new Date(services.now() + invitationDays * 86_400_000),
        })
        .returning()
      return created!
    })
    const acceptUrl = `${services.publicUrl.replace(/\/$/, '')}/admin/accept?token=${raw}`
    const mail = await sendMail(
      db,
      services.deps.mailer,
      {
        siteId: null,
        organizationId: principal.organizationId,
        to: body.email,
        subject: `You are invited to ${org?.name ?? 'Promo'}`.slice(0, 200),
        text:
          `${principal.email} invited you to join ${org?.name ?? 'their organization'} on Promo as ${body.role}.\n\n` +
          `Choose your password here (the link works for ${invitationDays} days, once):\n${acceptUrl}\n`,
      },
      { now: services.now(), log: services.log, from: services.deps.mailFrom ?? defaultMailFrom },
    )
    return c.json({ ...invitationJson(row), acceptUrl, mail }, 201)
  })

  app.delete('/invitations/:id', async (c) => {
    const principal = signedIn(c.get('principal'))
    const [gone] = await db
      .delete(invitations)
      .where(
        and(
          eq(invitations.id, pathId(c)),
          eq(invitations.organizationId, principal.organizationId),
          isNull(invitations.acceptedAt),
        ),
      )
      .returning({ id: invitations.id })
    if (!gone) throw new ApiError('not_found', 'Invitation not found')
    return c.body(null, 204)
  })

  app.patch('/members/:id', async (c) => {
    const principal = signedIn(c.get('principal'))
    const target = await memberOf(principal, pathId(c))
    const { role } = await readBody(c, roleBody)
    const actor = actorOf(principal)
    if (!mayAssign(actor, target.role)) throw cannotAssign(target.role)
    if (!mayAssign(actor, role)) throw cannotAssign(role)
    if (target.role === 'owner' && role !== 'owner' && (await ownerCount(db, principal.organizationId)) < 2) {
      throw new ApiError('conflict', 'The organization needs an owner: make someone else owner first', [
        { path: 'role', message: 'last owner' },
      ])
    }
    const [updated] = await db.update(users).set({ role }).where(eq(users.id, target.id)).returning()
    return c.json(memberJson(updated!))
  })

  app.delete('/members/:id', async (c) => {
    const principal = signedIn(c.get('principal'))
    const target = await memberOf(principal, pathId(c))
    if (!mayAssign(actorOf(principal), target.role)) throw cannotAssign(target.role)
    if (target.role === 'owner' && (await ownerCount(db, principal.organizationId)) < 2) {
      throw new ApiError('conflict', 'The last owner cannot be removed: make someone else owner first')
    }
    // Their sessions go with them (cascade); what they made stays, and the audit log keeps their email.
    await db
      .delete(users)
      .where(and(eq(users.id, target.id), eq(users.organizationId, principal.organizationId)))
    return c.body(null, 204)
  })

  return app
}

/**
 * The invitee's side, under /api/v1/auth (no session yet): read what an invitation is for, then accept it with a
 * name and password, which creates the member and signs them in. The token works once and until it expires.
 */
export function invitationRoutes(services: Services) {
  const app = new Hono<AppEnv>()
  const db = services.db

  async function pending(raw: string): Promise<InvitationRow> {
    const [row] = await db
      .select()
      .from(invitations)
      .where(and(eq(invitations.tokenHash, await sha256Hex(raw)), isNull(invitations.acceptedAt)))
    if (!row) throw new ApiError('invalid_token', 'This invitation is unknown or was already used')
    if (row.expiresAt.getTime() <= services.now()) {
      throw new ApiError('link_expired', 'This invitation has expired: ask for a new one')
    }
    return row
  }

  app.post('/invitation', async (c) => {
    const row = await pending((await readBody(c, previewBody)).token)
    const [org] = await db
      .select({ name: organizations.name })
      .from(organizations)
      .where(eq(organizations.id, row.organizationId))
    return c.json({ email: row.email, role: row.role, organization: org?.name ?? '' })
  })

  app.post('/accept', async (c) => {
    const body = await readBody(c, acceptBody)
    const row = await pending(body.token)
    const passwordHash = await hashPassword(body.password)
    const userId = await db.transaction(async (tx) => {
      // Claimed atomically: of two concurrent accepts, one finds the invitation already used.
      const [claimed] = await tx
        .update(invitations)
        .set({ acceptedAt: new Date(services.now()) })
        .where(and(eq(invitations.id, row.id), isNull(invitations.acceptedAt)))
        .returning({ id: invitations.id })
      if (!claimed) throw new ApiError('invalid_token', 'This invitation was already used')
      const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, row.email))
      if (taken) {
        throw new ApiError('conflict', 'This email already has an account: sign in instead', [
          { path: 'token', message: 'email already registered' },
        ])
      }
      const [user] = await tx
        .insert(users)
        .values({
          organizationId: row.organizationId,
          email: row.email,
          name: body.name,
          passwordHash,
          role: row.role,
        })
        .returning({ id: users.id })
      return user!.id
    })
    const csrfToken = await startSession(c, services, userId)
    const [org] = await db
      .select({ id: organizations.id, name: organizations.name })
      .from(organizations)
      .where(eq(organizations.id, row.organizationId))
    return c.json(
      {
        user: { id: userId, email: row.email, name: body.name, role: row.role },
        organization: { id: org!.id, name: org!.name },
        csrfToken,
      },
      201,
    )
  })

  return app
}
