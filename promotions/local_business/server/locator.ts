import { and, eq, inArray } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import { offlineGeocoder } from '../../../api/adapters/offline-geocoder'
import { ApiError } from '../../../api/core/errors'
import { geoOf } from '../../../api/core/visitor'
import { publicPreflight, publicSite } from '../../../api/http/auth/public'
import type { AppEnv } from '../../../api/http/env'
import { headerOf, parseQuery } from '../../../api/http/request'
import type { GeoPoint } from '../../../api/ports/geocoder'
import type { Services } from '../../../api/services/index'
import { campaigns, stores } from '../../../schema/db'
import { type LocalBusinessConfig, localBusinessConfig } from '../config'
import { sku } from '../store'
import { nearestStores, type Origin } from './nearest'

const coordinate = (min: number, max: number) =>
  z.coerce
    .number()
    .refine((n) => Number.isFinite(n) && n >= min && n <= max, `must be between ${min} and ${max}`)

export const locatorQuery = z
  .strictObject({
    site: z.string().max(100),
    campaignId: z.uuid(),
    /** A typed postcode or city. */
    q: z.string().trim().min(1).max(100).optional(),
    /** The browser's position, sent only after the visitor tapped "use my location"; never stored. */
    lat: coordinate(-90, 90).optional(),
    lng: coordinate(-180, 180).optional(),
    /** The product whose local stock to show; the campaign's own SKU when absent. */
    sku: sku.optional(),
  })
  .refine((q) => (q.lat === undefined) === (q.lng === undefined), {
    message: 'lat and lng go together',
    path: ['lng'],
  })
  .refine((q) => q.q === undefined || q.lat === undefined, { message: 'either q or lat/lng', path: ['q'] })

/** The config of the site's local_business campaign (any status but draft and archived); 404 for any other. */
async function configOf(
  services: Services,
  siteId: string,
  campaignId: string,
): Promise<LocalBusinessConfig> {
  const [row] = await services.db
    .select({ config: campaigns.config })
    .from(campaigns)
    .where(
      and(
        eq(campaigns.id, campaignId),
        eq(campaigns.siteId, siteId),
        eq(campaigns.type, 'local_business'),
        inArray(campaigns.status, ['active', 'paused', 'completed']),
      ),
    )
    .limit(1)
  if (!row) {
    throw new ApiError('not_found', 'No store locator campaign with this id on this site', [
      { path: 'campaignId', message: 'not found' },
    ])
  }
  return localBusinessConfig.parse(row.config)
}

/** Cloudflare's approximate position of the request's address, on Workers only. */
function edgePoint(cf: unknown): GeoPoint | undefined {
  if (typeof cf !== 'object' || cf === null) return undefined
  const { latitude, longitude } = cf as { latitude?: unknown; longitude?: unknown }
  const lat = Number(latitude)
  const lng = Number(longitude)
  if (typeof latitude !== 'string' || typeof longitude !== 'string') return undefined
  return Number.isFinite(lat) && Number.isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180
    ? { lat, lng }
    : undefined
}

/**
 * `GET /locator`: the campaign's nearest stores, open now or when they open, and stock of a SKU. The origin is
 * the typed place (`q`, through the geocoder), the browser's position (`lat`/`lng`, only with `geolocation:
 * precise`), or else the request's network location (country, region, city; Cloudflare's approximate point on
 * Workers). None of it is stored or logged.
 */
export function locatorRoutes(services: Services) {
  const app = new Hono<AppEnv>()
  const geocoder = services.deps.geocoder ?? offlineGeocoder

  app.options('/locator', (c) => publicPreflight(c, services))
  app.get('/locator', async (c) => {
    const query = parseQuery(c, locatorQuery)
    const site = await publicSite(c, services, query.site)
    const config = await configOf(services, site.id, query.campaignId)
    // Every store of the site places a typed postcode; the campaign's own are the ones it answers with.
    const siteStores = await services.db.select().from(stores).where(eq(stores.siteId, site.id))
    const chosen = config.storeRefs ? new Set(config.storeRefs) : undefined
    const rows = chosen ? siteStores.filter((row) => chosen.has(row.ref)) : siteStores
    const cf = (c.req.raw as { cf?: unknown }).cf
    const geo = geoOf({ header: (name) => headerOf(c, name), cf, geoHeaders: services.deps.geoHeaders })
    let origin: Origin | undefined
    let from: 'query' | 'position' | 'network' | 'none' = 'none'
    if (query.q !== undefined) {
      const known = siteStores.map((r) => ({
        lat: r.lat,
        lng: r.lng,
        postalCode: r.postalCode,
        city: r.city,
        country: r.country,
      }))
      let point: GeoPoint | null
      try {
        point = await geocoder.locate(query.q, { ...(geo.country ? { country: geo.country } : {}), known })
      } catch {
        point = await offlineGeocoder.locate(query.q, { known })
      }
      // A place the visitor's country has no store in may be in another: try again without the country.
      if (!point && geo.country) point = await offlineGeocoder.locate(query.q, { known })
      if (point) origin = { kind: 'point', point }
      from = 'query'
    } else if (query.lat !== undefined && query.lng !== undefined) {
      if (config.geolocation !== 'precise') {
        throw new ApiError('validation_failed', 'lat: this locator does not take the browser position', [
          { path: 'lat', message: 'geolocation is not precise for this campaign' },
        ])
      }
      origin = { kind: 'point', point: { lat: query.lat, lng: query.lng } }
      from = 'position'
    } else if (config.geolocation !== 'off') {
      const point = edgePoint(cf)
      const cityHeader = services.deps.geoHeaders?.city
      const cfCity = typeof cf === 'object' && cf !== null ? (cf as { city?: unknown }).city : undefined
      const city = typeof cfCity === 'string' ? cfCity : cityHeader ? headerOf(c, cityHeader) : undefined
      origin = point
        ? { kind: 'point', point }
        : { kind: 'area', ...geo, ...(city ? { city: city.slice(0, 100) } : {}) }
      from = 'network'
    }
    const found = origin
      ? nearestStores(rows, origin, {
          maxStores: config.maxStores,
          radiusKm: config.radiusKm,
          unit: config.distanceUnit,
          now: new Date(services.now()),
          ...((query.sku ?? config.sku) ? { sku: (query.sku ?? config.sku)! } : {}),
        })
      : []
    c.header('Cache-Control', 'private, no-store')
    return c.json({ from, located: origin !== undefined, unit: config.distanceUnit, stores: found })
  })

  return app
}
