/**
 * The visit chunk: measuring the landing of a Promo click and counting a visit through a shared link. Most page
 * views are neither, so the page runtime (./index.ts) fetches this only for a view whose address names a click
 * or a share, or that a clicked page left a note for.
 */
export { landingInUrl } from './in-url'
export { measureLanding } from './landing'
export { sharedInUrl } from './shared-link'
