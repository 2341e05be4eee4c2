import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import * as api from '../../../schema/api'
import { limits } from '../../../schema/limits'
import { PrometheusMetrics } from '../../adapters/prometheus'
import { createApp } from '../../app'
import type { ServerTypes } from '../../promotion'
import { serverTypes } from '../../promotions'
import {
  client,
  createHarness,
  type Harness,
  readError,
  readJson,
  testSigningSecret,
} from '../../testing/harness'
import { openApiPath, phantomOperations, undocumentedRoutes } from './coverage'
import { operation } from './docs'
import { type OpenApiDocument, openApiDocument } from './document'

let h: Harness
let document: OpenApiDocument

beforeAll(async () => {
  h = await createHarness({
    publicUrl: 'https://promo.example.com',
    metrics: new PrometheusMetrics({ defaultMetrics: false }),
    metricsToken: 'metrics-token-0123456789',
  })
  const res = await h.app.request('/api/v1/openapi.json')
  expect(res.status).toBe(200)
  document = (await res.json()) as OpenApiDocument
})
afterAll(() => h.close())

type Operation = {
  parameters?: { name: string; in: string }[]
  requestBody?: { content: Record<string, { schema: unknown }> }
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>
  security?: Record<string, unknown>[]
}
const operationAt = (path: string, method: string) =>
  (document.paths as Record<string, Record<string, Operation>>)[path]![method]!

