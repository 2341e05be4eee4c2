import {
  type Api,
  api,
  base,
  type Erasure,
  type Lead,
  type LeadDetail,
  type Page,
  type PersonData,
  type Query,
  queryString,
} from '../../../admin/api'
import type { exportQuery, listQuery } from '../server/admin'

/** The leads list's query and the export's filters, as the API reads them (server/admin.ts). */
export type LeadQuery = Query<typeof listQuery>
export type LeadFilters = Query<typeof exportQuery>

/** The leads export with the list's filters, for a plain link (a same-origin GET with the session cookie). */
export function leadsCsvUrl(filters: LeadFilters): string {
  return `${base}/leads/export.csv${queryString({ ...filters })}`
}

/** Lead generation's admin calls: the leads list, one lead, and privacy requests (server/admin.ts). */
export function leadsApi(client: Api = api) {
  return {
    listLeads: (query: LeadQuery) => client.call<Page<Lead>>('GET', `/leads${queryString({ ...query })}`),
    getLead: (id: string) => client.call<LeadDetail>('GET', `/leads/${encodeURIComponent(id)}`),
    /** Everything stored about one email on one site: a privacy request's export. */
    findPerson: (email: string, siteId: string) =>
      client.call<PersonData>('GET', `/leads/person${queryString({ email, siteId })}`),
    erasePerson: (email: string, siteId: string) =>
      client.call<Erasure>('DELETE', `/leads/person${queryString({ email, siteId })}`),
  }
}
