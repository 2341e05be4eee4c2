import { sha256Hex } from '../../schema/conversions'
import type { Geocoder, GeoPoint } from '../ports/geocoder'
import { offlineGeocoder } from './offline-geocoder'

export interface NominatimOptions {
  /** The service's base URL (`https://nominatim.openstreetmap.org`, or a self-hosted server); `/search` is added. */
  baseUrl: string
  /** Who is asking, with a contact (Nominatim's usage policy asks for one): `Promo (ops@example.com)`. */
  userAgent: string
  /** How long one request may take before the offline answer is used. Default 2000 ms. */
  timeoutMs?: number
  /** How many answers stay in memory (newest kept). Default 500. */
  cacheSize?: number
  /** How long an answer stays in memory. Default one hour. */
  cacheTtlMs?: number
  /** Where the service's answers are asked when nothing is cached or known; tests give a fake. */
  fetch?: typeof fetch
  /** Used when the service fails or finds nothing. Default the offline geocoder. */
  fallback?: Geocoder
  now?: () => number
}

const inRange = (lat: number, lng: number) =>
  Number.isFinite(lat) && Number.isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180

/** The first result of a `format=jsonv2` answer (`[{lat: "48.85", lon: "2.35", …}]`); null for anything else. */
export function parseNominatim(body: unknown): GeoPoint | null {
  if (!Array.isArray(body) || body.length === 0) return null
  const first = body[0] as { lat?: unknown; lon?: unknown } | null
  if (!first || typeof first !== 'object') return null
  const lat = typeof first.lat === 'string' || typeof first.lat === 'number' ? Number(first.lat) : Number.NaN
  const lng = typeof first.lon === 'string' || typeof first.lon === 'number' ? Number(first.lon) : Number.NaN
  return inRange(lat, lng) ? { lat, lng } : null
}

/** The cache's key: a digest of the country and the query, so the typed text itself is not what memory holds. */
const keyOf = (query: string, country: string | undefined): Promise<string> =>
  sha256Hex(`${country ?? ''}\n${query.trim().toLowerCase()}`)

/**
 * A geocoder over a Nominatim-compatible search API (`GET /search?format=jsonv2&q&countrycodes&limit=1`), on only
 * when configured. It sends the typed query and the visitor's country and nothing else (no address, no cookie, no
 * referrer), never logs or stores the query, keeps recent answers in memory under a digest of it, and answers
 * with the offline geocoder when the service is slow, fails, answers something it cannot read or finds nothing.
 */
export class NominatimGeocoder implements Geocoder {
  private readonly cache = new Map<string, { point: GeoPoint | null; until: number }>()
  private readonly search: string
  private readonly fetcher: typeof fetch
  private readonly fallback: Geocoder
  private readonly now: () => number

  constructor(private readonly options: NominatimOptions) {
    this.search = `${options.baseUrl.replace(/\/+$/, '')}/search`
    this.fetcher = options.fetch ?? ((input, init) => fetch(input, init))
    this.fallback = options.fallback ?? offlineGeocoder
    this.now = options.now ?? Date.now
  }

  async locate(query: string, options: Parameters<Geocoder['locate']>[1]): Promise<GeoPoint | null> {
    const found = await this.remote(query, options.country).catch(() => null)
    return found ?? this.fallback.locate(query, options)
  }

  private async remote(query: string, country: string | undefined): Promise<GeoPoint | null> {
    const q = query.trim()
    if (!q) return null
    const key = await keyOf(q, country)
    const cached = this.cache.get(key)
    if (cached && cached.until > this.now()) return cached.point
    const params = new URLSearchParams({ format: 'jsonv2', q, limit: '1' })
    if (country) params.set('countrycodes', country.toLowerCase())
    const response = await this.fetcher(`${this.search}?${params}`, {
      headers: { 'user-agent': this.options.userAgent, accept: 'application/json' },
      redirect: 'error',
      referrerPolicy: 'no-referrer',
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 2000),
    })
    if (!response.ok) {
      await response.body?.cancel()
      return null
    }
    const point = parseNominatim(await response.json())
    this.remember(key, point)
    return point
  }

  private remember(key: string, point: GeoPoint | null) {
    const size = this.options.cacheSize ?? 500
    if (size <= 0) return
    this.cache.delete(key)
    while (this.cache.size >= size) {
      const oldest = this.cache.keys().next().value
      if (oldest === undefined) break
      this.cache.delete(oldest)
    }
    this.cache.set(key, { point, until: this.now() + (this.options.cacheTtlMs ?? 3_600_000) })
  }
}
