import { z } from 'zod'
import { health, readiness, servedTypes } from '../../../schema/api'
import { operation, type RouteDoc } from '../contract/docs'

/** Health, redirects, downloads and the type list: routes of their own modules with no request body. */
export const publicDocs: RouteDoc[] = [
  operation('get', '/healthz', {
    summary: 'Liveness and the database',
    tag: 'Operations',
    access: 'none',
    answers: {
      200: { description: 'Up', schema: health },
      503: { description: 'The database is unreachable', schema: health },
    },
  }),
  operation('get', '/readyz', {
    summary: 'Readiness: database, store, and not shutting down',
    tag: 'Operations',
    access: 'none',
    answers: {
      200: { description: 'Ready', schema: readiness },
      503: { description: 'Not ready', schema: readiness },
    },
  }),
  operation('get', '/metrics', {
    summary: 'Prometheus metrics',
    description: 'Only when `PROMO_METRICS_TOKEN` is set; takes `Authorization: Bearer <token>`.',
    tag: 'Operations',
    access: 'none',
    answers: { 200: { description: 'The exposition format', schema: z.string(), media: 'text' } },
    errors: [401],
  }),
  operation('get', '/r/{token}', {
    summary: 'Follow a unit’s link',
    description:
      'Counts the click (once per visitor and unit within 30 s) and redirects to the signed destination.',
    tag: 'Events',
    access: 'none',
    params: z.object({ token: z.string() }),
    answers: { 302: { description: 'To the destination', schema: null } },
    errors: [404, 429],
  }),
  operation('get', '/d/{token}', {
    summary: 'Download a lead magnet',
    description: 'A signed, expiring link handed out with a lead submit.',
    tag: 'Leads',
    access: 'none',
    params: z.object({ token: z.string() }),
    answers: { 302: { description: 'To the asset', schema: null } },
    errors: [404, 410],
  }),
  operation('get', '/api/v1/openapi.json', {
    summary: 'This document: OpenAPI 3.1',
    tag: 'Reference',
    access: 'none',
    answers: { 200: { description: 'The OpenAPI document', schema: z.record(z.string(), z.unknown()) } },
  }),
  operation('get', '/api/docs', {
    summary: 'The API reference page, rendered from this document',
    tag: 'Reference',
    access: 'none',
    answers: { 200: { description: 'An HTML page', schema: z.string(), media: 'html' } },
  }),
  operation('get', '/api/v1/types', {
    summary: 'Campaign types and whether this server serves them',
    tag: 'Campaigns',
    access: 'none',
    answers: { 200: { description: 'Every type', schema: servedTypes } },
  }),
]
