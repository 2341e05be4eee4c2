import type { Decision } from '../../schema/serve'

/** Where a unit's form posts (`POST /api/v1/leads`, RSVPs), as the loader knows it. */
export interface Sender {
  api: string
  site: string
  /** Absent when the visitor's analytics consent does not let the SDK keep ids: the API then links nothing. */
  anonymousId?: string
}

/**
 * Hears one `Promo.track` call of the page: its name and the props the page passed, as given (the page's own
 * object, unchecked: a listener reads it defensively and never changes it).
 */
export type TrackListener = (name: string, props?: Record<string, unknown>) => void

/** What a format is told by whoever mounts it: the loader on a site, or the admin app's live preview. */
export interface FormatContext {
  /**
   * The visitor activated the unit's link. The link itself navigates (through `decision.clickUrl` or an item's
   * signed `clickUrl`); `url` is where it ends up, when the format knows, so the SDK can recognise the landing.
   */
  onClick(url?: string): void
  /** The visitor closed the unit; the format has already hidden itself. */
  onClose(): void
  /** Admin preview: links do not navigate, and page-level units leave focus and keys alone. */
  preview?: boolean
  /** Records one of the unit's own events (video `play`, `video_25`, `mute`…); the preview leaves it out. */
  track?(name: string, props?: Record<string, string | number | boolean>): void
  /**
   * Calls `onViewable` once, when `element` (a part of the unit, such as one card of a rail) has met the MRC rule
   * the whole unit is held to; returns the function that stops watching. The preview has none.
   */
  watch?(element: Element, onViewable: () => void): () => void
  /** The unit's form was sent and the API took it: the page's `submit` listeners hear of it. */
  submitted?(): void
  /** Where the unit's form posts; the preview has none, and sends nothing. */
  sender?(): Sender
  /**
   * Calls `listener` when the page is hidden or goes away, before the events queued so far leave by beacon (a
   * form's `form_abandon`). One listener per unit; the preview has none.
   */
  onLeave?(listener: () => void): void
  /**
   * Calls `listener` with each event the page tracks (`Promo.track('AddToCart', {contents, value, currency})`) while
   * the unit is on the page; it stops when the unit goes. One listener per unit; the preview has none.
   */
  onTrack?(listener: TrackListener): void
  /** An error the format caught: to the page's `error` listeners, never thrown. */
  report?(error: unknown): void
}

/**
 * Draws one decision inside `host` (in a shadow root of its own) and returns the function that removes it.
 * The first element of the shadow root is the unit's visible box, which the loader measures for viewability.
 */
export type MountFormat = (host: HTMLElement, decision: Decision, ctx: FormatContext) => () => void

/** What every format chunk exports. */
export interface FormatModule {
  mount: MountFormat
}
