import type { RouteConfig } from '@hono/zod-openapi'
import { z } from 'zod'
import { errorAnswer } from '../../../schema/api'

/**
 * One operation of the HTTP API as the OpenAPI document lists it: its method, path (OpenAPI form, `{id}`), and
 * the zod schemas of what it takes and answers. Built by `operation` from the same schemas the handler
 * validates with, so the document cannot drift from what is checked. Each route module's docs sit in a
 * `*.docs.ts` beside it (a type's in `promotions/<type>/server/docs.ts`, handed over as `ServerType.docs`).
 */
export type RouteDoc = RouteConfig

export type Access = 'public' | 'admin' | 'none'

type Media = 'json' | 'json-or-text' | 'csv'
type ObjectSchema = z.ZodObject | z.ZodPipe

export interface OperationSpec {
  summary: string
  description?: string
  tag: string
  /** `public`: the site's publishable key (in the body or `?site=`); `admin`: a session or secret key. */
  access: Access
  query?: ObjectSchema
  /** Path parameters beyond the ones named in the path (which default to UUIDs, or to a string). */
  params?: ObjectSchema
  body?: z.ZodType
  /** How the body may be sent; `json-or-text` for the browser's `text/plain` JSON (no CORS preflight). */
  bodyMedia?: Media
  /** The success answers by status; `null` for an answer with no body (204, 302, 304). */
  answers: Record<number, { description: string; schema?: z.ZodType | null; media?: Media | 'html' | 'text' }>
  /**
   * Error statuses it may answer beyond the ones `operation` adds: 500 and 503 always, 400 with any input,
   * 413 and 415 with a body, 429 for public routes, 401, 403 and 404 for admin ones.
   */
  errors?: number[]
}

const errorText: Record<number, string> = {
  400: 'Bad input: the body, query or a path part failed validation (`details` names each field)',
  401: 'Missing or invalid credentials',
  403: 'The credentials may not do this (another site, a bad CSRF token, an origin not allowed)',
  404: 'Not found, or not this principal’s',
  409: 'Conflicts with the stored state',
  410: 'Expired',
  413: 'The body is over the size limit',
  415: 'The Content-Type is not one this route takes',
  422: 'Well formed but not allowed (a status move the machine refuses, a type this server cannot serve)',
  429: 'Rate limited: retry after `Retry-After` seconds',
  500: 'Something went wrong on the server’s side',
  503: 'The database or store is not answering: retry shortly',
}

const mediaTypes: Record<Media | 'html' | 'text', string[]> = {
  json: ['application/json'],
  'json-or-text': ['application/json', 'text/plain'],
  csv: ['text/csv'],
  html: ['text/html'],
  text: ['text/plain'],
}

function content(schema: z.ZodType, media: Media | 'html' | 'text') {
  return Object.fromEntries(mediaTypes[media].map((type) => [type, { schema }]))
}

const pathParam = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g

/** The path parameters a path names, ids as UUIDs, unless `given` describes them. */
function paramsOf(path: string, given: ObjectSchema | undefined): ObjectSchema | undefined {
  const names = [...path.matchAll(pathParam)].map((match) => match[1]!)
  if (names.length === 0) return given
  const described = given instanceof z.ZodObject ? given.shape : {}
  const shape: Record<string, z.ZodType> = {}
  for (const name of names) {
    shape[name] = described[name] ?? (name === 'id' || name.endsWith('Id') ? z.uuid() : z.string())
  }
  return z.object(shape)
}

export function operation(method: RouteDoc['method'], path: string, spec: OperationSpec): RouteDoc {
  const responses: RouteDoc['responses'] = {}
  for (const [status, answer] of Object.entries(spec.answers)) {
    responses[status] = answer.schema
      ? { description: answer.description, content: content(answer.schema, answer.media ?? 'json') }
      : { description: answer.description }
  }
  const params = paramsOf(path, spec.params)
  // What any route may answer besides its own errors: bad input where it takes any, the body's limits where it
  // takes one, the rate limits of public routes, the admin guard's answers, and an outage.
  const errors = new Set([500, 503, ...(spec.errors ?? [])])
  if (params || spec.query || spec.body) errors.add(400)
  if (spec.body) for (const status of [413, 415]) errors.add(status)
  if (spec.access === 'public') errors.add(429)
  if (spec.access === 'admin') for (const status of [401, 403, 404]) errors.add(status)
  for (const status of [...errors].sort()) {
    responses[status] ??= { description: errorText[status] ?? 'Error', content: content(errorAnswer, 'json') }
  }
  return {
    method,
    path,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    ...(spec.access === 'admin' ? { security: [{ session: [], csrf: [] }, { secretKey: [] }] } : {}),
    ...(spec.access === 'public' ? { security: [{ publishableKey: [] }] } : {}),
    request: {
      ...(params ? { params } : {}),
      ...(spec.query ? { query: spec.query } : {}),
      ...(spec.body
        ? { body: { required: true, content: content(spec.body, spec.bodyMedia ?? 'json') } }
        : {}),
    },
    responses,
  }
}

/** The common answers' shapes, for brevity in the docs files. */
export const noContent = { description: 'Done; no body', schema: null }

/**
 * The docs of a route declared with `createRoute` and served by `typedRoutes`: its own request and answers, with
 * the full path it is mounted at and what `operation` adds (summary, tag, credentials, the common errors).
 */
export function documented(
  route: RouteDoc,
  path: string,
  meta: Omit<OperationSpec, 'answers' | 'query' | 'params' | 'body'>,
): RouteDoc {
  const request = route.request ?? {}
  const doc = operation(route.method, path, {
    ...meta,
    ...(request.query ? { query: request.query } : {}),
    ...(request.params ? { params: request.params } : {}),
    answers: {},
  })
  return {
    ...doc,
    request: { ...doc.request, ...request },
    responses: { ...doc.responses, ...route.responses },
  }
}
