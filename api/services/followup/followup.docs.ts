import { createdWebhook, delivery, pageOf, webhook } from '../../../schema/api'
import { documented, noContent, operation, type RouteDoc } from '../../http/contract/docs'
import { outboxList } from './outbox'
import { deliveriesQuery, webhookCreate, listQuery as webhookQuery } from './webhooks'

export const followUpDocs: RouteDoc[] = [
  operation('get', '/api/v1/webhooks', {
    summary: 'List webhooks',
    tag: 'Follow-ups',
    access: 'admin',
    query: webhookQuery,
    answers: { 200: { description: 'The site’s webhooks', schema: pageOf(webhook) } },
  }),
  operation('post', '/api/v1/webhooks', {
    summary: 'Create a webhook',
    description: 'The answer carries the signing secret, once.',
    tag: 'Follow-ups',
    access: 'admin',
    body: webhookCreate,
    answers: { 201: { description: 'The webhook and its secret', schema: createdWebhook } },
    errors: [409],
  }),
  operation('get', '/api/v1/webhooks/{id}', {
    summary: 'Read a webhook',
    tag: 'Follow-ups',
    access: 'admin',
    answers: { 200: { description: 'The webhook', schema: webhook } },
  }),
  operation('delete', '/api/v1/webhooks/{id}', {
    summary: 'Delete a webhook',
    tag: 'Follow-ups',
    access: 'admin',
    answers: { 204: noContent },
  }),
  operation('get', '/api/v1/webhooks/{id}/deliveries', {
    summary: 'A webhook’s deliveries, newest first',
    tag: 'Follow-ups',
    access: 'admin',
    query: deliveriesQuery,
    answers: { 200: { description: 'A page of deliveries', schema: pageOf(delivery) } },
  }),
  documented(outboxList, '/api/v1/outbox', {
    summary: 'Mail sent or held',
    tag: 'Follow-ups',
    access: 'admin',
  }),
]
