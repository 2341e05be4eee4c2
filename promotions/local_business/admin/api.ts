import type { z } from 'zod'
import { type Api, api, base, type Page, queryString } from '../../../admin/api'
import type { StoreAnswer } from '../answers'
import type { storeInput } from '../store'

export type { StoreAnswer } from '../answers'
export type StoreBody = z.input<typeof storeInput> & { siteId?: string }

/** The CSV export of a site's stores (an importable file), for a download link. */
export const storesCsvUrl = (siteId: string | undefined) =>
  `${base}/stores${queryString({ siteId, format: 'csv' })}`

/** Local business's admin calls: the site's stores (server/routes.ts). */
export function storesApi(client: Api = api) {
  return {
    listStores: (siteId: string | undefined, q: string, after?: string) =>
      client.call<Page<StoreAnswer>>('GET', `/stores${queryString({ siteId, q, after, limit: 200 })}`),
    /** Creates or replaces the store with this ref. */
    saveStore: (body: StoreBody) => client.call<StoreAnswer>('PUT', '/stores', body),
    deleteStore: (id: string) => client.call<void>('DELETE', `/stores/${encodeURIComponent(id)}`),
    /** All rows or none: a wrong line answers 400 with each wrong line and column in the error's details. */
    importStores: (siteId: string, csv: string) =>
      client.call<{ created: number; updated: number }>(
        'POST',
        `/stores/import${queryString({ siteId })}`,
        csv,
        {
          contentType: 'text/csv',
        },
      ),
  }
}
