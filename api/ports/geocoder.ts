/** A point on the globe, in degrees. */
export interface GeoPoint {
  lat: number
  lng: number
}

/** A place the site already knows (one of its stores), which an offline geocoder matches a query against. */
export interface KnownPlace extends GeoPoint {
  postalCode: string | null
  city: string
  country: string
}

/**
 * The geocoder port: where a typed postcode or city is. Null when it cannot tell. A network adapter throws when
 * it cannot reach its service; the caller then falls back to the offline answer. Queries are never stored.
 */
export interface Geocoder {
  locate(query: string, options: { country?: string; known: readonly KnownPlace[] }): Promise<GeoPoint | null>
}
