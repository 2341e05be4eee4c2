import {
  type Api,
  api,
  type ContentBody,
  type ContentItem,
  type ContentQuery,
  type ImportResult,
  type Page,
  queryString,
} from '../../../admin/api'

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
