/**
 * The page runtime: what the SDK reads from the page itself (its Open Graph tags, for the content catalog) and
 * measures on it (landings from Promo clicks, visits through links visitors shared). It rides in the unit
 * runtime's chunk (sdk/units.ts), which the loader fetches with the first page view: the loader has no room left
 * in its size budget, and the chunk is content-hashed and cached for good.
 */
import type { Decision } from '../../schema/serve'
import { type HandoffStore, landingInUrl, noteClick, takeLanding } from './handoff'
import { type Landing, type LandingPorts, measureLanding } from './landing'
import { pageMeta } from './meta'
import { sharedInUrl } from './shared-link'

type ProductModule = typeof import('./product')

export interface PageContext extends HandoffStore, LandingPorts {}

export interface PageRuntime {
  /**
   * A page view, before its `page` event goes: answers the page's catalog props for that event. A view of another
   * path or query ends the landing being measured (the visitor went on) and starts measuring this one when a
   * Promo click led here.
   */
  viewed(): Record<string, string>
  /** A unit's link was activated; `url` is where it leads, else the creative's `ctaUrl`, which its click URL signs. */
  clicked(decision: Decision, url?: string): void
  /** The page is hidden or going away: the landing view, if any, is over. */
  left(): void
}

/**
 * `load` fetches a chunk of the manifest by name (the loader's): here the product page reader (sdk/page/product.ts).
 */
export function createPage(context: PageContext, load: (name: string) => Promise<unknown>): PageRuntime {
  let where: string | undefined
  let landing: Landing | undefined
  return {
    viewed() {
      const here = location.pathname + location.search
      if (here !== where) {
        // Only the view the page loaded with is named by its address: a single-page app's route may keep its query.
        const loaded = where === undefined
        where = here
        landing?.end(true)
        const ids = takeLanding(context) ?? (loaded ? landingInUrl() : undefined)
        landing = ids && measureLanding(ids, context)
        // One `share_landing` per visit through a shared link: the view the page loaded with.
        const shared = loaded && sharedInUrl()
        if (shared) context.send('share_landing', { campaignId: shared.campaignId }, { share: shared.share })
        // A product page's product, for the sales catalog: its reader is a chunk of its own, fetched only on a
        // page with product metadata. A chunk that fails to load is a product not learned this time.
        if (document.querySelector('[property^=product],[type$=json]')) {
          load('product').then(
            (module) => (module as ProductModule).learn(context),
            () => {},
          )
        }
      }
      return pageMeta()
    },
    clicked(decision, url = decision.creative.ctaUrl) {
      if (url) noteClick(context, decision, url)
    },
    left() {
      landing?.end(false)
    },
  }
}
