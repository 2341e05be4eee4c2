import { and, asc, eq, inArray, isNull } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import { attributionSettings, defaultAttributionSettings } from '../../schema/attribution'
import { secretKeys, sites } from '../../schema/db'
import { isStorableTime, limits, unstorableTimeMessage } from '../../schema/limits'
import { defaultRetentionSettings, retentionSettings } from '../../schema/retention'
import { reattribute } from '../attribution/store'
import { displayPrefix, newPublishableKey, newSecretKey, sha256Hex } from '../auth/keys'
import type { Db } from '../db'
import type { AppEnv, Principal } from '../env'
import { ApiError } from '../errors'
import { pathId, readBody } from '../request'
import type { Services } from '../services'
import { normalizeOrigin } from '../sites-directory'

const origin = z
  .string()
  .max(limits.url)
  .transform((value, ctx) => {
    const normalized = normalizeOrigin(value)
    if (!normalized || normalized !== value.replace(/\/$/, '')) {
      ctx.addIssue({ code: 'custom', message: 'must be an origin like https://shop.example (no path)' })
      return z.NEVER
    }
    return normalized
  })

const maxRecomputeDays = 92

const siteCreate = z.strictObject({
  name: z.string().trim().min(1).max(limits.name),
  allowedOrigins: z.array(origin).max(limits.origins).default([]),
})
const sitePatch = siteCreate.partial().extend({
  attribution: attributionSettings.nullable().optional(),
  retention: retentionSettings.nullable().optional(),
})

const recomputeTime = z.iso.datetime({ offset: true }).refine(isStorableTime, unstorableTimeMessage)
const recomputeBody = z
  .strictObject({ from: recomputeTime, to: recomputeTime })
  .refine((r) => Date.parse(r.from) < Date.parse(r.to), { message: 'must be after from', path: ['to'] })
  .refine((r) => Date.parse(r.to) - Date.parse(r.from) <= maxRecomputeDays * 86_400_000, {
    message: `at most ${maxRecomputeDays} days after from`,
    path: ['to'],
  })

type SiteRow = typeof sites.$inferSelect

async function siteJson(db: Db, row: SiteRow) {
  const keys = await db
    .select({ id: secretKeys.id, prefix: secretKeys.prefix, createdAt: secretKeys.createdAt })
    .from(secretKeys)
    .where(and(eq(secretKeys.siteId, row.id), isNull(secretKeys.revokedAt)))
    .orderBy(asc(secretKeys.createdAt))
  return {
    id: row.id,
    organizationId: row.organizationId,
    name: row.name,
    allowedOrigins: row.allowedOrigins,
    publishableKey: row.publishableKey,
    attribution: row.attribution ?? defaultAttributionSettings,
    retention: row.retention ?? defaultRetentionSettings,
    secretKeys: keys.map((k) => ({ id: k.id, prefix: k.prefix, createdAt: k.createdAt.toISOString() })),
    createdAt: row.createdAt.toISOString(),
  }
}

export async function createSecretKey(db: Db, siteId: string, key = newSecretKey()) {
  const [row] = await db
    .insert(secretKeys)
    .values({ siteId, prefix: displayPrefix(key), hash: await sha256Hex(key) })
    .returning({ id: secretKeys.id, prefix: secretKeys.prefix, createdAt: secretKeys.createdAt })
  return { id: row!.id, prefix: row!.prefix, createdAt: row!.createdAt.toISOString(), key }
}

/**
 * Whatever makes credentials (sites with their keys, secret keys, a new publishable key) or takes them away is
 * for a signed-in admin (session cookie and X-CSRF-Token, checked by the admin guard), never a secret key: a
 * leaked key could otherwise mint itself a backup or lock its owner out.
 */
function requireUser(principal: Principal) {
  if (principal.kind !== 'user')
    throw new ApiError(
      'forbidden',
      'Key management needs a signed-in admin (session and X-CSRF-Token); a secret key cannot create, revoke or rotate keys',
    )
  return principal
}

