import { Hono, type MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { routePath } from 'hono/route'
import { engagementRoutes } from '../promotions/engagement/server'
import { campaignType } from '../schema/campaign'
import { bodyLimits } from '../schema/limits'
import { requireAdmin } from './auth/admin'
import { safeEqual } from './auth/keys'
import { bodyLimit } from './body-limit'
import { databaseUnavailable } from './db'
import type { Deps } from './deps'
import type { AppEnv } from './env'
import { ApiError, errorSummary, renderError } from './errors'
import { downloadRoutes, followUp, outboxRoutes, webhookRoutes } from './followup'
import { leadAdminRoutes } from './leads/admin'
import { leadSubmitRoutes } from './leads/submit'
import { limitedRoutes, rateLimit } from './limits/middleware'
import { gaugesOf } from './metrics'
import { observeRequests } from './observe'
import { overviewRoutes } from './routes/analytics'
import { audienceRoutes } from './routes/audiences'
import { authRoutes } from './routes/auth'
import { campaignRoutes } from './routes/campaigns'
import { conversionRoutes } from './routes/conversions'
import { eventRoutes } from './routes/events'
import { healthRoutes } from './routes/health'
import { redirectRoutes } from './routes/redirect'
import { serveRoutes } from './routes/serve'
import { siteRoutes } from './routes/sites'
import { createServices, type Services } from './services'
import { contentRoutes } from './traffic/routes'

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

/** The one composition root: Node and Workers build `deps` from their environment and call this. */
export function createApp(deps: Deps): Hono<AppEnv> & { services: Services } {
  const services = createServices(deps)
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
  for (const route of limitedRoutes) {
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

  // Public endpoints: the publishable key travels in the body (or ?site=), CORS only for the site's origins.
  const publicApi = new Hono<AppEnv>()
  publicApi.route('/', serveRoutes(services))
  publicApi.route('/', eventRoutes(services))
  // POST /leads is public; GET /leads and below are the admin's (guarded below).
  publicApi.route('/', leadSubmitRoutes(services, { followUp: (event) => followUp(services, event) }))
  app.route('/api/v1', publicApi)
  app.route('/api/v1', engagementRoutes(services))

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
    '/leads',
    '/content',
    '/webhooks',
    '/outbox',
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
  admin.route('/sites', siteRoutes(services))
  admin.route('/audiences', audienceRoutes(services))
  admin.route('/conversions', conversionRoutes(services))
  admin.route('/analytics', overviewRoutes(services))
  admin.route('/content', contentRoutes(services))
  admin.route('/leads', leadAdminRoutes(services))
  admin.route('/webhooks', webhookRoutes(services))
  admin.route('/outbox', outboxRoutes(services))
  // The blueprint's per-type paths (/campaigns/awareness/…) first, so a type name is never read as an id.
  // A type is lowercase letters and underscores; a campaign id (UUID) always has digits or hyphens.
  admin.route(
    '/campaigns/:type{[a-z_]+}',
    campaignRoutes(services, (type) => {
      const parsed = campaignType.safeParse(type)
      if (!parsed.success) throw new ApiError('not_found', `Unknown campaign type: ${type.slice(0, 40)}`)
      return parsed.data
    }),
  )
  admin.route('/campaigns', campaignRoutes(services))
  app.route('/api/v1', admin)

  if (deps.assets) {
    const assets = deps.assets
    app.get('*', async (c, next) => {
      const response = await assets(c.req.path)
      if (response) return response
      await next()
    })
  }

  return Object.assign(app, { services })
}
