import { z } from 'zod'
import { serveAnswer } from '../../../schema/api'
import { campaignType } from '../../../schema/campaign'
import { serveRequest } from '../../../schema/serve'
import { operation, type RouteDoc } from '../contract/docs'
import { typeServeQuery } from './serve'

// Documentation only: the serve handlers stay as they are (no validation layer added to the hot path); these
// name the very schemas they validate with.
export const serveDocs: RouteDoc[] = [
  operation('post', '/api/v1/serve', {
    summary: 'Decide what to show this visitor',
    description:
      'The SDK asks once per page (and on `Promo.refresh()`): one decision per slot it names and at most one per ' +
      'page position. `text/plain` JSON is taken so browsers need no preflight. With `?debug=1` and admin ' +
      'credentials the answer adds `trace` (why each campaign was chosen or skipped) and `store`. A visitor in ' +
      "the site's global holdout (`globalHoldoutPercent`) gets no decision at all; traced, `globalHoldout: true`.",
    tag: 'Serving',
    access: 'public',
    query: z.object({ debug: z.literal('1').optional() }),
    body: serveRequest,
    bodyMedia: 'json-or-text',
    answers: {
      200: { description: 'The units to render and how long the answer may be reused', schema: serveAnswer },
    },
    errors: [403, 404],
  }),
  operation('get', '/api/v1/campaigns/{type}/serve', {
    summary: 'Decide among one type’s campaigns',
    description: 'The blueprint’s per-type serve: the same decision, restricted to campaigns of `type`.',
    tag: 'Serving',
    access: 'public',
    params: z.object({ type: campaignType }),
    query: typeServeQuery,
    answers: { 200: { description: 'The units to render', schema: serveAnswer } },
    errors: [403, 404],
  }),
]
