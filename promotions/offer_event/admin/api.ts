import { type Api, api, base, queryString } from '../../../admin/api'
import type { ListedRsvp, RsvpActionAnswer, RsvpPage } from '../answers'

export type { ListedRsvp, RsvpActionAnswer, RsvpPage }
export type RsvpStatus = ListedRsvp['status']

export interface RsvpListQuery {
  status?: RsvpStatus
  limit?: number
  cursor?: string
}

const rsvpsOf = (campaignId: string) => `/campaigns/${encodeURIComponent(campaignId)}/rsvps`

/** The event's RSVPs as a spreadsheet, for a plain link (a same-origin GET carries the session cookie). */
export const rsvpsCsvUrl = (campaignId: string, status?: RsvpStatus) =>
  `${base}${rsvpsOf(campaignId)}/export.csv${queryString({ status })}`

/** offer_event's admin calls: an event's attendees (promotions/offer_event/server/admin.ts). */
export function attendeesApi(client: Api = api) {
  const act = (campaignId: string, rsvpId: string, action: 'check-in' | 'promote' | 'cancel') =>
    client.call<RsvpActionAnswer>('POST', `${rsvpsOf(campaignId)}/${encodeURIComponent(rsvpId)}/${action}`)
  return {
    list: (campaignId: string, query: RsvpListQuery) =>
      client.call<RsvpPage>('GET', `${rsvpsOf(campaignId)}${queryString({ ...query })}`),
    checkIn: (campaignId: string, rsvpId: string) => act(campaignId, rsvpId, 'check-in'),
    checkInCode: (campaignId: string, code: string) =>
      client.call<RsvpActionAnswer>('POST', `${rsvpsOf(campaignId)}/check-in`, { code }),
    promote: (campaignId: string, rsvpId: string) => act(campaignId, rsvpId, 'promote'),
    cancel: (campaignId: string, rsvpId: string) => act(campaignId, rsvpId, 'cancel'),
  }
}