describe('GET /api/v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document titled Promo API, served from the public URL, public and cacheable', async () => {
    expect(document.openapi).toBe('3.1.0')
    expect(document.info.title).toBe('Promo API')
    expect(document.servers).toEqual([{ url: 'https://promo.example.com' }])
    const res = await h.app.request('/api/v1/openapi.json')
    expect(res.headers.get('content-type')).toContain('application/json')
    expect(res.headers.get('cache-control')).toBe('public, max-age=300')
  })

  it('lists every route the app serves, public and admin (so a route added without docs fails here)', () => {
    const routes = h.app.routes
    // The walk sees the admin areas, the types' routes and /metrics, or it would prove nothing.
    const seen = new Set(routes.map((r) => `${r.method} ${openApiPath(r.path)}`))
    for (const route of [
      'POST /api/v1/serve',
      'POST /api/v1/events',
      'GET /metrics',
      'GET /api/v1/leads/{id}',
      'PUT /api/v1/content',
      'DELETE /api/v1/engagements/comments/{id}',
      'POST /api/v1/campaigns/{type}/{id}/{action}',
    ]) {
      expect(seen.has(route), route).toBe(true)
    }
    expect(undocumentedRoutes(routes, document)).toEqual([])
    expect(phantomOperations(routes, document)).toEqual([])
  })

  it('finds a route a type adds without docs', () => {
    const extra = new Hono()
    extra.get('/undocumented/:id', (c) => c.text('x'))
    const types: ServerTypes = {
      ...serverTypes,
      awareness: { ...serverTypes.awareness!, routes: () => extra as never },
    }
    const app = createApp({ database: h.database, signingSecret: testSigningSecret }, types)
    expect(
      undocumentedRoutes(
        app.routes,
        openApiDocument(
          Object.values(types).flatMap((type) => type?.docs ?? []),
          'http://x',
        ),
      ),
    ).toEqual(['GET /api/v1/undocumented/{id}'])
  })

  it('names the schemas the hot paths validate with, request and answer', () => {
    const serve = operationAt('/api/v1/serve', 'post')
    expect(Object.keys(serve.requestBody!.content)).toEqual(['application/json', 'text/plain'])
    const serveBody = JSON.stringify(serve.requestBody!.content['application/json']!.schema)
    for (const field of ['"site"', '"slots"', '"anonymousId"', '"context"'])
      expect(serveBody).toContain(field)
    expect(JSON.stringify(serve.responses['200'])).toContain('#/components/schemas/Decision')
    const events = operationAt('/api/v1/events', 'post')
    const eventsBody = JSON.stringify(events.requestBody!.content['application/json']!.schema)
    expect(eventsBody).toContain('"batch"')
    expect(eventsBody).toContain(`"maxItems":${limits.batch}`)
    expect(eventsBody).toContain('"eventId"')
    expect(JSON.stringify(events.responses['200'])).toContain('"accepted"')
  })

  it('gives every operation an answer and the error shape; admin routes need credentials', () => {
    const paths = document.paths as Record<string, Record<string, Operation>>
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(item)) {
        const statuses = Object.keys(op.responses)
        expect(
          statuses.some((s) => /^[23]/.test(s)),
          `${method} ${path}`,
        ).toBe(true)
        for (const status of ['500', ...(op.parameters?.length || op.requestBody ? ['400'] : [])]) {
          expect(JSON.stringify(op.responses[status]), `${status} ${method} ${path}`).toContain(
            '#/components/schemas/Error',
          )
        }
      }
    }
    const errorSchema = (document.components!.schemas as Record<string, { properties: object }>).Error!
    expect(Object.keys(errorSchema.properties)).toEqual(['error'])
    expect(operationAt('/api/v1/campaigns', 'get').security).toEqual([
      { session: [], csrf: [] },
      { secretKey: [] },
    ])
    expect(operationAt('/api/v1/serve', 'post').security).toEqual([{ publishableKey: [] }])
    expect(Object.keys(operationAt('/api/v1/serve', 'post').responses)).toEqual(
      expect.arrayContaining(['200', '400', '413', '415', '429', '503']),
    )
    expect(Object.keys(operationAt('/api/v1/campaigns/{id}', 'get').responses)).toEqual(
      expect.arrayContaining(['200', '401', '403', '404']),
    )
    // /healthz's own 503 answer (the health report) is kept, not replaced by the error shape.
    expect(JSON.stringify(operationAt('/healthz', 'get').responses['503'])).toContain('"database"')
  })

  it('declares every path parameter, names each operation once, and has no dangling reference', () => {
    const paths = document.paths as Record<string, Record<string, Operation>>
    for (const [path, item] of Object.entries(paths)) {
      const named = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
      for (const [method, op] of Object.entries(item)) {
        const declared = (op.parameters ?? [])
          .filter((p) => p.in === 'path')
          .map((p) => p.name)
          .sort()
        expect(declared, `${method} ${path}`).toEqual(named)
      }
    }
    const schemas = document.components!.schemas as Record<string, unknown>
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)]
    expect(refs.length).toBeGreaterThan(0)
    for (const [, name] of refs) expect(schemas, name).toHaveProperty(name!)
  })

  it('documents path, query and body fields from the handlers’ schemas', () => {
    const list = operationAt('/api/v1/campaigns', 'get')
    expect(list.parameters!.map((p) => `${p.in}:${p.name}`).sort()).toEqual(
      ['query:cursor', 'query:limit', 'query:siteId', 'query:status', 'query:type'].sort(),
    )
    const transition = operationAt('/api/v1/campaigns/{id}/{action}', 'post')
    expect(JSON.stringify(transition.parameters)).toContain('"activate"')
    const create = JSON.stringify(operationAt('/api/v1/campaigns', 'post').requestBody)
    expect(create).toContain('"variants"')
    expect(JSON.stringify(operationAt('/api/v1/leads', 'post').requestBody)).toContain('"fields"')
  })

  it('uses the configured public URL, else the request’s own origin', async () => {
    const app = createApp({ database: h.database, signingSecret: testSigningSecret })
    const res = await app.request('http://api.local:8787/api/v1/openapi.json')
    expect(((await res.json()) as OpenApiDocument).servers).toEqual([{ url: 'http://api.local:8787' }])
  })
})

