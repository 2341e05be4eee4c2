import type { MiddlewareHandler } from 'hono'
import { bodyLimit as streamingBodyLimit } from 'hono/body-limit'
import { ApiError } from '../core/errors'
import { headerOf } from './request'

/**
 * 413 for bodies over `max` bytes. A declared Content-Length is checked from the header alone: touching the raw
 * body stream (as Hono's own middleware does first) makes @hono/node-server build a full web Request and
 * ReadableStream, which cost serve about half its throughput. Bodies without a length are counted as they stream.
 */
export function bodyLimit(max: number): MiddlewareHandler {
  const tooLarge = () => {
    throw new ApiError('payload_too_large', `The request body is larger than ${max} bytes`)
  }
  const streaming = streamingBodyLimit({ maxSize: max, onError: tooLarge })
  return async (c, next) => {
    const length = headerOf(c, 'content-length')
    if (length !== undefined && headerOf(c, 'transfer-encoding') === undefined) {
      if (!/^\d+$/.test(length)) throw new ApiError('bad_request', 'Invalid Content-Length')
      if (Number(length) > max) tooLarge()
      return next()
    }
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next()
    return streaming(c, next)
  }
}
