/**
 * What the page's own address says about the visit: a Promo click the redirect named, and whether the page was
 * reached by following a link at all. In the visit chunk (./visit.ts), which only such pages fetch.
 */
import { landingCampaignParam, landingVariantParam } from '../../schema/landing'
import type { LandingIds } from './handoff'

const id = /^[\da-f-]{36}$/i

/**
 * The click the page's address names, as the redirect appended it (`utm_id` and `promo_variant`; ids the events
 * endpoint checks belong to the site), when the page was loaded by following a link: a reload, or a step back to
 * it, is no new landing.
 */
export function landingInUrl(href = location.href): LandingIds | undefined {
  const query = new URL(href).searchParams
  const campaignId = query.get(landingCampaignParam) ?? ''
  const variantId = query.get(landingVariantParam) ?? ''
  return id.test(campaignId) && id.test(variantId) && followedLink() ? { campaignId, variantId } : undefined
}

/**
 * The page was loaded by following a link: `navigate`, or `prerender` (a page prerendered for a link); not a
 * `reload`, nor a step `back_forward` to it.
 */
export function followedLink(): boolean {
  const load = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined
  return !/^[rb]/.test(load?.type ?? '')
}
