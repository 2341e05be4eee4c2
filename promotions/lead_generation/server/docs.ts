import { z } from 'zod'
import { operation, type RouteDoc } from '../../../api/http/contract/docs'
import { erasure, lead, leadAnswer, leadDetail, pageOf, personData } from '../../../schema/api'
import { exportQuery, listQuery, personQuery } from './admin'
import { leadSubmit } from './submit'

export const leadGenerationDocs: RouteDoc[] = [
  operation('post', '/api/v1/leads', {
    summary: 'Submit a lead form',
    description:
      'From the SDK’s form (`text/plain` JSON taken): one lead per site and email, one submission per send.',
    tag: 'Leads',
    access: 'public',
    body: leadSubmit,
    bodyMedia: 'json-or-text',
    answers: {
      201: { description: 'The lead, and a download link when the form offers one', schema: leadAnswer },
    },
    errors: [403, 404, 409],
  }),
  operation('get', '/api/v1/leads', {
    summary: 'List leads',
    tag: 'Leads',
    access: 'admin',
    query: listQuery,
    answers: { 200: { description: 'A page of leads, newest first', schema: pageOf(lead) } },
  }),
  operation('get', '/api/v1/leads/export.csv', {
    summary: 'Export leads as CSV',
    tag: 'Leads',
    access: 'admin',
    query: exportQuery,
    answers: { 200: { description: 'The filtered leads', schema: z.string(), media: 'csv' } },
  }),
  operation('get', '/api/v1/leads/person', {
    summary: 'Everything stored about one email (a privacy export)',
    tag: 'Leads',
    access: 'admin',
    query: personQuery,
    answers: { 200: { description: 'The person’s data', schema: personData } },
  }),
  operation('delete', '/api/v1/leads/person', {
    summary: 'Erase everything stored about one email',
    tag: 'Leads',
    access: 'admin',
    query: personQuery,
    answers: { 200: { description: 'What was erased', schema: erasure } },
  }),
  operation('get', '/api/v1/leads/{id}', {
    summary: 'A lead and its submissions',
    tag: 'Leads',
    access: 'admin',
    answers: { 200: { description: 'The lead', schema: leadDetail } },
  }),
]
