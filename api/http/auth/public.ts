import type { Context } from 'hono'
import { ApiError } from '../../core/errors'
import { isPublishableKey } from '../../services/auth/keys'
import type { Services } from '../../services/index'
import type { PublicSite } from '../../services/sites-directory'
import { headerOf } from '../request'

/**
 * Public endpoints: the publishable key names the site; a browser request must come from one of the site's
 * allowed origins, and only those get CORS headers. Requests without an Origin (servers, curl) pass.
 */
export async function publicSite(
  c: Context,
  services: Services,
  key: string,
  /** False for an admin already authenticated (the admin app calls from its own origin, not the site's). */
  checkOrigin = true,
): Promise<PublicSite> {
  const site = isPublishableKey(key) ? await services.sites.byPublishableKey(key) : null
  if (!site)
    throw new ApiError('unauthorized', 'Unknown publishable key', [{ path: 'site', message: 'unknown key' }])
  const origin = headerOf(c, 'origin')
  if (origin !== undefined && checkOrigin) {
    if (!site.allowedOrigins.includes(origin)) {
      throw new ApiError('origin_not_allowed', `Origin ${origin.slice(0, 200)} is not allowed for this site`)
    }
    allowOrigin(c, origin)
  }
  return site
}

export function allowOrigin(c: Context, origin: string): void {
  c.header('Access-Control-Allow-Origin', origin)
  c.header('Access-Control-Allow-Credentials', 'false')
  c.header('Vary', 'Origin')
}

/** Preflight for public routes: the site comes from `?site=`, since a preflight carries no body. */
export async function publicPreflight(c: Context, services: Services): Promise<Response> {
  const origin = headerOf(c, 'origin')
  const key = c.req.query('site') ?? ''
  const site = isPublishableKey(key) ? await services.sites.byPublishableKey(key) : null
  if (origin && site?.allowedOrigins.includes(origin)) {
    allowOrigin(c, origin)
    c.header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
    c.header('Access-Control-Allow-Headers', 'Content-Type')
    c.header('Access-Control-Max-Age', '86400')
  }
  return c.body(null, 204)
}
