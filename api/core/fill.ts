import type { z } from 'zod'
import type { ClickSigner } from './clicks'
import type { Choice, ServableCampaign } from './decide'

/*
 * What a type's decision filler (api/http/routes/serve.ts's DecisionFiller) keeps between serves, so a page view
 * neither parses a campaign's config nor signs an item's link again.
 */

/**
 * A campaign's config parsed by its type's schema, once per loaded campaign (the cache hands the same object until
 * it reloads); null when the stored config no longer parses, so the filler can leave the campaign out.
 */
export function configReader<T>(schema: z.ZodType<T>): (campaign: ServableCampaign) => T | null {
  const parsed = new WeakMap<ServableCampaign, T | null>()
  return (campaign) => {
    let config = parsed.get(campaign)
    if (config === undefined) {
      const result = schema.safeParse(campaign.config)
      config = result.success ? result.data : null
      parsed.set(campaign, config)
    }
    return config
  }
}

/**
 * Signed click tokens for the items a decision carries (a product card's own URL), one per variant and URL. At most
 * `max` are kept; past that the cache starts again rather than grow.
 */
export class ItemTokens {
  private readonly tokens = new Map<string, string>()

  constructor(
    private readonly signer: ClickSigner,
    private readonly max = 50_000,
  ) {}

  of(siteId: string, choice: Choice, url: string): string {
    const key = `${choice.variant.id}\n${url}`
    let token = this.tokens.get(key)
    if (!token) {
      token = this.signer.sign({ s: siteId, c: choice.campaign.id, v: choice.variant.id, u: url })
      if (this.tokens.size >= this.max) this.tokens.clear()
      this.tokens.set(key, token)
    }
    return token
  }
}
