import type { CampaignType } from '../../schema/campaign'

/** Each campaign type's format, built as its own chunk and loaded only when a decision of that type arrives. */
export const formatEntries: Partial<Record<CampaignType, string>> = {
  awareness: 'sdk/formats/awareness/index.tsx',
  lead_generation: 'sdk/formats/lead_generation/index.tsx',
  traffic: 'sdk/formats/traffic/index.tsx',
  engagement: 'promotions/engagement/widget/index.tsx',
}
