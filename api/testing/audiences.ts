import type { CampaignAudience } from '../../schema/audiences'
import type { ServerTypes } from '../promotion'
import { serverTypes } from '../promotions'

/**
 * The registry with a stand-in for a type whose campaigns have an audience (remarketing's config shape:
 * `audience` and `exclude`), until that type registers its own: it is served as a popup to its audience only.
 */
export const audienceTestTypes: ServerTypes = {
  ...serverTypes,
  remarketing: serverTypes.remarketing ?? {
    format: () => 'popup',
    audience: (config) => ({
      audience: config.audience as CampaignAudience['audience'],
      exclude: (config.exclude as CampaignAudience['exclude']) ?? { segments: [] },
    }),
  },
}
