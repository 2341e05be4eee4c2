import { createdWebhook, webhook } from '../../../schema/api'
import { documented, noContent, operation, type RouteDoc } from '../contract/docs'
import { outboxList } from './outbox'
import { deliveryList, webhookCreate, webhookList } from './webhooks'

export const followUpDocs: RouteDoc[] = [
  documented(webhookList, '/api/v1/webhooks', {
    summary: 'List webhooks',
    tag: 'Follow-ups',
    access: 'admin',
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
  documented(deliveryList, '/api/v1/webhooks/{id}/deliveries', {
    summary: 'A webhook’s deliveries, newest first',
    tag: 'Follow-ups',
    access: 'admin',
  }),
  documented(outboxList, '/api/v1/outbox', {
    summary: 'Mail sent or held',
    tag: 'Follow-ups',
    access: 'admin',
  }),
]