describe('a route declared with createRoute (GET /api/v1/outbox)', () => {
  it('answers bad input with the project’s validation error, as parseQuery did', async () => {
    const admin = client(h.app, { secretKey: h.a.secretKey })
    const zero = await admin.get('/api/v1/outbox?limit=0')
    expect(zero.status).toBe(400)
    const error = await readError(zero)
    expect(error.code).toBe('validation_failed')
    expect(error.paths).toEqual(['limit'])
    expect(error.message).toMatch(/^limit: /)
    const unknown = await readError(await admin.get('/api/v1/outbox?colour=red'))
    expect(unknown.code).toBe('validation_failed')
    expect((await admin.get(`/api/v1/outbox?siteId=${h.b.siteId}`)).status).toBe(404)
    const ok = await readJson(await admin.get('/api/v1/outbox?limit=5'), api.pageOf(api.mail))
    expect(ok.nextCursor).toBeNull()
  })

  it('is documented from its own declaration, with the common errors added', () => {
    const list = operationAt('/api/v1/outbox', 'get')
    expect(list.parameters!.map((p) => p.name).sort()).toEqual(['cursor', 'limit', 'siteId'])
    expect(Object.keys(list.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404']))
    expect(JSON.stringify(list.responses['200'])).toContain('#/components/schemas/Mail')
  })
})

describe('answers no other test reads', () => {
  it('match their documented schemas: types, readiness, attribution recompute', async () => {
    const types = await readJson(await h.app.request('/api/v1/types'), api.servedTypes)
    expect(types.data.find((t) => t.type === 'awareness')?.servable).toBe(true)
    expect((await readJson(await h.app.request('/readyz'), api.readiness)).ok).toBe(true)
    const recompute = await client(h.app, { secretKey: h.a.secretKey }).post(
      `/api/v1/sites/${h.a.siteId}/attribution/recompute`,
      { from: '2026-11-01T00:00:00Z', to: '2026-11-29T00:00:00Z' },
    )
    expect(recompute.status).toBe(200)
    expect(await readJson(recompute, api.recomputeAnswer)).toEqual({ conversions: 0, credits: 0 })
  })
})

describe('GET /api/docs', () => {
  it('is a self-contained page listing every operation, under a CSP with no script', async () => {
    const res = await h.app.request('/api/docs')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('public, max-age=300')
    const csp = res.headers.get('content-security-policy')!
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+';/)
    const html = await res.text()
    expect(html).not.toMatch(/<script|src=|https?:\/\/(?!promo\.example\.com)/i)
    // The style sheet is the one the CSP's hash allows.
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(style))
    expect(csp).toContain(`'sha256-${Buffer.from(digest).toString('base64')}'`)
    for (const [path, item] of Object.entries(document.paths as Record<string, object>)) {
      for (const method of Object.keys(item)) {
        expect(html, `${method} ${path}`).toContain(
          `id="${`${method}-${path}`.replace(/[^A-Za-z0-9_-]+/g, '-')}"`,
        )
      }
    }
    expect(html).toContain('href="#schema-Campaign"')
  })

  it('escapes every string it renders', async () => {
    const hostile = '<img src=x onerror=alert(1)>"\'&'
    const extra = new Hono()
    extra.get('/hostile', (c) => c.text('x'))
    const types: ServerTypes = {
      ...serverTypes,
      awareness: {
        ...serverTypes.awareness!,
        routes: () => extra as never,
        docs: [
          operation('get', '/api/v1/hostile', {
            summary: hostile,
            description: hostile,
            tag: hostile,
            access: 'none',
            query: z.object({ [hostile]: z.string().describe(hostile) }),
            answers: { 200: { description: hostile, schema: z.object({ [hostile]: z.literal(hostile) }) } },
          }),
        ],
      },
    }
    const html = await (
      await createApp({ database: h.database, signingSecret: testSigningSecret }, types).request('/api/docs')
    ).text()
    expect(html).not.toContain('<img')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;')
  })
})
