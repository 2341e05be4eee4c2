import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as api from '../../../schema/api'
import { campaignType } from '../../../schema/campaign'
import { users } from '../../../schema/db'
import type { Role } from '../../../schema/roles'
import { capabilityFor } from '../../core/roles'
import { hashPassword } from '../../services/auth/password'
import {
  awarenessCampaign,
  client,
  createHarness,
  type Harness,
  login,
  readError,
  readJson,
  type Tenant,
} from '../../testing/harness'
import { openApiPath } from '../contract/coverage'

let h: Harness
let memberHash: Promise<string>
const memberPassword = 'member password 12345'

beforeAll(async () => {
  h = await createHarness()
  memberHash = hashPassword(memberPassword)
})
afterAll(() => h.close())

let serial = 0
/** A member of `tenant`'s organization with `role`, signed in. */
async function member(tenant: Tenant, role: Role) {
  const email = `${role}-${++serial}-${tenant.organizationId.slice(0, 6)}@example.com`
  const [row] = await h.database.db
    .insert(users)
    .values({
      organizationId: tenant.organizationId,
      email,
      name: `${role} ${serial}`,
      passwordHash: await memberHash,
      role,
    })
    .returning()
  const session = await login(h.app, { ...tenant, email, password: memberPassword })
  return { id: row!.id, email, session, http: client(h.app, session) }
}

const owner = async (tenant: Tenant) => client(h.app, await login(h.app, tenant))

/** Every admin write the app serves, from its own route table, classified by the OpenAPI document. */
async function adminWrites() {
  const doc = (await (await client(h.app).get('/api/v1/openapi.json')).json()) as {
    paths: Record<string, Record<string, { security?: Record<string, unknown>[] }>>
  }
  const seen = new Set<string>()
  const writes: { method: string; path: string }[] = []
  for (const route of h.app.routes) {
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method)) continue
    const path = openApiPath(route.path)
    const op = doc.paths[path]?.[route.method.toLowerCase()]
    if (!op?.security?.some((s) => 'session' in s)) continue
    const key = `${route.method} ${path}`
    if (seen.has(key)) continue
    seen.add(key)
    writes.push({ method: route.method, path: route.path })
  }
  return writes
}

/** A concrete URL for a Hono path: ids are fresh UUIDs, a type the first the schema knows. */
const concrete = (path: string) =>
  path.replace(/:([A-Za-z_][A-Za-z0-9_]*)(\{[^}]*\})?/g, (_, name: string) => {
    if (name === 'type') return campaignType.options[0]!
    if (name === 'action') return 'activate'
    if (name === 'id' && path.startsWith('/api/v1/sites')) return h.a.siteId
    return crypto.randomUUID()
  })

