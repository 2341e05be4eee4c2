import type { ServerType } from '../../../api/promotion'
import { remarketingConfig } from '../config'
import { remarketingFiller } from './filler'
import { remarketingAnalytics } from './kpis'

/**
 * Remarketing, server side: the campaign's audience (kept by the audience engine under the campaign's audience
 * key, which serve requires of a visitor), the decisions' sequence step, the visitor's own products and the
 * incentive (the filler), and the audience and recovery KPIs.
 */
export const remarketing: ServerType = {
  format: (config) => (typeof config.format === 'string' ? config.format : 'popup'),
  audience: (config) => {
    const parsed = remarketingConfig.safeParse(config)
    return parsed.success ? { audience: parsed.data.audience, exclude: parsed.data.exclude } : undefined
  },
  filler: remarketingFiller,
  // The reveal of a unique code sends back the decision's visitor token: only a served member gets one.
  visitorProof: true,
  // The incentive's codes (a shared code, or a pool of unique ones made on the Promo codes screen) are redeemed
  // in the incentive's currency, and take off what it offers.
  promoCodes: (config) => {
    const parsed = remarketingConfig.safeParse(config)
    if (!parsed.success) return undefined
    const incentive = parsed.data.incentive
    return incentive
      ? { currency: incentive.currency, discount: { type: incentive.type, value: incentive.value } }
      : { currency: 'USD' }
  },
  // The audience and its exclusions, and message 2 until it is due, are the site's alone: the filler sends the
  // message when the visitor's sequence reaches it.
  publicConfig: (config) => {
    const { audience: _audience, exclude: _exclude, sequence: _sequence, ...shown } = config
    return shown
  },
  analytics: remarketingAnalytics,
}
