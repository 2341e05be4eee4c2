import { defaultAttributionSettings } from '../../schema/attribution'
import { defaultRetentionSettings } from '../../schema/retention'
import type { Site } from '../api'

/** A site as `GET /sites` answers it, for admin tests: the defaults of a new site, with `fields` over them. */
export const testSite = (fields: Partial<Site> & Pick<Site, 'id' | 'name'>): Site => ({
  organizationId: '00000000-0000-4000-8000-0000000000aa',
  publishableKey: 'pk_live_abc',
  allowedOrigins: [],
  contentImageHosts: [],
  learnedContent: 'corroborated',
  globalHoldoutPercent: 0,
  attribution: defaultAttributionSettings,
  retention: defaultRetentionSettings,
  secretKeys: [],
  createdAt: '2025-01-01T00:00:00Z',
  ...fields,
})
