import type { Context, MiddlewareHandler } from 'hono'
import { ApiError } from '../core/errors'
import { databaseUnavailable } from '../ports/database'
import { isPublishableKey } from '../services/auth/keys'
import type { Services } from '../services/index'
import { type LimitName, limitsOf } from '../services/limits/rules'
import { clientIp } from './client-ip'
import { jsonBody } from './request'

/** The site a request is for, as an id; undefined when the request names none this server knows. */
export type SiteOf = (c: Context, services: Services) => Promise<string | undefined> | string | undefined

/** Requests that name no known site share one tally, apart from every real site's. */
const noSite = '-'

const siteByKey = async (services: Services, key: unknown) => {
  if (typeof key !== 'string' || !isPublishableKey(key)) return undefined
  try {
    return (await services.sites.byPublishableKey(key))?.id
  } catch (error) {
    // A database outage is the route's to answer (serve keeps serving without it): counted as no known site.
    if (databaseUnavailable(error)) return undefined
    throw error
  }
}

/** The publishable key in a JSON body's `site`, the way public POSTs carry it (parsed once, for the route too). */
export const siteInBody: SiteOf = async (c, services) => {
  const body = await jsonBody(c)
  return siteByKey(services, (body as { site?: unknown } | undefined)?.site)
}

/** `?site=`, as public GETs carry it. */
export const siteInQuery: SiteOf = (c, services) => siteByKey(services, c.req.query('site'))

/** The site a signed click token names; an unsigned one names none, so it cannot spend another site's limit. */
export const siteInClickToken: SiteOf = (c, services) => services.signer.verify(c.req.param('token') ?? '')?.s

export interface LimitedRoute {
  method: 'GET' | 'POST'
  path: string
  limits: LimitName
  site: SiteOf
}

/**
 * The generic public routes and their limits; a promotion type lists its own routes' in its `limits`, with their
 * defaults in rules.ts. `createApp` puts each in front of its route, after the body size limit.
 */
export const limitedRoutes: LimitedRoute[] = [
  { method: 'POST', path: '/api/v1/serve', limits: 'serve', site: siteInBody },
  { method: 'GET', path: '/api/v1/campaigns/:type/serve', limits: 'serve', site: siteInQuery },
  { method: 'POST', path: '/api/v1/events', limits: 'events', site: siteInBody },
  { method: 'GET', path: '/r/:token', limits: 'clicks', site: siteInClickToken },
]

/**
 * The route's limits, in the shared store: first per visitor address and site, then per site. A request one
 * address is refused does not count against its site, so one flooding address cannot use up what the site's
 * other visitors share. Past a limit: 429 with Retry-After. Without a known address (tests through
 * `app.request`, a local proxy nobody said to trust) only the site limit applies.
 */
export function rateLimit(services: Services, route: LimitedRoute): MiddlewareHandler {
  const { address, site: perSite } = limitsOf(route.limits, services.deps.rateLimits)
  const addressKey = `rl:${route.limits}:`
  const siteKey = `rl:${route.limits}`
  const counter = services.rateCounter
  return async (c, next) => {
    const site = (await route.site(c, services)) ?? noSite
    const now = services.now()
    const ip = address ? clientIp(c, services.deps.clientIpHeader) : undefined
    // A counter answers a number when it can (in memory, the pre-count): no promise on every request.
    let wait = ip ? counter.hit(site, addressKey + ip, address!, now) : 0
    if (typeof wait !== 'number') wait = await wait
    if (wait === 0 && perSite) {
      wait = counter.hit(site, siteKey, perSite, now)
      if (typeof wait !== 'number') wait = await wait
    }
    if (wait > 0) {
      throw new ApiError('rate_limited', 'Too many requests: try again shortly', undefined, {
        'Retry-After': String(Math.max(1, Math.ceil(wait / 1000))),
      })
    }
    return next()
  }
}
