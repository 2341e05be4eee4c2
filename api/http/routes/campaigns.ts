import { and, desc, eq, inArray, lt, or } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import {
  type CampaignType,
  campaignCreate,
  campaignPatch,
  campaignStatuses,
  campaignType,
  pacingProblem,
  transitions,
} from '../../../schema/campaign'
import { campaigns } from '../../../schema/db'
import { defaultExperiment, defaultFrequency, parseConfig } from '../../../schema/types/index'
import { ApiError, validationError } from '../../core/errors'
import { audienceReferenceIssues } from '../../services/audiences/references'
import { campaignJson, findCampaign, replaceVariants, variantsOf } from '../../services/campaign-records'
import { decodeCursor, encodeCursor } from '../../services/cursor'
import type { Services } from '../../services/index'
import { siteInScope, sitesInScope } from '../auth/admin'
import type { AppEnv } from '../env'
import { parseQuery, pathId, readBody } from '../request'
import { type AnalyzedTypes, analyticsRoutes } from './analytics'

export const listQuery = z.strictObject({
  siteId: z.uuid().optional(),
  status: z.enum(campaignStatuses).optional(),
  type: campaignType.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
})

function validConfig(type: CampaignType, config: unknown): Record<string, unknown> {
  const parsed = parseConfig(type, config)
  if (!parsed.success) throw validationError(parsed.error, ['config'])
  return parsed.data as Record<string, unknown>
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * A PATCH's `config` applied to the stored one key by key: each key it names is set to its value, whole (a new
 * `trigger` replaces the old one, whatever kind either is), `null` removes a key so its default comes back, and
 * keys it does not name stay. So `{"config":{"submitButtonText":"Go"}}` keeps the form's fields. Keys are set as
 * own properties, so a `__proto__` key is a key the schema refuses, never a prototype.
 */
export function mergeConfig(stored: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch
  const merged: Record<string, unknown> = {}
  const set = (key: string, value: unknown) =>
    Object.defineProperty(merged, key, { value, enumerable: true, writable: true, configurable: true })
  for (const [key, value] of Object.entries(isObject(stored) ? stored : {})) set(key, value)
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key]
    else set(key, value)
  }
  return merged
}

/**
 * Campaign CRUD and status changes. Mounted twice: at /campaigns for every type, and at /campaigns/:type (the
 * blueprint's paths), where `fixedType` pins the type and a campaign of another type does not exist.
 */
