import { OpenAPIHono } from '@hono/zod-openapi'
import { sessionCookie } from '../auth/admin'
import { adminDocs } from '../routes/admin.docs'
import { eventDocs } from '../routes/events.docs'
import { followUpDocs } from '../routes/followup.docs'
import { publicDocs } from '../routes/public.docs'
import { serveDocs } from '../routes/serve.docs'
import { teamDocs } from '../routes/team.docs'
import type { RouteDoc } from './docs'

/** The generic routes' docs, beside the routes they describe; each type brings its own (`ServerType.docs`). */
export const genericDocs: readonly RouteDoc[] = [
  ...publicDocs,
  ...serveDocs,
  ...eventDocs,
  ...adminDocs,
  ...followUpDocs,
  ...teamDocs,
]

export const documentPath = '/api/v1/openapi.json'
export const referencePath = '/api/docs'

/** The API's version as the document states it: the `/api/v1` of its paths. */
const apiVersion = '1'

/**
 * The OpenAPI 3.1 document of every route, generated from the zod schemas the routes validate with and answer
 * in (schema/api.ts). `serverUrl` is the public URL the API is reached at.
 */
/** `typeDocs`: every promotion type's route docs (their ServerType's `docs`), after the generic routes'. */
export function openApiDocument(typeDocs: readonly RouteDoc[], serverUrl: string) {
  const holder = new OpenAPIHono()
  const registry = holder.openAPIRegistry
  registry.registerComponent('securitySchemes', 'secretKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'A site’s secret key (`sk_live_…`), for servers. Never put it in a page.',
  })
  registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: sessionCookie,
    description: 'The admin’s session cookie, set by `POST /api/v1/auth/login`.',
  })
  registry.registerComponent('securitySchemes', 'csrf', {
    type: 'apiKey',
    in: 'header',
    name: 'X-CSRF-Token',
    description: 'With the session cookie, on every write: the `csrfToken` of the sign-in answer.',
  })
  registry.registerComponent('securitySchemes', 'publishableKey', {
    type: 'apiKey',
    in: 'query',
    name: 'site',
    description:
      'The site’s publishable key (`pk_live_…`): in the body’s `site` field for POSTs, in `?site=` for GETs. ' +
      'Requests from browsers must come from one of the site’s allowed origins.',
  })
  const docs = [...genericDocs, ...typeDocs]
  for (const doc of docs) registry.registerPath(doc)
  return holder.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Promo API',
      version: apiVersion,
      description:
        'On-site promotions: the SDK’s public endpoints (publishable key) and the admin endpoints (session or ' +
        'secret key). Errors are `{"error":{"code","message","details"}}`; validation details name each field.',
    },
    servers: [{ url: serverUrl }],
  })
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>
