import { z } from 'zod'
import { operation, type RouteDoc } from '../../../api/http/contract/docs'
import {
  cancelAnswer,
  cancelQuery,
  cancelRequest,
  rsvpAnswer,
  rsvpPage,
  rsvpQuery,
  rsvpRequest,
} from '../answers'

export const offerEventDocs: RouteDoc[] = [
  operation('post', '/api/v1/rsvps', {
    summary: 'RSVP to an event',
    description:
      'One RSVP per event and email (trimmed, lower case): the same email again answers the existing one (200). ' +
      'Confirmed seats never exceed the capacity; later RSVPs are waitlisted in arrival order, or refused with ' +
      '409 `event_full` without a waitlist; after `rsvpClosesAt` or the start, 409 `rsvp_closed`.',
    tag: 'Events',
    access: 'public',
    body: rsvpRequest,
    bodyMedia: 'json-or-text',
    answers: {
      200: { description: 'This email’s existing RSVP', schema: rsvpAnswer },
      201: { description: 'Confirmed, or waitlisted with its position', schema: rsvpAnswer },
    },
    errors: [403, 404, 409],
  }),
  operation('post', '/api/v1/rsvps/cancel', {
    summary: 'Cancel an RSVP',
    description:
      'With the token of the cancel link the RSVP’s mail carries. A confirmed seat goes to the first waitlisted ' +
      'person, who is mailed. Cancelling again answers the same.',
    tag: 'Events',
    access: 'public',
    body: cancelRequest,
    bodyMedia: 'json-or-text',
    answers: { 200: { description: 'Cancelled', schema: cancelAnswer } },
    errors: [404],
  }),
  operation('get', '/api/v1/rsvps/cancel', {
    summary: 'The cancel link’s page',
    description:
      'A page with one button that posts the token, so a mail scanner opening the link cancels nothing.',
    tag: 'Events',
    access: 'public',
    query: cancelQuery,
    answers: { 200: { description: 'The page', schema: z.string(), media: 'html' } },
    errors: [404],
  }),
  operation('get', '/api/v1/campaigns/{id}/rsvps', {
    summary: 'An event’s RSVPs',
    tag: 'Events',
    access: 'admin',
    query: rsvpQuery,
    answers: {
      200: { description: 'A page of RSVPs, newest first, and the counts by status', schema: rsvpPage },
    },
  }),
]
