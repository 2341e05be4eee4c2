/** A map's box in degrees: west, south, east, north (OpenStreetMap's `bbox` order). */
export type Bounds = [west: number, south: number, east: number, north: number]

interface Point {
  lat: number
  lng: number
}

/** The least a side of the box spans, in degrees (about a kilometre): a lone store is shown at street level. */
const leastSpan = 0.01
/** Web maps (Web Mercator) stop short of the poles. */
const maxLat = 85

const clamp = (value: number, limit: number) => Math.min(limit, Math.max(-limit, value))
/** Five decimals (about a metre) keep the URL short and free of floating-point tails. */
const round = (value: number) => Math.round(value * 1e5) / 1e5

function box(west: number, south: number, east: number, north: number): Bounds {
  return [
    round(clamp(west, 180)),
    round(clamp(south, maxLat)),
    round(clamp(east, 180)),
    round(clamp(north, maxLat)),
  ]
}

/**
 * The box that holds every point, with a margin of a tenth of its span on each side (at least half the least
 * span, so one store or stores on one street still get a readable map). West to east runs as the numbers do:
 * stores on both sides of the antimeridian get the box the long way round. Needs at least one point.
 */
export function boundsOf(points: readonly Point[]): Bounds {
  const lats = points.map((point) => point.lat)
  const lngs = points.map((point) => point.lng)
  const [south, north, west, east] = [
    Math.min(...lats),
    Math.max(...lats),
    Math.min(...lngs),
    Math.max(...lngs),
  ]
  const latPad = Math.max((north - south) / 10, leastSpan / 2)
  const lngPad = Math.max((east - west) / 10, leastSpan / 2)
  return box(west - lngPad, south - latPad, east + lngPad, north + latPad)
}

/** A box of the same size with `point` at its centre: the map of the shown stores, re-centred on the one picked. */
export function centredOn([west, south, east, north]: Bounds, point: Point): Bounds {
  const halfWidth = (east - west) / 2
  const halfHeight = (north - south) / 2
  return box(point.lng - halfWidth, point.lat - halfHeight, point.lng + halfWidth, point.lat + halfHeight)
}

/** OpenStreetMap's embeddable map of `bounds`, with its one marker at `marker`. */
export const embedUrl = (bounds: Bounds, marker: Point) =>
  `https://www.openstreetmap.org/export/embed.html?bbox=${bounds.join(',')}&layer=mapnik&marker=${marker.lat},${marker.lng}`
