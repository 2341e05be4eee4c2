import type { CampaignType } from '../../schema/campaign'

/** Each campaign type's format, built as its own chunk and loaded only when a decision of that type arrives. */
export const formatEntries: Partial<Record<CampaignType, string>> = {
  awareness: 'promotions/awareness/widget/index.tsx',
  lead_generation: 'promotions/lead_generation/widget/index.tsx',
  traffic: 'promotions/traffic/widget/index.tsx',
  engagement: 'promotions/engagement/widget/index.tsx',
  sales: 'promotions/sales/widget/index.tsx',
  offer_event: 'promotions/offer_event/widget/index.tsx',
  app_promotion: 'promotions/app_promotion/widget/index.tsx',
  local_business: 'promotions/local_business/widget/index.tsx',
  remarketing: 'promotions/remarketing/widget/index.tsx',
}
