import type { z } from 'zod'
import { engagementConfig } from '../../promotions/engagement/config'
import type { CampaignType } from '../campaign'
import { appPromotionConfig } from './app_promotion'
import { awarenessConfig } from './awareness'
import { leadGenerationConfig } from './lead_generation'
import { localBusinessConfig } from './local_business'
import { offerEventConfig } from './offer_event'
import { remarketingConfig } from './remarketing'
import { salesConfig } from './sales'
import { trafficConfig } from './traffic'

/** Each campaign type's `config` schema: the one place a new type is registered on the schema side. */
export const configSchemas = {
  awareness: awarenessConfig,
  traffic: trafficConfig,
  engagement: engagementConfig,
  lead_generation: leadGenerationConfig,
  sales: salesConfig,
  app_promotion: appPromotionConfig,
  local_business: localBusinessConfig,
  remarketing: remarketingConfig,
  offer_event: offerEventConfig,
} satisfies Record<CampaignType, z.ZodType>

export type ConfigOf<T extends CampaignType> = z.infer<(typeof configSchemas)[T]>

/** The same registry, typed so a schema looked up by a type variable keeps its own output type. */
const schemaOf: { [K in CampaignType]: z.ZodType<ConfigOf<K>> } = configSchemas

/** Validates a campaign's config against its type's schema, filling the defaults. */
export function parseConfig<T extends CampaignType>(
  type: T,
  input: unknown,
): z.ZodSafeParseResult<ConfigOf<T>> {
  return schemaOf[type].safeParse(input)
}