/** Sites, their allowed origins and keys. A secret key sees only its own site; a session sees its organization's. */
export function siteRoutes(services: Services) {
  const app = new Hono<AppEnv>()
  const db = services.db

  async function load(principal: Principal, id: string): Promise<SiteRow> {
    if (!principal.siteIds.includes(id)) throw new ApiError('not_found', 'Site not found')
    const [row] = await db.select().from(sites).where(eq(sites.id, id))
    if (!row) throw new ApiError('not_found', 'Site not found')
    return row
  }

  app.get('/', async (c) => {
    const ids = c.get('principal').siteIds
    const rows = ids.length
      ? await db.select().from(sites).where(inArray(sites.id, ids)).orderBy(asc(sites.createdAt))
      : []
    return c.json({ data: await Promise.all(rows.map((r) => siteJson(db, r))), nextCursor: null })
  })

  app.post('/', async (c) => {
    const principal = requireUser(c.get('principal'))
    const body = await readBody(c, siteCreate)
    const result = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(sites)
        .values({
          organizationId: principal.organizationId,
          name: body.name,
          allowedOrigins: body.allowedOrigins,
          publishableKey: newPublishableKey(),
        })
        .returning()
      const secret = await createSecretKey(tx as unknown as Db, row!.id)
      return { row: row!, secret }
    })
    // The secret key is shown once, now; only its hash is stored.
    return c.json({ ...(await siteJson(db, result.row)), secretKey: result.secret.key }, 201)
  })

  app.get('/:id', async (c) => c.json(await siteJson(db, await load(c.get('principal'), pathId(c)))))

  app.patch('/:id', async (c) => {
    const row = await load(c.get('principal'), pathId(c))
    const body = await readBody(c, sitePatch)
    const [updated] = await db.update(sites).set(body).where(eq(sites.id, row.id)).returning()
    services.sites.invalidate()
    return c.json(await siteJson(db, updated!))
  })

  /** After changing a site's attribution settings: credit a range's conversions again under them. */
  app.post('/:id/attribution/recompute', async (c) => {
    const row = await load(c.get('principal'), pathId(c))
    const body = await readBody(c, recomputeBody)
    // Credit in the range is deleted and computed again from its conversions: where retention has deleted
    // them, their credit would be lost for good.
    const keptDays = (row.retention ?? defaultRetentionSettings).eventsDays
    if (Date.parse(body.from) < services.now() - keptDays * 86_400_000) {
      const message = `before the ${keptDays} days this site keeps events (retention.eventsDays)`
      throw new ApiError('validation_failed', `from: ${message}`, [{ path: 'from', message }])
    }
    return c.json(await reattribute(db, row.id, new Date(body.from), new Date(body.to)))
  })

  app.post('/:id/secret-keys', async (c) => {
    const row = await load(c.get('principal'), pathId(c))
    requireUser(c.get('principal'))
    return c.json(await createSecretKey(db, row.id), 201)
  })

  app.delete('/:id/secret-keys/:keyId', async (c) => {
    const row = await load(c.get('principal'), pathId(c))
    requireUser(c.get('principal'))
    const [revoked] = await db
      .update(secretKeys)
      .set({ revokedAt: new Date(services.now()) })
      .where(
        and(
          eq(secretKeys.id, pathId(c, 'keyId')),
          eq(secretKeys.siteId, row.id),
          isNull(secretKeys.revokedAt),
        ),
      )
      .returning({ id: secretKeys.id })
    if (!revoked) throw new ApiError('not_found', 'Key not found')
    return c.body(null, 204)
  })

  app.post('/:id/publishable-key/rotate', async (c) => {
    const row = await load(c.get('principal'), pathId(c))
    requireUser(c.get('principal'))
    const [updated] = await db
      .update(sites)
      .set({ publishableKey: newPublishableKey() })
      .where(eq(sites.id, row.id))
      .returning()
    services.sites.invalidate()
    return c.json(await siteJson(db, updated!))
  })

  return app
}
