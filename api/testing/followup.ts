import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Hono } from 'hono'
import { publicOnlyFetch } from '../adapters/webhook-fetch'
import { createApp } from '../app'
import { requireAdmin } from '../http/auth/admin'
import type { AppEnv } from '../http/env'
import { outboxRoutes } from '../http/routes/outbox'
import { webhookRoutes } from '../http/routes/webhooks'
import type { Logger } from '../ports/log'
import type { Deps } from '../services/deps'
import { downloadRoutes } from '../services/followup/downloads'
import type { FollowUpDeps, LeadEvent } from '../services/followup/types'
import type { Harness } from './harness'

export interface LogLine {
  level: 'info' | 'error'
  message: string
  fields?: Record<string, unknown>
}

/**
 * An app over the harness's database and tenants with the follow-up routes mounted as api/http/app.ts will mount
 * them (admin areas behind `requireAdmin`), and a logger that keeps what it is told.
 */
export function followUpApp(h: Harness, extra: Partial<Deps & FollowUpDeps> = {}) {
  const logs: LogLine[] = []
  const log: Logger = {
    info: (message, fields) => logs.push({ level: 'info', message, fields }),
    error: (message, fields) => logs.push({ level: 'error', message, fields }),
  }
  const deps: Deps & FollowUpDeps = {
    database: h.database,
    signingSecret: 'test-signing-secret-0123456789abcdef',
    now: () => h.now.value,
    log,
    // The tests' receivers listen on 127.0.0.1.
    webhookFetch: publicOnlyFetch(true),
    ...extra,
  }
  const app = createApp(deps)
  const services = app.services
  const admin = new Hono<AppEnv>()
  for (const area of ['/webhooks', '/outbox']) {
    for (const path of [area, `${area}/*`]) admin.use(path, requireAdmin(services))
  }
  admin.route('/webhooks', webhookRoutes(services))
  admin.route('/outbox', outboxRoutes(services))
  app.route('/api/v1', admin)
  app.route('/', downloadRoutes(services))
  return { app, services, logs }
}

export interface Received {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

/**
 * A local HTTP receiver on 127.0.0.1 that answers each request with the next of `statuses` (the last one
 * repeats), or never answers while `hang` is set.
 */
export async function fakeReceiver(statuses: number[] = [200]) {
  const received: Received[] = []
  const state = { statuses, hang: false }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      })
      if (state.hang) return
      const status = state.statuses[Math.min(received.length - 1, state.statuses.length - 1)] ?? 200
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(status < 300 ? { id: 'msg_1' } : { message: 'nope' }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A lead event as the submit route would make it, for a lead that need not be stored. */
export function leadEvent(siteId: string, overrides: Partial<LeadEvent> = {}): LeadEvent {
  const at = '2026-11-29T12:00:00.000Z'
  const campaignId = crypto.randomUUID()
  return {
    type: 'lead.created',
    siteId,
    lead: {
      id: crypto.randomUUID(),
      email: 'ada@example.com',
      fields: { email: 'ada@example.com', first_name: 'Ada' },
      score: 42,
      grade: 'C',
      createdAt: at,
      updatedAt: at,
    },
    submission: { id: crypto.randomUUID(), campaignId, createdAt: at },
    campaign: { id: campaignId, name: 'Winter guide' },
    ...overrides,
  }
}
