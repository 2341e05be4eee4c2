import {
  type Api,
  api,
  type Erasure,
  type Lead,
  type LeadDetail,
  type LeadQuery,
  type Page,
  type PersonData,
  queryString,
} from '../../../admin/api'

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
