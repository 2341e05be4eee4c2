/**
 * The page runtime: what the SDK reads from the page itself (its Open Graph tags, for the content catalog) and
 * measures on it (landings from Promo clicks, visits through links visitors shared). It rides in the unit
 * runtime's chunk (sdk/units.ts), which the loader fetches with the first page view: the loader has no room left
 * in its size budget, and the chunk is content-hashed and cached for good. Measuring a landing or a shared link's
 * visit is a chunk of its own (./visit.ts, imported from here), fetched only when the view may be one.
 */
import { landingCampaignParam, landingVariantParam, shareParam } from '../../schema/landing'
import type { Decision } from '../../schema/serve'
import { type HandoffStore, type LandingIds, noteClick, takeLanding } from './handoff'
import type { Landing, LandingPorts } from './landing'
import { pageMeta } from './meta'

type ProductModule = typeof import('./product')
type VisitModule = typeof import('./visit')

/** Whether the address names a Promo click or a shared link: only then may the view the page loaded with be a visit to measure. */
const namesVisit = (href: string) => {
  const query = new URL(href).searchParams
  return [landingCampaignParam, landingVariantParam, shareParam].some((name) => query.has(name))
}

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
 * `loadVisit` fetches the visit chunk, a dynamic import of this one, so it takes what the two share from here.
 */
export function createPage(
  context: PageContext,
  load: (name: string) => Promise<unknown>,
  loadVisit: () => Promise<VisitModule> = () => import('./visit'),
): PageRuntime {
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
        landing = undefined
        const href = location.href
        const noted = takeLanding(context)
        const named = loaded && namesVisit(href)
        if (noted || named) landing = measureVisit(noted, named, href)
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

  /**
   * Fetches the visit chunk, then measures the landing (the click noted for this page, else the one its address
   * names) and counts a shared link's visit. A view that ends before the chunk is here ends as soon as it starts;
   * a chunk that fails to load is a visit not measured this time.
   */
  function measureVisit(noted: LandingIds | undefined, named: boolean, href: string): Landing {
    let measured: Landing | undefined
    let ended: boolean | undefined
    loadVisit().then(
      (visit) => {
        const ids = noted ?? (named ? visit.landingInUrl(href) : undefined)
        if (ids) {
          measured = visit.measureLanding(ids, context)
          if (ended !== undefined) measured.end(ended)
        }
        // One `share_landing` per visit through a shared link: the view the page loaded with.
        const shared = named && visit.sharedInUrl(href)
        if (shared) context.send('share_landing', { campaignId: shared.campaignId }, { share: shared.share })
      },
      () => {},
    )
    return {
      end(navigated) {
        if (measured) measured.end(navigated)
        else ended ??= navigated
      },
    }
  }
}
