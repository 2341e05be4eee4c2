import { and, eq, inArray } from 'drizzle-orm'
import { type Context, Hono, type MiddlewareHandler } from 'hono'
import { z } from 'zod'
import { isBot } from '../../../api/core/bots'
import { ApiError } from '../../../api/core/errors'
import { deviceOf, geoOf } from '../../../api/core/visitor'
import { requireAdmin, sitesInScope } from '../../../api/http/auth/admin'
import { publicPreflight, publicSite } from '../../../api/http/auth/public'
import { bodyLimit } from '../../../api/http/body-limit'
import { clientIp } from '../../../api/http/client-ip'
import type { AppEnv } from '../../../api/http/env'
import { headerOf, parseQuery, pathId, readBody } from '../../../api/http/request'
import type { StoredEvent } from '../../../api/ports/events'
import type { Services } from '../../../api/services'
import { decodeCursor, encodeCursor } from '../../../api/services/cursor'
import { mirror } from '../../../api/services/ingest/mirror'
import type { Limit } from '../../../api/services/limits/rules'
import { campaigns, variants } from '../../../schema/db'
import { bodyLimits } from '../../../schema/limits'
import {
  actionType,
  type EngagementConfig,
  type EngagementRequest,
  engagementConfig,
  engagementQuery,
  engagementRequest,
} from '../config'
import {
  type Actor,
  type CommentRow,
  comment,
  countsOf,
  deleteComment,
  like,
  listComments,
  moderate,
  type Outcome,
  react,
  recentComments,
  share,
  stateOf,
  unlike,
  unreact,
  vote,
} from './store'

/**
 * Comments beyond the route's own limit (api/limits, per address and per site for every action): per visitor and
 * per address, since a comment is text someone must read. A person comments a few times a minute at most; an
 * address may be an office.
 */
export const commentLimits = {
  visitor: { limit: 5, windowMs: 60_000 },
  address: { limit: 20, windowMs: 60_000 },
} satisfies Record<string, Limit>

/** Seconds a public count answer may be reused. */
const publicMaxAge = 15

const error = (code: 'validation_failed', path: string, message: string) =>
  new ApiError(code, `${path}: ${message}`, [{ path, message }])

type Campaign = { id: string; status: string; config: EngagementConfig }

/** The site's engagement campaign (any status but draft and archived); 404 for any other. */
async function campaignOf(services: Services, siteId: string, campaignId: string): Promise<Campaign> {
  const [row] = await services.db
    .select({ id: campaigns.id, status: campaigns.status, config: campaigns.config })
    .from(campaigns)
    .where(
      and(
        eq(campaigns.id, campaignId),
        eq(campaigns.siteId, siteId),
        eq(campaigns.type, 'engagement'),
        inArray(campaigns.status, ['active', 'paused', 'completed']),
      ),
    )
    .limit(1)
  if (!row) {
    throw new ApiError('not_found', 'No engagement campaign with this id on this site', [
      { path: 'campaignId', message: 'no engagement campaign with this id' },
    ])
  }
  // Stored configs were validated when saved; parsing again fills defaults added since.
  const parsed = engagementConfig.safeParse(row.config)
  if (!parsed.success) {
    services.log.error('an engagement campaign’s stored config no longer validates: save it again', {
      campaignId: row.id,
      paths: parsed.error.issues.map((issue) => issue.path.join('.')),
    })
    throw new ApiError('unavailable', 'This campaign cannot be engaged with right now')
  }
  return { id: row.id, status: row.status, config: parsed.data }
}

/** Votes are shown when the poll says so: always, never, or to a visitor who has voted. */
const votesShown = (config: EngagementConfig, voted: boolean) =>
  config.poll?.showResults === 'always' || (config.poll?.showResults === 'after_vote' && voted)

const commentJson = (row: CommentRow) => ({
  id: row.id,
  ...(row.name ? { name: row.name } : {}),
  text: row.text,
  createdAt: row.createdAt.toISOString(),
})

