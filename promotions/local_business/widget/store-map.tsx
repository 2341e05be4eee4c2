import type { NearStore } from '../answers'
import { boundsOf, centredOn, embedUrl } from './map-bounds'

interface Props {
  stores: readonly NearStore[]
  /** The store picked in the list, by ref: the map centres on it; else it fits them all, marking the nearest. */
  picked?: string
  height: number
  title: string
  /** The admin's preview: the box keeps its size, and nothing loads from OpenStreetMap. */
  preview?: boolean
}

/**
 * The stores on OpenStreetMap's embedded map, drawn only when the campaign turns the map on. The box holds its
 * height from the first paint, so nothing moves when the frame arrives. The frame is lazy, sends no referrer and
 * is sandboxed (its own scripts and storage, popups for its "larger map" link; no top navigation, no forms); it is
 * cross-origin, so it never reaches the page. A newly picked store gets a new frame rather than a new `src`: a
 * frame navigated again would add an entry to the page's history.
 */
export function StoreMap({ stores, picked, height, title, preview }: Props) {
  const marked = stores.find((store) => store.ref === picked) ?? stores[0]
  const all = marked && !preview ? boundsOf(stores) : undefined
  const src = marked && all && embedUrl(picked ? centredOn(all, marked) : all, marked)
  return (
    <div class="map" style={{ height: `${height}px` }}>
      {src && (
        <iframe
          key={src}
          src={src}
          title={title}
          loading="lazy"
          referrerpolicy="no-referrer"
          sandbox="allow-scripts allow-same-origin allow-popups"
        />
      )}
    </div>
  )
}
