import { shareParam } from '../../schema/landing'
import { followedLink } from './in-url'

const id = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i

/** A visit through a shared link: the share's id, and the campaign whose unit it was shared from. */
export interface SharedLink {
  share: string
  campaignId?: string
}

/**
 * A visit through a link a visitor shared (from an engagement unit): the share's id from `promo_share`, and the
 * campaign from `utm_campaign` when that is a campaign's id. Only when the page was loaded by following the link,
 * so a reload or a step back is not another visit.
 */
export function sharedInUrl(href = location.href): SharedLink | undefined {
  const query = new URL(href).searchParams
  const share = query.get(shareParam) ?? ''
  const campaignId = query.get('utm_campaign') ?? ''
  if (!id.test(share) || !followedLink()) return undefined
  return id.test(campaignId) ? { share, campaignId } : { share }
}
