import { Hono, type MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { routePath } from 'hono/route'
import { type CampaignType, campaignType } from '../schema/campaign'
import { bodyLimits } from '../schema/limits'
import { measuredKv } from './adapters/kv/measured'
import { MemoryKv } from './adapters/kv/memory'
import { ApiError, errorSummary, renderError } from './core/errors'
import { requireAdmin } from './http/auth/admin'
import { bodyLimit } from './http/body-limit'
import { contractRoutes } from './http/contract/routes'
import type { AppEnv } from './http/env'
import { limitedRoutes, rateLimit } from './http/limits'
import { observeRequests } from './http/observe'
import { accountRoutes } from './http/routes/account'
import { overviewRoutes } from './http/routes/analytics'
import { audienceRoutes } from './http/routes/audiences'
import { auditRoutes } from './http/routes/audit'
import { authRoutes } from './http/routes/auth'
import { campaignRoutes } from './http/routes/campaigns'
import { conversionRoutes } from './http/routes/conversions'
import { eventRoutes } from './http/routes/events'
import { healthRoutes } from './http/routes/health'
import { outboxRoutes } from './http/routes/outbox'
import { redirectRoutes } from './http/routes/redirect'
import { serveRoutes } from './http/routes/serve'
import { siteRoutes } from './http/routes/sites'
import { invitationRoutes, teamRoutes } from './http/routes/team'
import { typeRoutes } from './http/routes/types'
import { webhookRoutes } from './http/routes/webhooks'
import { databaseUnavailable } from './ports/database'
import type { ServerType, ServerTypes } from './promotion'
import { serverTypes } from './promotions'
import type { AudienceTypes } from './services/audiences/kept'
import { safeEqual } from './services/auth/keys'
import type { Deps } from './services/deps'
import { downloadRoutes } from './services/followup/index'
import { gaugesOf } from './services/gauges'
import { createServices, type Services } from './services/index'
import { genericJobs } from './services/jobs'
import type { PromoCodeTypes } from './services/promo-code-types'

const tooLarge = (max: number) => bodyLimit(max)

const nosniff: MiddlewareHandler = (c, next) => {
  c.header('X-Content-Type-Options', 'nosniff')
  return next()
}

/** For answers only the signed-in may read (the sign-in answer holds the CSRF token, exports hold leads). */
const noStore: MiddlewareHandler = (c, next) => {
  c.header('Cache-Control', 'no-store')
  return next()
}

/** The types' personal data, for privacy requests and the retention sweep. */
export const personalDataOf = (types: ServerTypes) =>
  Object.values(types).flatMap((type) => (type?.personalData ? [type.personalData] : []))

/** The scheduled jobs, for the runtimes' timers and crons: the generic ones (the audience engine), then the types'. */
export const jobsOf = (types: ServerTypes) => [
  ...genericJobs,
  ...Object.values(types).flatMap((type) => type?.jobs ?? []),
]

/** The `ServerType` hooks that answer from a campaign's config. */
type ConfigHook = 'audience' | 'promoCodes'

/** The types that declare `hook`, and a campaign's answer to it from its config (undefined for any other type). */
function typesWith<K extends ConfigHook>(types: ServerTypes, hook: K) {
  const byType = new Map(
    Object.entries(types).filter(([, type]) => type?.[hook]) as [CampaignType, ServerType][],
  )
  return {
    types: [...byType.keys()],
    answer: (type: string, config: Record<string, unknown>) =>
      byType.get(type as CampaignType)?.[hook]?.(config) as
        | ReturnType<NonNullable<ServerType[K]>>
        | undefined,
  }
}

/** The types whose campaigns have an audience of their own, and each campaign's audience from its config. */
export function audienceTypesOf(types: ServerTypes): AudienceTypes {
  const { types: names, answer } = typesWith(types, 'audience')
  return { types: names, of: answer }
}

/** The types whose campaigns hand out promo codes, and each campaign's terms from its config. */
export function promoCodeTypesOf(types: ServerTypes): PromoCodeTypes {
  const { types: names, answer } = typesWith(types, 'promoCodes')
  return { types: names, terms: answer }
}

/**
 * The services for `deps` and the promotion types, with the defaults: the in-process store, timed when metrics
 * are collected.
 */
export function servicesFor(deps: Deps, types: ServerTypes = serverTypes): Services {
  const store = deps.kv ?? new MemoryKv()
  return createServices(deps, store, deps.metrics ? measuredKv(store, deps.metrics) : store, {
    formatOf: (type, config) => types[type as CampaignType]?.format(config),
    projections: Object.values(types).flatMap((type) => type?.projections ?? []),
    personalData: personalDataOf(types),
    audiences: audienceTypesOf(types),
    promoCodes: promoCodeTypesOf(types),
  })
}

/** The one composition root: Node and Workers build `deps` from their environment and call this. */
export function createApp(
  deps: Deps,
  types: ServerTypes = serverTypes,
): Hono<AppEnv> & { services: Services } {
  const services = servicesFor(deps, types)
  const typeList = Object.values(types).filter((type) => type !== undefined)
  const app = new Hono<AppEnv>()

  app.onError((error, c) => {
    if (error instanceof ApiError) return renderError(c, error)
    if (error instanceof HTTPException && error.status < 500) {
      return renderError(c, new ApiError('bad_request', error.message || 'Bad request'))
    }
    const outage = databaseUnavailable(error)
    if (outage) {
      // An outage, not a bug: clients retry (the SDK resends the same events) once the database is back. The
      // code only: the message can hold the query's parameters.
      services.log.error('database unavailable', {
        requestId: c.get('requestId'),
        route: routePath(c),
        code: outage,
      })
      return renderError(
        c,
        new ApiError('unavailable', 'The database is not answering; retry shortly', undefined, {
          'Retry-After': '2',
        }),
      )
    }
    services.log.error('unhandled error', {
      requestId: c.get('requestId'),
      method: c.req.method,
      route: routePath(c),
      ...errorSummary(error),
    })
    return renderError(c, new ApiError('internal', 'Something went wrong on our side'))
  })
  app.notFound((c) => renderError(c, new ApiError('not_found', 'Not found')))

  // First, so every answer (errors and static files too) is counted, logged and carries its request id.
  app.use('*', observeRequests(services))

  // Public routes: the body size limit, then the rate limits (which may read the body), then the route. One
  // middleware per route, not two: each handler Hono composes costs serve a measurable share (bench:serve).
  const publicBodies = tooLarge(bodyLimits.public)
  for (const route of [...limitedRoutes, ...typeList.flatMap((type) => type.limits ?? [])]) {
    const limit = rateLimit(services, route)
    const guard: MiddlewareHandler =
      route.method === 'POST' ? (c, next) => publicBodies(c, async () => void (await limit(c, next))) : limit
    app.on(route.method, route.path, guard)
  }

  app.use('/healthz', nosniff)
  app.use('/readyz', nosniff)
  const { metrics, metricsToken } = deps
  if (metrics?.exposition && metricsToken) {
    metrics.sample?.(gaugesOf(services))
    const expected = `Bearer ${metricsToken}`
    app.get('/metrics', nosniff, async (c) => {
      if (!safeEqual(c.req.header('authorization') ?? '', expected)) {
        throw new ApiError('unauthorized', 'GET /metrics takes Authorization: Bearer <PROMO_METRICS_TOKEN>')
      }
      const { contentType, body } = await metrics.exposition!()
      return c.body(body, 200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' })
    })
  }
  app.route('/', healthRoutes(services))
  app.route('/', redirectRoutes(services))
  app.route('/', downloadRoutes(services))
  app.route(
    '/',
    contractRoutes(
      typeList.flatMap((type) => type.docs ?? []),
      deps.publicUrl,
    ),
  )

  // Public endpoints: the publishable key travels in the body (or ?site=), CORS only for the site's origins.
  const publicApi = new Hono<AppEnv>()
  publicApi.route('/', serveRoutes(services, types))
  publicApi.route('/', eventRoutes(services))
  publicApi.route('/', typeRoutes(types))
  // Each type's own routes (submits, counts): public ones check the site's key, admin ones their principal.
  for (const type of typeList) if (type.routes) publicApi.route('/', type.routes(services))
  app.route('/api/v1', publicApi)

  // Registered after the public routes: a public handler answers before any admin middleware could run.
  const admin = new Hono<AppEnv>()
  // Every admin area gets the admin body limit and, but for signing in, a signed-in admin or secret key: one
  // list, so a new area cannot be mounted without its guard.
  const guarded = [
    '/sites',
    '/campaigns',
    '/audiences',
    '/conversions',
    '/analytics',
    '/webhooks',
    '/outbox',
    '/team',
    '/account',
    '/audit',
    ...typeList.flatMap((type) => Object.keys(type.adminRoutes ?? {})),
  ]
  // What the admin answers (JSON, CSV exports) is read as the type it says, never sniffed into HTML, and kept by
  // no cache; errors carry both too (renderError), static files by their own route. Only on the admin's own
  // paths: a middleware whose path also matches the serve and events routes costs a tenth of serve's
  // throughput (bench:serve), for answers no browser opens as a page.
  admin.use('/auth/*', nosniff)
  admin.use('/auth/*', noStore)
  admin.use('/auth/*', tooLarge(bodyLimits.admin))
  for (const area of guarded) {
    for (const path of [area, `${area}/*`]) {
      admin.use(path, nosniff)
      admin.use(path, noStore)
      admin.use(path, tooLarge(bodyLimits.admin))
      admin.use(path, requireAdmin(services))
    }
  }
  admin.route('/auth', authRoutes(services))
  admin.route('/auth', invitationRoutes(services))
  admin.route('/sites', siteRoutes(services))
  admin.route('/audiences', audienceRoutes(services))
  admin.route('/conversions', conversionRoutes(services))
  admin.route('/analytics', overviewRoutes(services))
  for (const type of typeList) {
    for (const [area, routes] of Object.entries(type.adminRoutes ?? {})) admin.route(area, routes(services))
  }
  admin.route('/webhooks', webhookRoutes(services))
  admin.route('/outbox', outboxRoutes(services))
  admin.route('/team', teamRoutes(services))
  admin.route('/account', accountRoutes(services))
  admin.route('/audit', auditRoutes(services))
  // The blueprint's per-type paths (/campaigns/awareness/…) first, so a type name is never read as an id.
  // A type is lowercase letters and underscores; a campaign id (UUID) always has digits or hyphens.
  admin.route(
    '/campaigns/:type{[a-z_]+}',
    campaignRoutes(services, types, (type) => {
      const parsed = campaignType.safeParse(type)
      if (!parsed.success) throw new ApiError('not_found', `Unknown campaign type: ${type.slice(0, 40)}`)
      return parsed.data
    }),
  )
  admin.route('/campaigns', campaignRoutes(services, types))
  app.route('/api/v1', admin)

  if (deps.assets) {
    const assets = deps.assets
    app.get('*', async (c, next) => {
      const response = await assets(c.req.path, c.req.raw.headers)
      if (response) return response
      await next()
    })
  }

  return Object.assign(app, { services })
}
