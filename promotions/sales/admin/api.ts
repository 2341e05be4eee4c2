import type { z } from 'zod'
import { type Api, api, base, type Page, type Query, queryString } from '../../../admin/api'
import type { product, productImport, promoCode, redemption } from '../answers'
import type { productListQuery, putProduct } from '../server/product-routes'
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

export type Product = z.infer<typeof product>
export type ProductBody = z.input<typeof putProduct>
export type ProductQuery = Query<typeof productListQuery>
export type ProductImport = z.infer<typeof productImport>

const productPath = (id: string) => `/products/${encodeURIComponent(id)}`

/** The site's product catalog (server/product-routes.ts): a page of products, upsert by id, delete, CSV import. */
export function productsApi(client: Api = api) {
  return {
    list: (query: ProductQuery) => client.call<Page<Product>>('GET', `/products${queryString({ ...query })}`),
    put: (body: ProductBody) => client.call<Product>('PUT', '/products', body),
    remove: (id: string) => client.call<void>('DELETE', productPath(id)),
    importCsv: (siteId: string, text: string) =>
      client.call<ProductImport>('POST', `/products/import${queryString({ siteId })}`, text, {
        contentType: 'text/csv',
      }),
  }
}

/** The catalog as a CSV file, for a plain link (a same-origin GET carries the session cookie). */
export const productsCsvUrl = (query: ProductQuery) =>
  `${base}/products${queryString({ ...query, format: 'csv', limit: undefined, cursor: undefined })}`