/** Checks what the campaign allows of the action: the field that is wrong is named. */
function checkAgainstConfig(body: EngagementRequest, config: EngagementConfig, now: number) {
  const type = actionType[body.action]
  if (!config.engagementTypes.includes(type)) {
    throw new ApiError('unprocessable', `This campaign does not take ${type}`, [
      { path: 'action', message: `${type} is not enabled for this campaign` },
    ])
  }
  if (body.reaction !== undefined && (body.action === 'react' || body.action === 'unreact')) {
    if (!config.reactions.includes(body.reaction))
      throw error('validation_failed', 'reaction', 'not one of this campaign’s reactions')
  }
  if (body.action === 'share' && !config.share.networks.includes(body.network!)) {
    throw error('validation_failed', 'network', 'not one of this campaign’s networks')
  }
  if (body.action === 'vote') {
    const poll = config.poll!
    const options = body.options!
    const known = new Set(poll.options.map((o) => o.id))
    const unknown = options.findIndex((id) => !known.has(id))
    if (unknown >= 0) throw error('validation_failed', `options.${unknown}`, 'not an option of this poll')
    if (!poll.allowMultiple && options.length > 1)
      throw error('validation_failed', 'options', 'this poll takes one option')
    if (poll.closesAt && now >= Date.parse(poll.closesAt)) {
      throw new ApiError('poll_closed', 'This poll is closed', { closesAt: poll.closesAt })
    }
  }
  if (body.action === 'comment' && body.text!.length > config.comments.maxLength) {
    throw error('validation_failed', 'text', `at most ${config.comments.maxLength} characters`)
  }
}

async function spend(services: Services, site: string, key: string, limit: Limit) {
  const wait = services.rateCounter.hit(site, key, limit, services.now())
  return typeof wait === 'number' ? wait : await wait
}

/** 429 once the visitor or their address has commented too often. */
async function limitComments(c: Context<AppEnv>, services: Services, siteId: string, anonymousId: string) {
  let wait = await spend(services, siteId, `rl:comments:v:${anonymousId}`, commentLimits.visitor)
  const ip = clientIp(c, services.deps.clientIpHeader)
  if (wait === 0 && ip) wait = await spend(services, siteId, `rl:comments:a:${ip}`, commentLimits.address)
  if (wait > 0) {
    throw new ApiError('rate_limited', 'Too many comments: try again shortly', undefined, {
      'Retry-After': String(Math.max(1, Math.ceil(wait / 1000))),
    })
  }
}

export const commentQuery = z.strictObject({
  siteId: z.uuid().optional(),
  campaignId: z.uuid().optional(),
  status: z.enum(['pending', 'published', 'rejected']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
})

const noStore: MiddlewareHandler = (c, next) => {
  c.header('Cache-Control', 'no-store')
  c.header('X-Content-Type-Options', 'nosniff')
  return next()
}

async function etagOf(body: string) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body)))
  return `"${Array.from(digest.slice(0, 12), (b) => b.toString(16).padStart(2, '0')).join('')}"`
}

/**
 * Engagement's HTTP routes, mounted at /api/v1 with one line in app.ts: the public action and count endpoints
 * (publishable key, CORS for the site's origins only) and the admin's comment moderation (secret key or session,
 * guarded here, as the app guards its other admin areas).
 */
