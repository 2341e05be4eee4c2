import type { z } from 'zod'
import { appPromotionConfig } from '../../promotions/app_promotion/config'
import { awarenessConfig, awarenessFrequency } from '../../promotions/awareness/config'
import { engagementConfig } from '../../promotions/engagement/config'
import { leadGenerationConfig } from '../../promotions/lead_generation/config'
import { localBusinessConfig } from '../../promotions/local_business/config'
import { offerEventConfig } from '../../promotions/offer_event/config'
import { remarketingConfig, remarketingFrequency } from '../../promotions/remarketing/config'
import { salesConfig } from '../../promotions/sales/config'
import { trafficConfig } from '../../promotions/traffic/config'
import type { CampaignType, Experiment, Frequency } from '../campaign'

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

/** Types whose new campaigns start capped (the blueprint's caps); the rest start uncapped. */
const typeFrequencies: Partial<Record<CampaignType, Frequency>> = {
  awareness: awarenessFrequency,
  remarketing: remarketingFrequency,
}

/** The caps a new campaign gets when its request sets none. */
export function defaultFrequency(type: CampaignType): Frequency {
  return typeFrequencies[type] ?? { countOn: 'viewable' }
}

/**
 * Types whose new campaigns start with a holdout: a reminder shown to people who would buy anyway is a cost, so
 * remarketing measures its lift from the start (api/core/lift.ts).
 */
const typeHoldouts: Partial<Record<CampaignType, number>> = {
  remarketing: 10,
}

/** The experiment a new campaign gets when its request sets none. */
export function defaultExperiment(type: CampaignType): Experiment {
  return { holdoutPercent: typeHoldouts[type] ?? 0 }
}
