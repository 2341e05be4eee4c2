import type { TrackListener } from '../kit/context'
import type { LandingIds } from './handoff'

/** What a landing's events go out with: the clicked campaign's ids, and `value` for the visible seconds. */
export interface LandingFields extends LandingIds {
  value?: number
}

export interface LandingPorts {
  send(name: string, fields: Partial<LandingFields>, props?: Record<string, string>): void
  /** Calls back with each event the page tracks (`Promo.track`); returns the function that stops it. */
  onTrack(listener: TrackListener): () => void
  now?: () => number
}

export interface Landing {
  /**
   * The landing page view is over: `navigated` when the visitor went on to another page of this site in this tab
   * (a single-page app's route change), otherwise they left it (hid the tab, went away, closed it). Only the first
   * call counts.
   */
  end(navigated: boolean): void
}

const depths = [25, 50, 75, 100]
/**
 * What counts as interacting with the page: a click (or tap, or Enter on a link or button) and typing or choosing
 * in a field. Scrolling does not (it is measured on its own), nor do keys that only move around or are the
 * browser's (a touch that scrolls fires pointer events, Ctrl+W a keydown: neither is a click or an input).
 */
const interactions = ['click', 'input', 'change'] as const

/**
 * Measures one landing page view of a page reached through a Promo click, with the click's campaign and variant:
 * - `landing` at once;
 * - `scroll_25` … `scroll_100`, each once, when the bottom of the window first reaches that share of the page
 *   while the page is visible (a page that fits the window is read to its end at once);
 * - when the view ends, `time_on_page` once, with `value` = the seconds the page was visible (one decimal),
 *   and `bounce` when the visitor left without interacting: no click or tap, nothing typed or chosen in a field,
 *   no event tracked (`Promo.track`), and no second page in this tab (a link followed to another page is a
 *   click; a single-page app's route change ends the view as `navigated`).
 * The view ends the first time the visitor leaves the page or hides it; time after that is not counted.
 */
export function measureLanding(ids: LandingIds, ports: LandingPorts): Landing {
  const now = ports.now ?? Date.now
  const fields: LandingFields = { campaignId: ids.campaignId, variantId: ids.variantId }
  const visible = () => !document.hidden
  let visibleSince = visible() ? now() : undefined
  let interacted = false
  let ended = false
  const reached = new Set<number>()

  const measureDepth = () => {
    if (!visible()) return
    const height = Math.max(document.documentElement.scrollHeight, document.body?.scrollHeight ?? 0)
    // A pixel of rounding must not keep the visitor from the bottom of the page.
    const bottom = Math.ceil(scrollY + innerHeight) + 1
    for (const depth of depths) {
      if (reached.has(depth) || bottom < (height * depth) / 100) continue
      reached.add(depth)
      ports.send(`scroll_${depth}`, fields)
    }
  }
  const onVisibility = () => {
    if (!visible()) return
    visibleSince ??= now()
    measureDepth()
  }
  const interact = () => {
    interacted = true
  }
  const options = { capture: true, passive: true }
  const stopTracking = ports.onTrack(interact)
  addEventListener('scroll', measureDepth, options)
  addEventListener('resize', measureDepth, options)
  document.addEventListener('visibilitychange', onVisibility)
  for (const name of interactions) addEventListener(name, interact, options)

  ports.send('landing', fields)
  measureDepth()

  return {
    end(navigated) {
      if (ended) return
      ended = true
      stopTracking()
      removeEventListener('scroll', measureDepth, options)
      removeEventListener('resize', measureDepth, options)
      document.removeEventListener('visibilitychange', onVisibility)
      for (const name of interactions) removeEventListener(name, interact, options)
      // Visible from `visibleSince` until now, when the page is hidden or left for the first time.
      const visibleMs = visibleSince === undefined ? 0 : now() - visibleSince
      ports.send('time_on_page', { ...fields, value: Math.round(visibleMs / 100) / 10 })
      if (!navigated && !interacted) ports.send('bounce', fields)
    },
  }
}
