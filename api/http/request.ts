import type { Context } from 'hono'
import type { z } from 'zod'
import { maxBodyDepth, unstorableMessage, unstorablePath } from '../../schema/limits'
import { ApiError, validationError } from '../core/errors'

export type BodyKind = 'json' | 'json-or-text'

/**
 * Reads and validates a request body once, at the edge. Public endpoints also take `text/plain` JSON because
 * `navigator.sendBeacon` and preflight-free `fetch` can send nothing else. The size limit is enforced earlier,
 * by the body-limit middleware, before any of this is read.
 */
export async function readBody<T extends z.ZodType>(
  c: Context,
  schema: T,
  kind: BodyKind = 'json',
  /** Set false where the route checks its parts itself, so one bad part does not sink the rest. */
  checkText = true,
): Promise<z.infer<T>> {
  const header = headerOf(c, 'content-type') ?? ''
  const semicolon = header.indexOf(';')
  const type = (semicolon < 0 ? header : header.slice(0, semicolon)).trim().toLowerCase()
  const accepted = type === 'application/json' || (kind === 'json-or-text' && type === 'text/plain')
  if (!accepted) {
    const expected = kind === 'json' ? 'application/json' : 'application/json or text/plain'
    throw new ApiError('unsupported_media_type', `Content-Type must be ${expected}`, {
      received: type || null,
    })
  }
  const data = await jsonBody(c)
  if (data === tooDeep) {
    const message = `nested more than ${maxBodyDepth} levels deep`
    throw new ApiError('validation_failed', `body: ${message}`, [{ path: '', message }])
  }
  if (data === invalidJson) throw new ApiError('invalid_json', 'The request body is not valid JSON')
  const badText = checkText ? unstorablePath(data) : undefined
  if (badText) {
    const path = badText.join('.')
    throw new ApiError('validation_failed', `${path}: ${unstorableMessage}`, [
      { path, message: unstorableMessage },
    ])
  }
  const parsed = schema.safeParse(data)
  if (!parsed.success) throw validationError(parsed.error)
  return parsed.data
}

const quote = 0x22
const backslash = 0x5c

/**
 * Whether JSON text opens more than `max` arrays and objects inside one another, counted in one pass over the
 * text (brackets in strings aside), without parsing or recursing: so nothing that walks the parsed value later
 * can be made to recurse past the stack.
 */
export function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i)
    if (inString) {
      if (char === backslash) i++
      else if (char === quote) inString = false
    } else if (char === quote) inString = true
    else if (char === 0x5b || char === 0x7b) {
      if (++depth > max) return true
    } else if (char === 0x5d || char === 0x7d) depth--
  }
  return false
}

const invalidJson = Symbol('invalid JSON')
const tooDeep = Symbol('nested too deep')
const parsedBodies = new WeakMap<Request, unknown>()

/**
 * The body parsed as JSON, once per request however many read it (the rate limit reads a public POST's site
 * before its route reads the rest); `invalidJson` when it is not JSON, `tooDeep` when nested too deep.
 */
export async function jsonBody(c: Context): Promise<unknown> {
  const request = c.req.raw
  if (parsedBodies.has(request)) return parsedBodies.get(request)
  // A read that fails (a body over the streaming size limit) is that failure, not bad JSON.
  const text = await c.req.text()
  let data: unknown
  // Counted before parsing, so nothing that walks the parsed value later can be made to recurse past the stack.
  if (nestedDeeperThan(text, maxBodyDepth)) data = tooDeep
  else {
    try {
      data = JSON.parse(text)
    } catch {
      data = invalidJson
    }
  }
  parsedBodies.set(request, data)
  return data
}

export function parseQuery<T extends z.ZodType>(c: Context, schema: T): z.infer<T> {
  const parsed = schema.safeParse(c.req.query())
  if (!parsed.success) throw validationError(parsed.error)
  return parsed.data
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A path id that is not a UUID names nothing: 404, never a database error. */
export function pathId(c: Context, name = 'id'): string {
  const id = c.req.param(name) ?? ''
  if (!uuidPattern.test(id)) throw new ApiError('not_found', 'Not found')
  return id.toLowerCase()
}

type NodeBindings = { incoming?: { headers?: Record<string, string | string[] | undefined> } }

/**
 * A request header by lower-case name. On Node it reads the IncomingMessage's own header object, which
 * @hono/node-server hands over as `c.env.incoming`: the same value `c.req.header` finds, without its
 * per-call name validation and Headers lookup (a measurable share of a serve). Elsewhere, `c.req.header`.
 */
export function headerOf(c: Context, name: string): string | undefined {
  const headers = (c.env as NodeBindings | undefined)?.incoming?.headers
  if (!headers) return c.req.header(name)
  const value = headers[name]
  return typeof value === 'string' ? value : value === undefined ? undefined : c.req.header(name)
}
