import { appPromotion } from '../promotions/app_promotion/server/index'
import { awareness } from '../promotions/awareness/server/index'
import { engagement } from '../promotions/engagement/server/index'
import { leadGeneration } from '../promotions/lead_generation/server/index'
import { localBusiness } from '../promotions/local_business/server/index'
import { offerEvent } from '../promotions/offer_event/server/index'
import { remarketing } from '../promotions/remarketing/server/index'
import { sales } from '../promotions/sales/server/index'
import { traffic } from '../promotions/traffic/server/index'
import type { ServerTypes } from './promotion'

/**
 * The server's promotion types: one line per type (its folder's `server/index.ts`). Only the composition root
 * (api/app.ts) and the runtimes read it; the generic code gets what it needs from it as arguments.
 */
export const serverTypes: ServerTypes = {
  awareness,
  traffic,
  engagement,
  lead_generation: leadGeneration,
  offer_event: offerEvent,
  sales,
  app_promotion: appPromotion,
  local_business: localBusiness,
  remarketing,
}
