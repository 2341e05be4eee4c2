import { appPromotionAdmin } from '../promotions/app_promotion/admin'
import { awarenessAdmin } from '../promotions/awareness/admin'
import { engagementAdmin } from '../promotions/engagement/admin'
import { leadGenerationAdmin } from '../promotions/lead_generation/admin'
import { localBusinessAdmin } from '../promotions/local_business/admin'
import { offerEventAdmin } from '../promotions/offer_event/admin'
import { remarketingAdmin } from '../promotions/remarketing/admin'
import { salesAdmin } from '../promotions/sales/admin'
import { trafficAdmin } from '../promotions/traffic/admin'
import type { AdminType, TypeScreen } from './promotion-type'

/**
 * The admin's campaign types: one line each, the only place the admin names them. A type's folder
 * (`promotions/<type>/admin`) brings its config editor, preview, KPI cards and screens; a type given here without
 * a config editor is edited as JSON. A type the server knows but this list does not is shown, not edited.
 */
export const adminTypes: Record<string, AdminType> = {
  awareness: awarenessAdmin,
  traffic: trafficAdmin,
  engagement: engagementAdmin,
  lead_generation: leadGenerationAdmin,
  sales: salesAdmin,
  app_promotion: appPromotionAdmin,
  local_business: localBusinessAdmin,
  remarketing: remarketingAdmin,
  offer_event: offerEventAdmin,
}

export function adminTypeOf(type: string): AdminType | undefined {
  return Object.hasOwn(adminTypes, type) ? adminTypes[type] : undefined
}

/** A type's name as the marketer reads it; a type the admin does not know, from its id. */
export function typeLabel(type: string): string {
  const known = adminTypeOf(type)
  if (known) return known.label
  const words = type.replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** Every screen the types bring, in the registry's order. */
export const typeScreens: TypeScreen[] = Object.values(adminTypes).flatMap((type) => type.screens ?? [])
