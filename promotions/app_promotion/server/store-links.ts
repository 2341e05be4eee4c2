import { clickIdMacro } from '../../../schema/landing'
import type { AppPromotionConfig } from '../config'
import type { AppPlatform } from '../platform'

/** Google Play's `referrer` is read back by the app through the Install Referrer API; it holds at most this much. */
const maxReferrer = 1_000
type StoreConfig = Pick<AppPromotionConfig, 'appStoreUrl' | 'playStoreUrl' | 'appStoreProviderToken'>

/** A URL with a query parameter set (replacing one of the same name), its fragment kept. */
function withParam(url: string, name: string, value: string): string {
  const parsed = new URL(url)
  parsed.searchParams.set(name, value)
  // URLSearchParams encodes the macro's braces; the redirect replaces the encoded form too.
  return parsed.toString()
}

/**
 * The store link for a platform, carrying the campaign through the signed click: Google Play's `referrer`
 * (`utm_source=promo&utm_medium=onsite&utm_campaign=<campaign>&promo_click=<click id>`, which the app reads
 * with the Install Referrer API on first launch) and the App Store's campaign token `ct` (the click id, 36 of its 40 characters; and the
 * provider token `pt` when configured), which App Store Connect reports by campaign. The click id is the click
 * redirect's macro, filled in when the click is recorded. Desktop has no store; undefined.
 */
export function storeLinkFor(
  config: StoreConfig,
  platform: AppPlatform,
  campaignName: string,
): string | undefined {
  if (platform === 'android' && config.playStoreUrl) {
    // Built by hand so the macro stays one percent-encoding deep once the referrer is a parameter itself.
    const campaign = encodeURIComponent(campaignName.slice(0, 100))
    const referrer = `utm_source=promo&utm_medium=onsite&utm_campaign=${campaign}&promo_click=${clickIdMacro}`
    return withParam(config.playStoreUrl, 'referrer', referrer.slice(0, maxReferrer))
  }
  if (platform === 'ios' && config.appStoreUrl) {
    const url = withParam(config.appStoreUrl, 'ct', clickIdMacro)
    return config.appStoreProviderToken ? withParam(url, 'pt', config.appStoreProviderToken) : url
  }
  return undefined
}

/** Where the desktop QR code leads: the configured URL, else the fallback page, else a store (App Store first). */
export function qrTargetFor(config: AppPromotionConfig, campaignName: string): string | undefined {
  return (
    config.qr.url ??
    config.fallbackUrl ??
    storeLinkFor(config, 'ios', campaignName) ??
    storeLinkFor(config, 'android', campaignName)
  )
}