describe('roles on every admin route', () => {
  it('answers 403 forbidden to a viewer on every admin write the app serves', async () => {
    const viewer = await member(h.a, 'viewer')
    const writes = await adminWrites()
    // The app's own table, not a list kept here: a new admin write is driven too.
    expect(writes.length).toBeGreaterThan(30)
    const own = writes.filter((w) => capabilityFor(w.method, w.path.replace('/api/v1', '')) === 'self')
    expect(own.map((w) => `${w.method} ${w.path}`).sort()).toEqual([
      'DELETE /api/v1/account/sessions/:id',
      'POST /api/v1/account/password',
      'POST /api/v1/account/sessions/revoke-others',
    ])
    const answers: string[] = []
    for (const write of writes) {
      if (own.includes(write)) continue
      const res = await viewer.http.send(write.method, concrete(write.path), {})
      const error = res.status === 403 ? await readError(res) : undefined
      if (error?.code !== 'forbidden') answers.push(`${write.method} ${write.path}: ${res.status}`)
      // The checkout's routes (promo-code redeem and release) take only the site's secret key, whoever signs in.
      else expect(error.message).toMatch(/viewer|secret key/)
    }
    expect(answers).toEqual([])
  })

  it('lets a viewer read', async () => {
    const viewer = await member(h.a, 'viewer')
    for (const path of [
      '/api/v1/campaigns',
      '/api/v1/sites',
      '/api/v1/team',
      '/api/v1/audit',
      '/api/v1/outbox',
    ]) {
      expect((await viewer.http.get(path)).status, path).toBe(200)
    }
  })

  it('keeps an editor from keys, sites and the team, not from campaigns', async () => {
    const editor = await member(h.a, 'editor')
    const refused = [
      editor.http.post(`/api/v1/sites/${h.a.siteId}/secret-keys`),
      editor.http.post(`/api/v1/sites/${h.a.siteId}/publishable-key/rotate`),
      editor.http.post('/api/v1/sites', { name: 'New' }),
      editor.http.patch(`/api/v1/sites/${h.a.siteId}`, { allowedOrigins: [] }),
      editor.http.post('/api/v1/team/invitations', { email: 'new@example.com', role: 'viewer' }),
      editor.http.patch(`/api/v1/team/members/${editor.id}`, { role: 'admin' }),
    ]
    for (const res of await Promise.all(refused)) {
      expect(res.status).toBe(403)
      expect((await readError(res)).message).toMatch(/editor/)
    }
    expect((await editor.http.post('/api/v1/campaigns', awarenessCampaign())).status).toBe(201)
  })

  it('lets an admin manage keys and the team but never an owner', async () => {
    const admin = await member(h.a, 'admin')
    const [ownerRow] = await h.database.db.select().from(users)
    expect((await admin.http.post(`/api/v1/sites/${h.a.siteId}/secret-keys`)).status).toBe(201)
    const invite = await admin.http.post('/api/v1/team/invitations', {
      email: 'ed@example.com',
      role: 'editor',
    })
    expect(invite.status).toBe(201)
    const asOwner = await admin.http.post('/api/v1/team/invitations', {
      email: 'o@example.com',
      role: 'owner',
    })
    expect(asOwner.status).toBe(403)
    expect((await readError(asOwner)).paths).toEqual(['role'])
    const ownerId = (await h.database.db.select().from(users)).find((u) => u.email === h.a.email)!.id
    expect(ownerRow).toBeDefined()
    expect((await admin.http.patch(`/api/v1/team/members/${ownerId}`, { role: 'viewer' })).status).toBe(403)
    expect((await admin.http.delete(`/api/v1/team/members/${ownerId}`)).status).toBe(403)
  })

  it('keeps the last owner', async () => {
    const http = await owner(h.b)
    const me = (await readJson(await http.get('/api/v1/auth/me'), api.session)).user
    expect(me.role).toBe('owner')
    const demote = await http.patch(`/api/v1/team/members/${me.id}`, { role: 'admin' })
    expect(demote.status).toBe(409)
    expect((await http.delete(`/api/v1/team/members/${me.id}`)).status).toBe(409)
  })

  it('refuses the team and account routes to a secret key', async () => {
    const key = client(h.app, { secretKey: h.a.secretKey })
    expect(
      (await key.post('/api/v1/team/invitations', { email: 'k@example.com', role: 'viewer' })).status,
    ).toBe(403)
    expect((await key.post('/api/v1/account/password', {})).status).toBe(403)
    expect((await key.get('/api/v1/account/sessions')).status).toBe(403)
  })
})

