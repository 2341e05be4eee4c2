/**
 * How the page a Promo click leads to knows the click without any storage (opened in another browser, on another
 * subdomain, or storage refused): the click redirect appends the clicked campaign's id as `utm_id` (the UTM
 * parameter GA4 reads as the campaign id) and its variant's id as `promo_variant`, a parameter of Promo's own,
 * so the site's `utm_content` stays the site's. Both are appended only when the link sets neither: a link that
 * names its own campaign id keeps it, and its landing is known from the note the clicking page leaves.
 */
export const landingCampaignParam = 'utm_id'
export const landingVariantParam = 'promo_variant'

/**
 * A link a visitor shared from an engagement unit carries the share's own id (a UUID) here, beside
 * `utm_source=<network>&utm_medium=share&utm_campaign=<campaign id>`; the page it leads to counts the visit.
 */
export const shareParam = 'promo_share'

/**
 * Query parameters that name a visit, not a page: campaign tags (Promo's variant too) and ad-click ids. The catalog
 * keys pages without them (promotions/traffic/server/catalog.ts), and so does the SDK when it matches a landing to its click.
 */
export const visitParam = /^(utm_.*|promo_variant|promo_share|fbclid|gclid|dclid|gbraid|wbraid|msclkid)$/i

/**
 * A signed destination may hold this macro (as is or percent-encoded, as inside a store's `referrer`): the click
 * redirect puts the id of the click it records there, so the page or app store it leads to can hand the click id
 * on (an install referrer). A repeat click within the duplicate window records nothing, and gets an empty id.
 */
export const clickIdMacro = '{click_id}'

/** A click URL with `&q=1` was reached by scanning a QR code: the recorded click carries this prop as `true`. */
export const scannedProp = 'scanned'
