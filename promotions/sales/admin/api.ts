import type { z } from 'zod'
import { type Api, api, type Page, type Query, queryString } from '../../../admin/api'
import type { promoCode, redemption } from '../answers'
import type { codesQuery, createCodesRequest } from '../server/routes'

/** What the admin sends, typed from the routes' own schemas (type-only: no zod, nothing of the server at run time). */
export type CreateCodesBody = z.input<typeof createCodesRequest>
export type CodesQuery = Query<typeof codesQuery>
export type PromoCode = z.infer<typeof promoCode>
export type Redemption = z.infer<typeof redemption>

const campaignPath = (id: string) => `/campaigns/${encodeURIComponent(id)}/promo-codes`

/** Sales' admin calls: a campaign's promo codes and the orders that redeemed them (server/routes.ts). */
export function promoCodesApi(client: Api = api) {
  return {
    createCodes: (campaignId: string, body: CreateCodesBody) =>
      client.call<{ batchId: string; data: PromoCode[] }>('POST', campaignPath(campaignId), body),
    listCodes: (campaignId: string, query: CodesQuery) =>
      client.call<Page<PromoCode>>('GET', `${campaignPath(campaignId)}${queryString({ ...query })}`),
    listRedemptions: (campaignId: string, query: CodesQuery) =>
      client.call<Page<Redemption>>(
        'GET',
        `${campaignPath(campaignId)}/redemptions${queryString({ ...query })}`,
      ),
  }
}