describe('team', () => {
  it('invites by email through the outbox; the link accepts once and signs the new member in', async () => {
    const http = await owner(h.a)
    const created = await readJson(
      await http.post('/api/v1/team/invitations', { email: ' New.Person@Example.com ', role: 'editor' }),
      api.createdInvitation,
    )
    expect(created.email).toBe('new.person@example.com')
    expect(created.mail.status).toBe('outbox')
    const token = new URL(created.acceptUrl).searchParams.get('token')!
    expect(new URL(created.acceptUrl).pathname).toBe('/admin/accept')

    // The mail waits in the outbox for whoever manages the team; a viewer does not see it (the link lets anyone in).
    const outbox = await readJson(await http.get('/api/v1/outbox'), api.pageOf(api.mail))
    const mail = outbox.data.find((m) => m.to === 'new.person@example.com')!
    expect(mail.siteId).toBeNull()
    expect(mail.text).toContain(created.acceptUrl)
    const viewer = await member(h.a, 'viewer')
    const viewed = await readJson(await viewer.http.get('/api/v1/outbox'), api.pageOf(api.mail))
    expect(viewed.data.some((m) => m.to === 'new.person@example.com')).toBe(false)

    const team = await readJson(await http.get('/api/v1/team'), api.teamAnswer)
    expect(team.invitations.map((i) => i.email)).toContain('new.person@example.com')

    const anyone = client(h.app)
    const preview = await readJson(
      await anyone.post('/api/v1/auth/invitation', { token }),
      api.invitationPreview,
    )
    expect(preview).toEqual({ email: 'new.person@example.com', role: 'editor', organization: 'Org a' })
    const short = await anyone.post('/api/v1/auth/accept', { token, name: 'New', password: 'short' })
    expect((await readError(short)).paths).toEqual(['password'])
    const accepted = await anyone.post('/api/v1/auth/accept', {
      token,
      name: 'New',
      password: 'a good long password',
    })
    expect(accepted.status).toBe(201)
    const session = await readJson(accepted, api.session)
    expect(session.user).toMatchObject({ email: 'new.person@example.com', role: 'editor' })
    const cookie = (accepted.headers.get('set-cookie') ?? '').split(';')[0]!
    const me = await client(h.app, { cookie }).get('/api/v1/auth/me')
    expect((await readJson(me, api.session)).organization.id).toBe(h.a.organizationId)

    const again = await anyone.post('/api/v1/auth/accept', {
      token,
      name: 'Twice',
      password: 'a good long password',
    })
    expect((await readError(again)).code).toBe('invalid_token')
    const members = await readJson(await http.get('/api/v1/team'), api.teamAnswer)
    expect(members.members.find((m) => m.email === 'new.person@example.com')?.role).toBe('editor')
    expect(members.invitations.some((i) => i.email === 'new.person@example.com')).toBe(false)
  })

  it('lets an invitation expire and be withdrawn, and refuses an address that has an account', async () => {
    const http = await owner(h.a)
    const taken = await http.post('/api/v1/team/invitations', { email: h.b.email, role: 'viewer' })
    expect(taken.status).toBe(409)
    expect((await readError(taken)).paths).toEqual(['email'])
    const bad = await http.post('/api/v1/team/invitations', { email: 'not an email', role: 'boss' })
    expect((await readError(bad)).paths.sort()).toEqual(['email', 'role'])

    const one = await readJson(
      await http.post('/api/v1/team/invitations', { email: 'late@example.com', role: 'viewer' }),
      api.createdInvitation,
    )
    const token = new URL(one.acceptUrl).searchParams.get('token')!
    h.now.value += 8 * 86_400_000
    const expired = await client(h.app).post('/api/v1/auth/invitation', { token })
    expect(expired.status).toBe(410)
    h.now.value -= 8 * 86_400_000

    expect((await http.delete(`/api/v1/team/invitations/${one.id}`)).status).toBe(204)
    expect((await client(h.app).post('/api/v1/auth/invitation', { token })).status).toBe(404)
  })

  it('changes roles and removes members, within the organization only', async () => {
    const http = await owner(h.a)
    const someone = await member(h.a, 'editor')
    const changed = await readJson(
      await http.patch(`/api/v1/team/members/${someone.id}`, { role: 'viewer' }),
      api.member,
    )
    expect(changed.role).toBe('viewer')
    // The new role holds at once, for the session already open.
    expect((await someone.http.post('/api/v1/campaigns', awarenessCampaign())).status).toBe(403)

    const other = await owner(h.b)
    expect((await other.patch(`/api/v1/team/members/${someone.id}`, { role: 'admin' })).status).toBe(404)
    expect((await other.delete(`/api/v1/team/members/${someone.id}`)).status).toBe(404)
    const bTeam = await readJson(await other.get('/api/v1/team'), api.teamAnswer)
    expect(bTeam.members.some((m) => m.id === someone.id)).toBe(false)
    const invite = await readJson(
      await http.post('/api/v1/team/invitations', { email: 'iso@example.com', role: 'viewer' }),
      api.createdInvitation,
    )
    expect((await other.delete(`/api/v1/team/invitations/${invite.id}`)).status).toBe(404)
    expect(bTeam.invitations.some((i) => i.id === invite.id)).toBe(false)

    expect((await http.delete(`/api/v1/team/members/${someone.id}`)).status).toBe(204)
    expect((await someone.http.get('/api/v1/auth/me')).status).toBe(401)
  })
})

