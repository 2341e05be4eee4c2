import { encode } from 'uqr'
import type { DecisionFiller } from '../../../api/promotion'
import type { Services } from '../../../api/services/index'
import type { AppPromotionConfig } from '../config'
import { type AppDecisionFields, type AppPlatform, platformOf } from '../platform'
import { qrTargetFor, storeLinkFor } from './store-links'

type Choice = Parameters<DecisionFiller['wanted']>[0][number]
type Campaign = Choice['campaign']
type Variant = Choice['variant']
type Visitor = Parameters<DecisionFiller['fill']>[2]

/** A campaign's store and QR click tokens, signed once per loaded variant (the config cannot change under it). */
interface Signed {
  store: Partial<Record<AppPlatform, string>>
  qr?: string
}

/** The QR code's modules, one `0`/`1` string per row (quiet zone left to the widget's padding). */
export function qrRows(text: string): string[] {
  const { data } = encode(text, { ecc: 'M', border: 0 })
  return data.map((row) => row.map((dark) => (dark ? '1' : '0')).join(''))
}

const configOf = (campaign: Campaign) => campaign.config as AppPromotionConfig
const isApp = (campaign: Campaign) => campaign.type === 'app_promotion'

/**
 * Serving's part of app promotions. The platform is the server's call, from the request's User-Agent: a
 * campaign whose `platforms` leave the visitor's out never competes (`eligible`), so that visitor gets no unit
 * and the page loads no chunk. A chosen unit is filled with `platform`, the signed click link to the store of
 * that platform (`storeUrl`: the click redirect records the click and puts its id in the store's campaign
 * parameters), and, on desktop, the QR code of the campaign's tracked link (`qr`: the link, with `&q=1` so the
 * click counts as a scan, and its module rows, encoded here so the widget chunk carries no encoder).
 */
export class AppServing {
  private readonly signed = new WeakMap<Variant, Signed>()
  private readonly apps = new WeakMap<Campaign[], boolean>()

  constructor(private readonly services: Services) {}

  eligible(campaigns: Campaign[], visitor: { device: string; os?: string | undefined }): Campaign[] {
    let any = this.apps.get(campaigns)
    if (any === undefined) {
      any = campaigns.some(isApp)
      this.apps.set(campaigns, any)
    }
    if (!any) return campaigns
    const platform = platformOf(visitor)
    return campaigns.filter(
      (campaign) =>
        !isApp(campaign) || (platform !== undefined && configOf(campaign).platforms.includes(platform)),
    )
  }

  wanted(choices: Choice[]): boolean {
    return choices.some((choice) => isApp(choice.campaign))
  }

  private signedFor(siteId: string, campaign: Campaign, variant: Variant): Signed {
    let signed = this.signed.get(variant)
    if (!signed) {
      const config = configOf(campaign)
      const sign = (u: string) => this.services.signer.sign({ s: siteId, c: campaign.id, v: variant.id, u })
      signed = { store: {} }
      for (const platform of ['ios', 'android'] as const) {
        const link = storeLinkFor(config, platform, campaign.name)
        if (link) signed.store[platform] = sign(link)
      }
      const target = config.qr.enabled ? qrTargetFor(config, campaign.name) : undefined
      if (target) signed.qr = sign(target)
      this.signed.set(variant, signed)
    }
    return signed
  }

  fill(siteId: string, choices: Choice[], visitor: Visitor) {
    const platform = visitor.context ? platformOf(visitor.context) : undefined
    const fields = new Map<Choice, (clickBase: string, query: string) => string>()
    const kept: Choice[] = []
    for (const choice of choices) {
      if (!isApp(choice.campaign)) {
        kept.push(choice)
        continue
      }
      // Judged again: a decision for a platform the campaign leaves out is never sent.
      if (!platform || !configOf(choice.campaign).platforms.includes(platform)) continue
      const signed = this.signedFor(siteId, choice.campaign, choice.variant)
      kept.push(choice)
      fields.set(choice, (clickBase, query) => {
        const added: AppDecisionFields = { platform }
        const store = platform === 'desktop' ? undefined : signed.store[platform]
        if (store) added.storeUrl = `${clickBase}${store}${query}`
        if (platform === 'desktop' && signed.qr) {
          const url = `${clickBase}${signed.qr}${query}&q=1`
          added.qr = { url, rows: qrRows(url) }
        }
        return `,${JSON.stringify(added).slice(1, -1)}`
      })
    }
    return Promise.resolve({ choices: kept, fields })
  }
}
