import type { z } from 'zod'
import { type Api, api, type Page, type Query, queryString } from '../../../admin/api'
import type { ContentItem, ImportResult } from '../answers'
import type { listQuery, putOne } from '../server/routes'

export type { ContentItem, ContentReview, ImportResult } from '../answers'

/** The catalog's list query and one item for `PUT /content` (upserted by its URL), as the API reads them. */
export type ContentQuery = Query<typeof listQuery>
export type ContentBody = z.input<typeof putOne>

/** Traffic's admin calls: the site's content catalog (server/routes.ts). */
export function contentApi(client: Api = api) {
  return {
    listContent: (query: ContentQuery) =>
      client.call<Page<ContentItem>>('GET', `/content${queryString({ ...query })}`),
    /** Creates or updates the item with this URL. */
    saveContent: (body: ContentBody) => client.call<ContentItem>('PUT', '/content', body),
    deleteContent: (id: string) => client.call<void>('DELETE', `/content/${encodeURIComponent(id)}`),
    /** Lets rails recommend the item now, or keeps it out of them for good. */
    reviewContent: (id: string, verdict: 'approve' | 'reject') =>
      client.call<ContentItem>('POST', `/content/${encodeURIComponent(id)}/${verdict}`),
    /** A CSV of items (url, title, …), created or updated by URL. */
    importContent: (siteId: string, csv: string) =>
      client.call<ImportResult>('POST', `/content/import${queryString({ siteId })}`, csv, {
        contentType: 'text/csv',
      }),
  }
}