describe('account', () => {
  it('lists my sessions with this one marked, and revokes one or all others', async () => {
    const me = await member(h.a, 'viewer')
    const second = client(h.app, await login(h.app, { ...h.a, email: me.email, password: memberPassword }))
    const third = client(h.app, await login(h.app, { ...h.a, email: me.email, password: memberPassword }))
    const list = await readJson(await me.http.get('/api/v1/account/sessions'), api.accountSessions)
    expect(list.data).toHaveLength(3)
    expect(list.data.filter((s) => s.current)).toHaveLength(1)
    const current = list.data.find((s) => s.current)!
    expect(current.lastSeenAt).not.toBeNull()
    const others = list.data.filter((s) => !s.current)

    // Another member's session cannot be named.
    const stranger = await member(h.b, 'owner')
    expect((await stranger.http.delete(`/api/v1/account/sessions/${others[0]!.id}`)).status).toBe(404)

    expect((await me.http.delete(`/api/v1/account/sessions/${others[0]!.id}`)).status).toBe(204)
    const left = [await second.get('/api/v1/auth/me'), await third.get('/api/v1/auth/me')].map(
      (r) => r.status,
    )
    expect(left.sort()).toEqual([200, 401])
    const revoked = await readJson(
      await me.http.post('/api/v1/account/sessions/revoke-others'),
      api.revokedSessions,
    )
    expect(revoked.revoked).toBe(1)
    expect((await second.get('/api/v1/auth/me')).status).toBe(401)
    expect((await third.get('/api/v1/auth/me')).status).toBe(401)
    expect((await me.http.get('/api/v1/auth/me')).status).toBe(200)
  })

  it('changes my password with the current one, signing out my other sessions', async () => {
    const me = await member(h.a, 'editor')
    const other = client(h.app, await login(h.app, { ...h.a, email: me.email, password: memberPassword }))
    const wrong = await me.http.post('/api/v1/account/password', {
      currentPassword: 'nope',
      newPassword: 'a brand new password',
    })
    expect((await readError(wrong)).paths).toEqual(['currentPassword'])
    const ok = await me.http.post('/api/v1/account/password', {
      currentPassword: memberPassword,
      newPassword: 'a brand new password',
    })
    expect(ok.status).toBe(204)
    expect((await other.get('/api/v1/auth/me')).status).toBe(401)
    expect((await me.http.get('/api/v1/auth/me')).status).toBe(200)
    const again = await client(h.app).post('/api/v1/auth/login', {
      email: me.email,
      password: 'a brand new password',
    })
    expect(again.status).toBe(200)
  })
})

describe('audit log', () => {
  it('records each change with its author and a campaign before and after', async () => {
    const editor = await member(h.a, 'editor')
    const viewer = await member(h.a, 'viewer')
    const created = await readJson(
      await editor.http.post('/api/v1/campaigns', awarenessCampaign()),
      api.campaign,
    )
    expect((await editor.http.patch(`/api/v1/campaigns/${created.id}`, { name: 'Renamed' })).status).toBe(200)
    expect((await viewer.http.patch(`/api/v1/campaigns/${created.id}`, { name: 'Nope' })).status).toBe(403)
    const key = client(h.app, { secretKey: h.a.secretKey })
    expect((await key.post(`/api/v1/campaigns/${created.id}/activate`)).status).toBe(200)

    const log = await readJson(
      await viewer.http.get(`/api/v1/audit?entityId=${created.id}`),
      api.pageOf(api.auditEntry),
    )
    expect(log.data.map((e) => [e.method, e.route, e.actorEmail ?? e.actor.slice(0, 12)])).toEqual([
      ['POST', '/api/v1/campaigns/{id}/{action}', 'key:sk_live_'],
      ['PATCH', '/api/v1/campaigns/{id}', editor.email],
      ['POST', '/api/v1/campaigns', editor.email],
    ])
    const [activate, patch, create] = log.data
    expect(create!.before).toBeNull()
    expect(create!.after).toMatchObject({ id: created.id, name: 'Winter sale' })
    expect(patch!.before).toMatchObject({ name: 'Winter sale' })
    expect(patch!.after).toMatchObject({ name: 'Renamed' })
    expect(activate!.after).toMatchObject({ status: 'active' })
    expect(patch!.actor).toBe(`user:${editor.id}`)

    // Paged by cursor, and another organization sees none of it.
    const first = await readJson(await viewer.http.get('/api/v1/audit?limit=1'), api.pageOf(api.auditEntry))
    expect(first.data).toHaveLength(1)
    const next = await readJson(
      await viewer.http.get(`/api/v1/audit?limit=1&cursor=${first.nextCursor}`),
      api.pageOf(api.auditEntry),
    )
    expect(next.data[0]!.id).not.toBe(first.data[0]!.id)
    const other = await owner(h.b)
    const theirs = await readJson(await other.get('/api/v1/audit?limit=200'), api.pageOf(api.auditEntry))
    expect(theirs.data.some((e) => e.entityId === created.id)).toBe(false)
    expect((await other.get(`/api/v1/audit?siteId=${h.a.siteId}`)).status).toBe(404)
    const keyB = client(h.app, { secretKey: h.b.secretKey })
    const keyView = await readJson(await keyB.get('/api/v1/audit'), api.pageOf(api.auditEntry))
    expect(keyView.data.some((e) => e.entityId === created.id)).toBe(false)
  })
})
