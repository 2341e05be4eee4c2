import { z } from 'zod'
import { operation, type RouteDoc } from '../../../api/http/contract/docs'
import {
  cancelAnswer,
  cancelQuery,
  cancelRequest,
  checkInRequest,
  rsvpActionAnswer,
  rsvpAnswer,
  rsvpExportQuery,
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
  operation('get', '/api/v1/campaigns/{id}/rsvps/export.csv', {
    summary: 'Export an event’s RSVPs as CSV',
    description:
      'Every RSVP, oldest first, with each confirmed or attended person’s check-in code. Cells a spreadsheet ' +
      'would read as a formula are prefixed with an apostrophe.',
    tag: 'Events',
    access: 'admin',
    query: rsvpExportQuery,
    answers: { 200: { description: 'The RSVPs', schema: z.string(), media: 'csv' } },
  }),
  operation('post', '/api/v1/campaigns/{id}/rsvps/check-in', {
    summary: 'Check an attendee in by their code',
    description:
      'The code from the attendee’s confirmation mail (`ABCD-EFGH`; case, spaces and dashes do not matter). ' +
      'Only a confirmed RSVP checks in (409 otherwise); checking in twice answers the first check-in.',
    tag: 'Events',
    access: 'admin',
    body: checkInRequest,
    answers: { 200: { description: 'The RSVP, now attended', schema: rsvpActionAnswer } },
    errors: [404, 409],
  }),
  operation('post', '/api/v1/campaigns/{id}/rsvps/{rsvpId}/check-in', {
    summary: 'Check an RSVP in',
    description: 'Only a confirmed RSVP checks in (409 otherwise); twice answers the first check-in.',
    tag: 'Events',
    access: 'admin',
    answers: { 200: { description: 'The RSVP, now attended', schema: rsvpActionAnswer } },
    errors: [404, 409],
  }),
  operation('post', '/api/v1/campaigns/{id}/rsvps/{rsvpId}/promote', {
    summary: 'Give a waitlisted person a free seat',
    description:
      'Out of the waitlist’s order, and only while a seat is free: confirmed seats never pass the capacity ' +
      '(409 `event_full`; raise the capacity first). The person is mailed.',
    tag: 'Events',
    access: 'admin',
    answers: { 200: { description: 'The RSVP, now confirmed', schema: rsvpActionAnswer } },
    errors: [404, 409],
  }),
  operation('post', '/api/v1/campaigns/{id}/rsvps/{rsvpId}/cancel', {
    summary: 'Cancel an RSVP',
    description:
      'As the cancel link does: a confirmed seat freed before the start goes to the first waitlisted person, ' +
      'who is mailed; cancelling again answers the same. A checked-in RSVP cannot be cancelled (409).',
    tag: 'Events',
    access: 'admin',
    answers: {
      200: { description: 'The cancelled RSVP and whom it promoted', schema: rsvpActionAnswer },
    },
    errors: [404, 409],
  }),
]
