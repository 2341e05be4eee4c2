import type { GeoPoint } from '../../../api/ports/geocoder'
import { type LocalMoment, type OpenState, openState } from '../hours'
import type { StoreRow } from './stores'

const earthRadiusKm = 6371.0088
const kmPerMile = 1.609344
const radians = (degrees: number) => (degrees * Math.PI) / 180

/** Great-circle distance in km (haversine). */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const dLat = radians(b.lat - a.lat)
  const dLng = radians(b.lng - a.lng)
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(dLng / 2) ** 2
  return 2 * earthRadiusKm * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** Where the visitor is taken to be: a point (typed place or the browser's position), or the network's area. */
export type Origin =
  | { kind: 'point'; point: GeoPoint }
  | { kind: 'area'; country?: string; region?: string; city?: string }

export interface NearestOptions {
  maxStores: number
  radiusKm: number
  unit: 'km' | 'mi'
  sku?: string
  now: Date
}

export interface NearStore {
  ref: string
  name: string
  street: string
  city: string
  postalCode: string | null
  country: string
  lat: number
  lng: number
  phone: string | null
  url: string | null
  services: string[]
  /** In the config's unit, one decimal; null when the origin is an area, not a point. */
  distance: number | null
  open: boolean
  closesAt: LocalMoment | null
  opensAt: LocalMoment | null
  /** Whether the store has the SKU in stock; null when no SKU was asked or the store does not list it. */
  inStock: boolean | null
}

const fold = (text: string | null | undefined) =>
  (text ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')

/** How well a store matches the network's area: 3 its city, 2 its region, 1 its country, 0 not at all. */
function areaScore(store: StoreRow, area: Extract<Origin, { kind: 'area' }>): number {
  if (!area.country || store.country !== area.country) return 0
  if (area.city && fold(store.city) === fold(area.city)) return 3
  // The edge's region is ISO 3166-2 (`US-NY`); a store's is what the site typed (`NY` or `New York`).
  const regionCode = area.region?.split('-')[1]
  if (regionCode && fold(store.region) === fold(regionCode)) return 2
  return 1
}

function answerOf(store: StoreRow, distance: number | null, options: NearestOptions): NearStore {
  const state: OpenState = openState(
    { timeZone: store.timeZone, weekly: store.hours, special: store.specialDays },
    options.now,
  )
  const units = options.sku === undefined ? undefined : store.inventory[options.sku]
  return {
    ref: store.ref,
    name: store.name,
    street: store.street,
    city: store.city,
    postalCode: store.postalCode,
    country: store.country,
    lat: store.lat,
    lng: store.lng,
    phone: store.phone,
    url: store.url,
    services: store.services,
    distance:
      distance === null
        ? null
        : Math.round((options.unit === 'mi' ? distance / kmPerMile : distance) * 10) / 10,
    open: state.open,
    closesAt: state.open ? state.closesAt : null,
    opensAt: state.open ? null : state.opensAt,
    inStock: units === undefined ? null : units > 0,
  }
}

const byRef = (a: StoreRow, b: StoreRow) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0)

/**
 * The stores nearest the origin, nearest first (ties by ref), within the radius; for an area, the stores in its
 * city, then its region, then its country (by name), with no distance since the area is no point.
 */
export function nearestStores(
  stores: readonly StoreRow[],
  origin: Origin,
  options: NearestOptions,
): NearStore[] {
  if (origin.kind === 'point') {
    return stores
      .map((store) => ({ store, km: distanceKm(origin.point, store) }))
      .filter((entry) => entry.km <= options.radiusKm)
      .sort((a, b) => a.km - b.km || byRef(a.store, b.store))
      .slice(0, options.maxStores)
      .map((entry) => answerOf(entry.store, entry.km, options))
  }
  return stores
    .map((store) => ({ store, score: areaScore(store, origin) }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.store.name.localeCompare(b.store.name) || byRef(a.store, b.store))
    .slice(0, options.maxStores)
    .map((entry) => answerOf(entry.store, null, options))
}
