import { and, asc, desc, eq, gte, inArray, isNull, lte } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import { attributionSettings, defaultAttributionSettings } from '../../../schema/attribution'
import { events, secretKeys, sites } from '../../../schema/db'
import { isStorableTime, limits, unstorableTimeMessage } from '../../../schema/limits'
import { defaultRetentionSettings, retentionSettings } from '../../../schema/retention'
import { ApiError } from '../../core/errors'
import type { Db } from '../../ports/database'
import { reattribute } from '../../services/attribution'
import { createSecretKey, newPublishableKey } from '../../services/auth/keys'
import type { Services } from '../../services/index'
import { normalizeOrigin } from '../../services/sites-directory'
import type { AppEnv, Principal } from '../env'
import { pathId, readBody } from '../request'

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

/** A host name as a URL would carry it (lower case, no scheme, port or path), such as cdn.shop.example. */
const imageHost = z
  .string()
  .max(253)
  .transform((value, ctx) => {
    const host = value.trim().toLowerCase()
    let parsed: string | undefined
    try {
      parsed = new URL(`https://${host}/`).hostname
    } catch {
      parsed = undefined
    }
    if (!host || parsed !== host || !host.includes('.')) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a host name like cdn.shop.example (no scheme or path)',
      })
      return z.NEVER
    }
    return host
  })

/** Image hosts a site may name for the pages learned into its catalog. */
export const maxContentImageHosts = 20

const maxRecomputeDays = 92

/** How far back the install check looks for the site's latest event (a bounded read of its newest partitions). */
export const installLookbackDays = 30
/** How many of a site's keys, revoked ones included, the key list shows: the newest. */
const maxListedKeys = 100

/** A new secret key's body: optional, and so is its name (`POST` with no body makes an unnamed key). */
export const secretKeyCreate = z.strictObject({ name: z.string().trim().min(1).max(limits.name).optional() })

export const siteCreate = z.strictObject({
  name: z.string().trim().min(1).max(limits.name),
  allowedOrigins: z.array(origin).max(limits.origins).default([]),
  // No defaults here: a PATCH that leaves them out must keep them (the table's defaults serve a new site).
  contentImageHosts: z.array(imageHost).max(maxContentImageHosts).optional(),
  learnedContent: z.enum(['corroborated', 'approval']).optional(),
})
// Every field optional and none defaulted: zod applies a default inside `.partial()`, so a PATCH of the name
// alone used to empty the allowed origins.
export const sitePatch = siteCreate
  .extend({ allowedOrigins: z.array(origin).max(limits.origins) })
  .partial()
  .extend({
    attribution: attributionSettings.nullable().optional(),
    retention: retentionSettings.nullable().optional(),
    /** The share of visitors shown no campaign at all, to read what every campaign together adds. */
    globalHoldoutPercent: z.number().min(0).max(50).optional(),
  })

const recomputeTime = z.iso.datetime({ offset: true }).refine(isStorableTime, unstorableTimeMessage)
export const recomputeBody = z
  .strictObject({ from: recomputeTime, to: recomputeTime })
  .refine((r) => Date.parse(r.from) < Date.parse(r.to), { message: 'must be after from', path: ['to'] })
  .refine((r) => Date.parse(r.to) - Date.parse(r.from) <= maxRecomputeDays * 86_400_000, {
    message: `at most ${maxRecomputeDays} days after from`,
    path: ['to'],
  })

type SiteRow = typeof sites.$inferSelect

async function siteJson(db: Db, row: SiteRow) {
  const keys = await db
    .select({
      id: secretKeys.id,
      prefix: secretKeys.prefix,
      name: secretKeys.name,
      createdAt: secretKeys.createdAt,
    })
    .from(secretKeys)
    .where(and(eq(secretKeys.siteId, row.id), isNull(secretKeys.revokedAt)))
    .orderBy(asc(secretKeys.createdAt))
  return {
    id: row.id,
    organizationId: row.organizationId,
    name: row.name,
    allowedOrigins: row.allowedOrigins,
    contentImageHosts: row.contentImageHosts,
    learnedContent: row.learnedContent,
    globalHoldoutPercent: row.globalHoldoutPercent,
    publishableKey: row.publishableKey,
    attribution: row.attribution ?? defaultAttributionSettings,
    retention: row.retention ?? defaultRetentionSettings,
    secretKeys: keys.map((k) => ({
      id: k.id,
      prefix: k.prefix,
      name: k.name,
      createdAt: k.createdAt.toISOString(),
    })),
    createdAt: row.createdAt.toISOString(),
  }
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
          ...(body.contentImageHosts ? { contentImageHosts: body.contentImageHosts } : {}),
          ...(body.learnedContent ? { learnedContent: body.learnedContent } : {}),
          publishableKey: newPublishableKey(),
        })
        .returning()
      const secret = await createSecretKey(tx, row!.id)
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

  /** Every key of the site, revoked ones too, newest first: what the admin's key list shows. */
  app.get('/:id/secret-keys', async (c) => {
    const row = await load(c.get('principal'), pathId(c))
    const keys = await db
      .select({
        id: secretKeys.id,
        prefix: secretKeys.prefix,
        name: secretKeys.name,
        createdAt: secretKeys.createdAt,
        revokedAt: secretKeys.revokedAt,
      })
      .from(secretKeys)
      .where(eq(secretKeys.siteId, row.id))
      .orderBy(desc(secretKeys.createdAt), desc(secretKeys.id))
      .limit(maxListedKeys)
    return c.json({
      data: keys.map((k) => ({
        id: k.id,
        prefix: k.prefix,
        name: k.name,
        createdAt: k.createdAt.toISOString(),
        revokedAt: k.revokedAt?.toISOString() ?? null,
      })),
    })
  })

  app.post('/:id/secret-keys', async (c) => {
    const row = await load(c.get('principal'), pathId(c))
    requireUser(c.get('principal'))
    // The body is optional: a POST with none (as before keys had names) makes an unnamed key.
    const hasBody =
      (c.req.header('content-length') ?? '') !== '0' && c.req.header('content-type') !== undefined
    const body = hasBody ? await readBody(c, secretKeyCreate) : {}
    return c.json(await createSecretKey(db, row.id, undefined, body.name ?? null), 201)
  })

  /**
   * Is the tag installed? The latest event the site's pages sent within the last 30 days (read newest first
   * through the site/time index, over the newest partitions only), or null while none has come.
   */
  app.get('/:id/install', async (c) => {
    const row = await load(c.get('principal'), pathId(c))
    const now = services.now()
    const [latest] = await db
      .select({ name: events.name, at: events.timestamp, url: events.url })
      .from(events)
      .where(
        and(
          eq(events.siteId, row.id),
          gte(events.timestamp, new Date(now - installLookbackDays * 86_400_000)),
          // A clock set ahead on a visitor's device is not a later event than now.
          lte(events.timestamp, new Date(now + 86_400_000)),
          eq(events.source, 'browser'),
        ),
      )
      .orderBy(desc(events.timestamp))
      .limit(1)
    return c.json({
      lastEvent: latest ? { name: latest.name, at: latest.at.toISOString(), url: latest.url } : null,
    })
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
