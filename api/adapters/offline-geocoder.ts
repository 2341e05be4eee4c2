import type { Geocoder, GeoPoint, KnownPlace } from '../ports/geocoder'

/** Lower case, without accents, spaces or dashes: "Saint-Étienne" and "saint etienne" match. */
const folded = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')

const centroid = (places: readonly KnownPlace[]): GeoPoint => ({
  lat: places.reduce((sum, p) => sum + p.lat, 0) / places.length,
  lng: places.reduce((sum, p) => sum + p.lng, 0) / places.length,
})

/** Characters a postcode must share with a store's to count as near it. */
const minPrefix = 2

/**
 * The default geocoder, with no network: a query with a digit is a postcode, placed at the stores whose postcodes
 * share the longest prefix with it (at least two characters); anything else is a city, placed at the stores in a
 * city of that name. Only the site's own stores are known, so it answers "which of our stores are near 75012",
 * not where 75012 is on a map.
 */
export const offlineGeocoder: Geocoder = {
  async locate(query, { country, known }) {
    const q = folded(query)
    if (!q) return null
    const places = country ? known.filter((p) => p.country === country) : known
    if (/\d/.test(q)) {
      let best = 0
      let matches: KnownPlace[] = []
      for (const place of places) {
        const code = place.postalCode ? folded(place.postalCode) : ''
        let shared = 0
        while (shared < code.length && shared < q.length && code[shared] === q[shared]) shared++
        if (shared < minPrefix || shared < best) continue
        if (shared > best) {
          best = shared
          matches = []
        }
        matches.push(place)
      }
      return matches.length > 0 ? centroid(matches) : null
    }
    const inCity = places.filter((p) => folded(p.city) === q)
    return inCity.length > 0 ? centroid(inCity) : null
  },
}
