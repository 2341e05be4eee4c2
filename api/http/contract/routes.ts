import { Hono } from 'hono'
import type { AppEnv } from '../env'
import type { RouteDoc } from './docs'
import { documentPath, type OpenApiDocument, openApiDocument, referencePath } from './document'
import { referencePage, referenceStyle } from './reference'

const cacheControl = 'public, max-age=300'

async function sha256Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))
  let binary = ''
  for (const byte of digest) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/**
 * `GET /api/v1/openapi.json` (the OpenAPI 3.1 document) and `GET /api/docs` (the reference page rendered from
 * it): public and cacheable, built once per app on first request. The server URL is the configured public URL,
 * or else the request's own origin.
 */
export function contractRoutes(typeDocs: readonly RouteDoc[], publicUrl?: string) {
  const app = new Hono<AppEnv>()
  let document: OpenApiDocument | undefined
  let styleHash: Promise<string> | undefined
  const documentFor = (origin: string): OpenApiDocument => {
    document ??= openApiDocument(typeDocs, publicUrl ?? origin)
    return publicUrl ? document : { ...document, servers: [{ url: origin }] }
  }
  const originOf = (url: string) => new URL(url).origin

  app.get(documentPath, (c) =>
    c.body(JSON.stringify(documentFor(originOf(c.req.url))), 200, {
      'Content-Type': 'application/json',
      'Cache-Control': cacheControl,
      'X-Content-Type-Options': 'nosniff',
    }),
  )
  app.get(referencePath, async (c) => {
    styleHash ??= sha256Base64(referenceStyle)
    const html = referencePage(documentFor(originOf(c.req.url)), documentPath)
    return c.body(html, 200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': cacheControl,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${await styleHash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    })
  })
  return app
}