export function engagementRoutes(services: Services) {
  const app = new Hono<AppEnv>()
  const db = services.db

  for (const path of ['/engagements/comments', '/engagements/comments/*']) {
    app.use(path, noStore, bodyLimit(bodyLimits.admin), requireAdmin(services))
  }

  app.options('/engagements', (c) => publicPreflight(c, services))

  app.post('/engagements', async (c) => {
    const body = await readBody(c, engagementRequest, 'json-or-text')
    const site = await publicSite(c, services, body.site)
    c.header('Cache-Control', 'private, no-store')
    if (body.visitorToken && !services.signer.holdsVisitor(site.id, body.anonymousId, body.visitorToken)) {
      throw error('validation_failed', 'visitorToken', 'not the token served to this anonymousId')
    }
    const campaign = await campaignOf(services, site.id, body.campaignId)
    const { config } = campaign
    const now = services.now()
    checkAgainstConfig(body, config, now)

    const answer = async (status: 200 | 201, stored?: CommentRow) => {
      const state = await stateOf(db, site.id, campaign.id, body.anonymousId)
      const counts = await countsOf(
        db,
        site.id,
        campaign.id,
        config,
        votesShown(config, state.voted.length > 0),
      )
      return c.json(
        {
          counts,
          state,
          ...(stored ? { comment: { ...commentJson(stored), status: stored.status } } : {}),
        },
        status,
      )
    }

    // A crawler is answered as a visitor would be, and nothing it sends is stored or counted.
    if (isBot(headerOf(c, 'user-agent'))) return answer(200)

    if (campaign.status !== 'active') {
      throw new ApiError('conflict', 'This campaign is not running')
    }
    if (body.variantId) {
      const [variant] = await db
        .select({ id: variants.id })
        .from(variants)
        .where(and(eq(variants.id, body.variantId), eq(variants.campaignId, campaign.id)))
        .limit(1)
      if (!variant) throw error('validation_failed', 'variantId', 'no such variant of this campaign')
    }
    if (body.action === 'comment') await limitComments(c, services, site.id, body.anonymousId)

    const userAgent = headerOf(c, 'user-agent')
    const actor: Actor = {
      siteId: site.id,
      campaignId: campaign.id,
      variantId: body.variantId ?? null,
      anonymousId: body.anonymousId,
      at: new Date(now),
      url: body.url ?? null,
      pipeline: services.pipeline,
      device: userAgent ? deviceOf(userAgent).device : null,
      country:
        geoOf({
          header: (name) => headerOf(c, name),
          cf: (c.req.raw as { cf?: unknown }).cf,
          geoHeaders: services.deps.geoHeaders,
        }).country ?? null,
    }

    let outcome: Outcome
    switch (body.action) {
      case 'like':
        outcome = await like(db, actor)
        break
      case 'unlike':
        outcome = await unlike(db, actor)
        break
      case 'react':
        outcome = await react(db, actor, body.reaction!)
        break
      case 'unreact':
        outcome = await unreact(db, actor, body.reaction)
        break
      case 'share':
        outcome = await share(db, actor, body.network!, body.shareId ?? crypto.randomUUID())
        break
      case 'vote': {
        const voted = await vote(db, actor, body.options!)
        if (!voted) {
          throw new ApiError('already_voted', 'This visitor has voted in this poll already')
        }
        outcome = voted
        break
      }
      case 'comment': {
        const status = config.comments.moderation === 'pre' ? 'pending' : 'published'
        outcome = await comment(db, actor, body.text!, body.name || null, status)
        break
      }
    }
    if (outcome.written) {
      const { stored, profiles } = outcome.written
      await mirror(services, site.id, profiles, stored as StoredEvent[])
    }
    return answer(outcome.comment ? 201 : 200, outcome.comment)
  })

  app.get('/engagements', async (c) => {
    const query = parseQuery(c, engagementQuery)
    const site = await publicSite(c, services, query.site)
    const campaign = await campaignOf(services, site.id, query.campaignId)
    const { config } = campaign
    const state = query.anonymousId ? await stateOf(db, site.id, campaign.id, query.anonymousId) : undefined
    const [counts, comments] = await Promise.all([
      countsOf(db, site.id, campaign.id, config, votesShown(config, (state?.voted.length ?? 0) > 0)),
      config.engagementTypes.includes('comment')
        ? recentComments(db, site.id, campaign.id, config.comments.showRecent)
        : Promise.resolve([]),
    ])
    const json = JSON.stringify({ counts, ...(state ? { state } : {}), comments: comments.map(commentJson) })
    const headers: Record<string, string> = { 'Content-Type': 'application/json' }
    if (state) {
      headers['Cache-Control'] = 'private, no-store'
      return c.body(json, 200, headers)
    }
    // Without a visitor the answer is the same for everyone: shared caches may keep it for a few seconds.
    const etag = await etagOf(json)
    headers['Cache-Control'] = `public, max-age=${publicMaxAge}`
    headers.ETag = etag
    const match = headerOf(c, 'if-none-match')
    if (match?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      return c.body(null, 304, { 'Cache-Control': headers['Cache-Control'], ETag: etag })
    }
    return c.body(json, 200, headers)
  })

  // Moderation: the admin's, scoped to the sites the principal may see (another site's comment is a 404).
  const adminComment = (row: CommentRow) => ({
    id: row.id,
    siteId: row.siteId,
    campaignId: row.campaignId,
    variantId: row.variantId,
    text: row.text,
    name: row.name,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    moderatedAt: row.moderatedAt?.toISOString() ?? null,
    anonymousId: row.anonymousId,
  })

  app.get('/engagements/comments', async (c) => {
    const query = parseQuery(c, commentQuery)
    const siteIds = sitesInScope(c.get('principal'), query.siteId)
    const rows = await listComments(db, {
      siteIds,
      campaignId: query.campaignId,
      status: query.status,
      before: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: query.limit + 1,
    })
    const shown = rows.slice(0, query.limit)
    const last = shown[shown.length - 1]
    return c.json({
      data: shown.map((row) => ({ ...adminComment(row), campaignName: row.campaignName })),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    })
  })

  for (const [action, status] of [
    ['approve', 'published'],
    ['reject', 'rejected'],
  ] as const) {
    app.post(`/engagements/comments/:id/${action}`, async (c) => {
      const id = pathId(c)
      const siteIds = sitesInScope(c.get('principal'), undefined)
      const row = await moderate(db, siteIds, id, status, new Date(services.now()))
      if (!row) throw new ApiError('not_found', 'Comment not found')
      return c.json(adminComment(row))
    })
  }

  app.delete('/engagements/comments/:id', async (c) => {
    const id = pathId(c)
    if (!(await deleteComment(db, sitesInScope(c.get('principal'), undefined), id))) {
      throw new ApiError('not_found', 'Comment not found')
    }
    return c.body(null, 204)
  })

  return app
}
