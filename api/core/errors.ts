import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { z } from 'zod'
import { describeError } from './log'

/** Every error code the API answers with, and its HTTP status. Handlers throw; one renderer writes the body. */
export const errorStatus = {
  bad_request: 400,
  validation_failed: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  origin_not_allowed: 403,
  csrf_failed: 403,
  not_found: 404,
  unknown_code: 404,
  invalid_token: 404,
  conflict: 409,
  invalid_transition: 409,
  already_voted: 409,
  poll_closed: 409,
  event_full: 409,
  rsvp_closed: 409,
  exhausted: 409,
  per_customer_limit: 409,
  link_expired: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  expired: 422,
  min_order_value: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>

export type ErrorCode = keyof typeof errorStatus

export interface FieldIssue {
  path: string
  message: string
}

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message)
  }

  get status(): ContentfulStatusCode {
    return errorStatus[this.code]
  }
}

/** One issue per failing field; a key the schema does not know is reported at its own path, not its parent's. */
export function issuesOf(error: z.ZodError, prefix: (string | number)[] = []): FieldIssue[] {
  const pathOf = (path: PropertyKey[]) => [...prefix, ...path].map(String).join('.')
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: 'unknown field' }))
      : [{ path: pathOf(issue.path), message: issue.message }],
  )
}

export function validationError(error: z.ZodError, prefix: (string | number)[] = []): ApiError {
  const issues = issuesOf(error, prefix)
  const first = issues[0]
  const message = first ? `${first.path || 'body'}: ${first.message}` : 'invalid request'
  return new ApiError('validation_failed', message, issues)
}

export function errorBody(code: ErrorCode, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } }
}

export function renderError(c: Context, error: ApiError): Response {
  for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value)
  c.header('X-Content-Type-Options', 'nosniff')
  return c.json(errorBody(error.code, error.message, error.details), error.status)
}

/**
 * What a log may say about an unexpected error: its class, its SQLSTATE code when the database refused a
 * query (on the error or its cause), and where it was thrown. Never its message: a failed query's message
 * carries the query's parameters, that is visitors' ids, emails and props.
 */
export function errorSummary(error: unknown): { error: string; code?: string; at?: string[] } {
  const { type, code, at } = describeError(error) as { type: string; code?: string; at?: string[] }
  return { error: type, ...(code ? { code } : {}), ...(at ? { at } : {}) }
}
