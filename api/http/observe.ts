import type { ServerResponse } from 'node:http'
import type { Context, MiddlewareHandler, Next } from 'hono'
import { routePath } from 'hono/route'
import { redact } from '../core/log'
import { noMetrics } from '../ports/metrics'
import type { Services } from '../services/index'
import type { AppEnv } from './env'
import { headerOf } from './request'

const requestIdShape = /^[A-Za-z0-9._-]{1,64}$/

/**
 * The caller's `X-Request-Id` when it is a plain token of up to 64 characters that the logs would print as
 * sent (not a key, an email, an address or a random-looking secret), else a new UUID.
 */
export function requestIdOf(sent: string | undefined): string {
  return sent !== undefined && requestIdShape.test(sent) && redact(sent) === sent ? sent : crypto.randomUUID()
}

type NodeBindings = { outgoing?: ServerResponse }

/**
 * Every request gets a request id (echoed as `X-Request-Id`), one access log line (info: id, method, route
 * pattern, status, duration) and its place in the request metrics. The route is the pattern the router matched,
 * so ids and tokens in paths never become log fields or metric labels. On Node the id header goes straight onto
 * the outgoing message, which keeps @hono/node-server's fast path for plain responses (a header set through
 * Hono costs serve about a tenth of its throughput).
 */
export function observeRequests(services: Services): MiddlewareHandler<AppEnv> {
  const { log, metrics } = services
  // With no access log and no metrics (Workers, tests, PROMO_LOG=silent without /metrics) a request only gets
  // its id, and is not awaited here.
  const recording = metrics !== noMetrics || log.infoEnabled !== false
  return (c, next) => {
    const id = requestIdOf(headerOf(c, 'x-request-id'))
    c.set('requestId', id)
    const outgoing = (c.env as NodeBindings | undefined)?.outgoing
    if (outgoing) outgoing.setHeader('X-Request-Id', id)
    if (!recording) return outgoing ? next() : next().then(() => c.header('X-Request-Id', id))
    return record(c, next, id, !outgoing)
  }

  async function record(c: Context<AppEnv>, next: Next, id: string, setHeader: boolean) {
    const started = performance.now()
    await next()
    if (setHeader) c.header('X-Request-Id', id)
    const seconds = (performance.now() - started) / 1000
    const route = routePath(c)
    const status = c.res.status
    metrics.request(c.req.method, route, status, seconds)
    log.info('request', {
      requestId: id,
      method: c.req.method,
      route,
      status,
      durationMs: Math.round(seconds * 10_000) / 10,
    })
  }
}
