import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'

/**
 * A site and a fake Promo API on one origin, for the SDK's own browser tests: the built SDK from dist/sdk (run
 * `npm run build:sdk` first), the test's pages under a strict CSP, and whatever else the test answers itself.
 */

/** What a site under a strict CSP allows: its own scripts, styles, images and API, nothing inline, no eval. */
export const strictCsp =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'"

/** A page or file of the site: its content type and body. */
export type SiteFiles = Record<string, [contentType: string, body: string]>

export const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => resolve(body))
  })

export function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body))
}

/**
 * Starts the site on 127.0.0.1: `answer` goes first (true when it answered), then the SDK's files, then
 * `files`; anything else is a 404 (a 204 for the favicon).
 */
export async function startFakeSite(
  files: SiteFiles,
  answer: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>,
) {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (await answer(req, res, url)) return
    const path = url.pathname
    const file = normalize(join('dist', path))
    if (path.startsWith('/sdk/') && file.startsWith('dist/sdk/')) {
      try {
        const content = await readFile(file)
        res.setHeader('Content-Type', extname(file) === '.js' ? 'text/javascript' : 'application/json')
        return void res.end(content)
      } catch {}
    }
    const page = files[path]
    if (!page) return void res.writeHead(path === '/favicon.ico' ? 204 : 404).end()
    res.writeHead(200, { 'Content-Type': page[0], 'Content-Security-Policy': strictCsp }).end(page[1])
  }
  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
