import type { ClickSigner } from '../../../api/core/clicks'
import type { Choice, ServableCampaign } from '../../../api/core/decide'
import { configReader, ItemTokens } from '../../../api/core/fill'
import type { Db } from '../../../api/ports/database'
import type { DecisionFiller } from '../../../api/promotion'
import type { Services } from '../../../api/services/index'
import { remarketingConfig } from '../config'
import type { RemarketingFill } from '../decision'
import { fillOf } from './fill'
import { historyOf, productWindowDays } from './history'

/**
 * Remarketing decisions' `remarketing` field (promotions/remarketing/decision.ts), one database read per filled
 * decision (server/history.ts): the sequence's step (message 2 once its days have passed since the visitor's
 * first impression), the visitor's own products with signed click URLs when the config asks for dynamic
 * content, and the incentive. A choice is dropped for a visitor who converted since, and for a dynamic campaign
 * with no product of theirs to show. Parsed configs are kept per loaded campaign, click tokens per variant and URL.
 */
export class RemarketingFiller implements DecisionFiller {
  private readonly configOf = configReader(remarketingConfig)
  private readonly tokens: ItemTokens

  constructor(
    private readonly db: Db,
    signer: ClickSigner,
  ) {
    this.tokens = new ItemTokens(signer)
  }

  eligible(_siteId: string, campaigns: ServableCampaign[]) {
    return campaigns
  }

  wanted(choices: Choice[]) {
    return choices.some((choice) => choice.campaign.type === 'remarketing')
  }

  async fill(siteId: string, choices: Choice[], visitor: { anonymousId: string }, now: number) {
    const fields = new Map<Choice, (clickBase: string, query: string) => string>()
    const kept: Choice[] = []
    for (const choice of choices) {
      if (choice.campaign.type !== 'remarketing') {
        kept.push(choice)
        continue
      }
      const config = this.configOf(choice.campaign)
      // A request without a visitor id has no history: nobody's reminder.
      if (!config || visitor.anonymousId === 'anonymous') continue
      const history = await historyOf(this.db, {
        siteId,
        campaignId: choice.campaign.id,
        anonymousId: visitor.anonymousId,
        windowDays: productWindowDays(config.audience),
        maxProducts: config.dynamicContent ? config.maxProducts : 0,
        now,
      })
      const fill = fillOf(config, history, now)
      if (!fill) continue
      kept.push(choice)
      const products = fill.products?.map((product) => ({
        product,
        token: this.tokens.of(siteId, choice, product.url),
      }))
      fields.set(choice, (clickBase, query) => {
        const shown: RemarketingFill = products
          ? {
              ...fill,
              products: products.map(({ product, token }) => ({
                ...product,
                clickUrl: `${clickBase}${token}${query}`,
              })),
            }
          : (fill as RemarketingFill)
        return `,"remarketing":${JSON.stringify(shown)}`
      })
    }
    return { choices: kept, fields }
  }
}

export const remarketingFiller = (services: Services) => new RemarketingFiller(services.db, services.signer)