export function campaignRoutes(
  services: Services,
  /** The types this server serves (a campaign of another type cannot be activated), with their analytics. */
  types: AnalyzedTypes,
  fixedType?: (type: string) => CampaignType,
) {
  const app = new Hono<AppEnv>()
  const db = services.db
  const typeOf = (c: { req: { param(name: string): string | undefined } }) =>
    fixedType ? fixedType(c.req.param('type') ?? '') : undefined

  /** A campaign's audience may name only its own site's audiences and segments. */
  async function checkAudience(type: CampaignType, config: Record<string, unknown>, siteId: string) {
    const issues = await audienceReferenceIssues(db, services.audiences, type, config, siteId)
    if (issues.length > 0) {
      throw new ApiError('validation_failed', `${issues[0]!.path}: ${issues[0]!.message}`, issues)
    }
  }

  async function load(id: string, siteIds: string[], type: CampaignType | undefined) {
    const row = await findCampaign(db, id, siteIds)
    if (!row || (type && row.type !== type)) throw new ApiError('not_found', 'Campaign not found')
    return row
  }

  async function respond(id: string) {
    const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id))
    const byCampaign = await variantsOf(db, [id])
    return campaignJson(row!, byCampaign.get(id) ?? [])
  }

  app.get('/', async (c) => {
    const principal = c.get('principal')
    const query = parseQuery(c, listQuery)
    const type = typeOf(c) ?? query.type
    const siteIds = sitesInScope(principal, query.siteId)
    if (siteIds.length === 0) return c.json({ data: [], nextCursor: null })
    const after = query.cursor ? decodeCursor(query.cursor) : undefined
    const rows = await db
      .select()
      .from(campaigns)
      .where(
        and(
          inArray(campaigns.siteId, siteIds),
          query.status ? eq(campaigns.status, query.status) : undefined,
          type ? eq(campaigns.type, type) : undefined,
          after
            ? or(
                lt(campaigns.createdAt, after.createdAt),
                and(eq(campaigns.createdAt, after.createdAt), lt(campaigns.id, after.id)),
              )
            : undefined,
        ),
      )
      .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
      .limit(query.limit + 1)
    const page = rows.slice(0, query.limit)
    const byCampaign = await variantsOf(
      db,
      page.map((r) => r.id),
    )
    const last = page[page.length - 1]
    return c.json({
      data: page.map((r) => campaignJson(r, byCampaign.get(r.id) ?? [])),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    })
  })

  app.post('/', async (c) => {
    const principal = c.get('principal')
    const body = await readBody(c, campaignCreate)
    const pinned = typeOf(c)
    if (pinned && body.type && body.type !== pinned) {
      throw new ApiError('validation_failed', `type: must be ${pinned} on this path`, [
        { path: 'type', message: `must be ${pinned}` },
      ])
    }
    const type = pinned ?? body.type
    if (!type)
      throw new ApiError('validation_failed', 'type: required', [{ path: 'type', message: 'required' }])
    const config = validConfig(type, body.config)
    const siteId = siteInScope(principal, body.siteId)
    await checkAudience(type, config, siteId)
    const id = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(campaigns)
        .values({
          siteId,
          name: body.name,
          type,
          objective: body.objective ?? null,
          priority: body.priority,
          weight: body.weight,
          placements: body.placements,
          schedule: body.schedule,
          targeting: body.targeting,
          frequency: body.frequency ?? defaultFrequency(type),
          experiment: body.experiment ?? defaultExperiment(type),
          pacing: body.pacing,
          cost: body.cost,
          config,
          createdBy: principal.actor,
        })
        .returning({ id: campaigns.id })
      await replaceVariants(tx, row!.id, body.variants)
      return row!.id
    })
    return c.json(await respond(id), 201)
  })

  app.get('/:id', async (c) => {
    const row = await load(pathId(c), c.get('principal').siteIds, typeOf(c))
    return c.json(await respond(row.id))
  })

  app.patch('/:id', async (c) => {
    const id = pathId(c)
    const principal = c.get('principal')
    const row = await load(id, principal.siteIds, typeOf(c))
    const patch = await readBody(c, campaignPatch)
    const { variants: variantList, config: configInput, ...fields } = patch
    const config =
      configInput === undefined ? undefined : validConfig(row.type, mergeConfig(row.config, configInput))
    if (config) await checkAudience(row.type, config, row.siteId)
    const pacingIssue = pacingProblem(
      patch.pacing === undefined ? row.pacing : patch.pacing,
      patch.schedule ?? row.schedule,
    )
    if (pacingIssue) {
      throw new ApiError('validation_failed', `pacing: ${pacingIssue}`, [
        { path: 'pacing', message: pacingIssue },
      ])
    }
    await db.transaction(async (tx) => {
      await tx
        .update(campaigns)
        .set({ ...fields, ...(config ? { config } : {}), updatedAt: new Date(services.now()) })
        .where(eq(campaigns.id, id))
      if (variantList) await replaceVariants(tx, id, variantList)
    })
    await services.active.invalidate(row.siteId)
    return c.json(await respond(id))
  })

  app.delete('/:id', async (c) => {
    const id = pathId(c)
    const row = await load(id, c.get('principal').siteIds, typeOf(c))
    await db.delete(campaigns).where(eq(campaigns.id, id))
    await services.active.invalidate(row.siteId)
    return c.body(null, 204)
  })

  app.post('/:id/:action{[a-z]+}', async (c) => {
    const id = pathId(c)
    const transition = Object.hasOwn(transitions, c.req.param('action'))
      ? transitions[c.req.param('action')]
      : undefined
    if (!transition) throw new ApiError('not_found', 'Not found')
    const row = await load(id, c.get('principal').siteIds, typeOf(c))
    if (transition.to === 'active' && !types[row.type]) {
      throw new ApiError(
        'unprocessable',
        `This server cannot serve ${row.type} campaigns yet, so this one cannot be activated: it is kept as it is. GET /api/v1/types lists the types that can be served.`,
        { type: row.type, servable: false },
      )
    }
    // A conditional update: two concurrent transitions cannot both win.
    const [updated] = await db
      .update(campaigns)
      .set({ status: transition.to, updatedAt: new Date(services.now()) })
      .where(and(eq(campaigns.id, id), inArray(campaigns.status, [...transition.from])))
      .returning({ id: campaigns.id })
    if (!updated) {
      const [current] = await db
        .select({ status: campaigns.status })
        .from(campaigns)
        .where(eq(campaigns.id, id))
      throw new ApiError(
        'invalid_transition',
        `Cannot ${c.req.param('action')} a campaign that is ${current?.status ?? row.status}`,
        { status: current?.status ?? row.status, allowedFrom: transition.from },
      )
    }
    await services.active.invalidate(row.siteId)
    return c.json(await respond(id))
  })

  app.route(
    '/',
    analyticsRoutes(services, types, (c, id) => load(id, c.get('principal').siteIds, typeOf(c))),
  )

  return app
}
