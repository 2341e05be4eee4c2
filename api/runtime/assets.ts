import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import type { AssetFetcher } from '../services/deps'
import { acceptedEncodings } from './compress'

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.map': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
}

/** Text formats gain from compression; images are compressed already. */
const compressible = /^(text\/|application\/json|image\/svg)/
/** Below this a compressed body saves less than its headers cost. */
const minCompressBytes = 512

/** The admin and the demo run under a strict CSP: the same one the SDK promises to live with. */
const strictCsp =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https: http:; " +
  "connect-src 'self'; media-src 'self' https: http:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

const immutable = 'public, max-age=31536000, immutable'
/** Revalidated on every use (cheaply, by ETag): the files whose name stays the same from build to build. */
const revalidate = 'no-cache'

interface Mount {
  prefix: string
  root: string
  /** File to answer for the bare prefix and for paths without an extension (single-page apps). */
  index?: string
  spa?: boolean
  cache: (path: string) => string
  csp?: boolean
  /** Text replacements for HTML pages, such as the demo site's publishable key. */
  replace?: Record<string, string>
}

/** One file as it is sent: its bytes, their ETag, and the compressed forms made once per version of the file. */
interface Prepared {
  version: string
  etag: string
  identity: Uint8Array
  br?: Uint8Array
  gzip?: Uint8Array
}

const brotli = promisify(brotliCompress)
const gzipAsync = promisify(gzip)

async function prepare(bytes: Uint8Array, type: string, version: string): Promise<Prepared> {
  const etag = `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 22)}"`
  const prepared: Prepared = { version, etag, identity: bytes }
  if (!compressible.test(type) || bytes.length < minCompressBytes) return prepared
  // Made once per file version and kept, so the slowest settings cost nothing per request.
  const [br, gz] = await Promise.all([
    brotli(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    }),
    gzipAsync(bytes, { level: 9 }),
  ])
  if (br.length < bytes.length) prepared.br = br
  if (gz.length < bytes.length) prepared.gzip = gz
  return prepared
}

/** Whether `If-None-Match` names this file's content (any encoding of it: the suffix says which). */
function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false
  if (ifNoneMatch.trim() === '*') return true
  const bare = etag.slice(1, -1)
  return ifNoneMatch.split(',').some((tag) => {
    const value = tag.trim().replace(/^W\//, '').replace(/^"|"$/g, '')
    return value === bare || value.replace(/-(br|gz)$/, '') === bare
  })
}

async function fileAt(root: string, relative: string) {
  const path = normalize(join(root, relative))
  if (path !== root && !path.startsWith(root + sep)) return null
  try {
    const info = await stat(path)
    return info.isFile() ? { path, version: `${info.mtimeMs}:${info.size}` } : null
  } catch {
    return null
  }
}

/** esbuild's and rollup's content-hashed names (`app-7KQ3ZJ2M.js`, `awareness-3f9a…-1a2b3c4d.js`). */
const hashedName = /-[A-Za-z0-9_]{8,}\.(js|css|map)$/

/**
 * Static files for the Node server: SDK at /sdk, the admin app at /admin, the demo site at /demo. Each file is sent
 * brotli- or gzip-compressed by the request's `Accept-Encoding` (with `Vary`), compressed once per version of the
 * file; content-hashed files are cached for good, the rest revalidate by ETag and get a 304 when unchanged.
 */
export function nodeAssets(options: {
  distDir: string
  examplesDir: string
  publishableKey: string
}): AssetFetcher {
  const mounts: Mount[] = [
    {
      prefix: '/sdk/',
      root: join(options.distDir, 'sdk'),
      // The loader and the manifest keep their names across builds: a page gets a new build within 5 minutes,
      // by a revalidation that costs a 304 when nothing changed. Chunks carry their build in their names.
      cache: (path) =>
        path.includes('/chunks/') ? immutable : 'public, max-age=300, stale-while-revalidate=3600',
    },
    {
      prefix: '/admin',
      root: join(options.distDir, 'admin'),
      index: 'index.html',
      spa: true,
      csp: true,
      cache: (path) => (hashedName.test(path) ? immutable : revalidate),
    },
    {
      prefix: '/demo',
      root: options.examplesDir,
      index: 'index.html',
      csp: true,
      cache: () => revalidate,
      replace: { '%PROMO_PUBLISHABLE_KEY%': options.publishableKey },
    },
  ]
  const prepared = new Map<string, Promise<Prepared>>()

  const load = (file: { path: string; version: string }, type: string, mount: Mount) => {
    const known = prepared.get(file.path)
    if (known) {
      // A rebuild (npm run dev) changes the file under the same name: made again, once.
      const current = known.then((p) => (p.version === file.version ? p : undefined))
      return current.then((p) => p ?? reload())
    }
    return reload()
    function reload() {
      const made = readFile(file.path).then(async (buffer) => {
        let bytes: Uint8Array = buffer
        if (mount.replace && type.startsWith('text/html')) {
          let text = buffer.toString('utf8')
          for (const [from, to] of Object.entries(mount.replace)) text = text.split(from).join(to)
          bytes = Buffer.from(text, 'utf8')
        }
        return prepare(bytes, type, file.version)
      })
      // A failed read is not kept: the next request tries again.
      made.catch(() => prepared.delete(file.path))
      prepared.set(file.path, made)
      return made
    }
  }

  return async (path, requestHeaders) => {
    const mount = mounts.find(
      (m) => path === m.prefix || path.startsWith(m.prefix.endsWith('/') ? m.prefix : `${m.prefix}/`),
    )
    if (!mount) return null
    let relative = decodeURIComponentSafe(path.slice(mount.prefix.length).replace(/^\/+/, ''))
    if (relative === null) return null
    if (relative === '' || relative.endsWith('/')) relative += mount.index ?? ''
    let file = relative ? await fileAt(mount.root, relative) : null
    if (!file && mount.spa && !extname(relative) && mount.index) file = await fileAt(mount.root, mount.index)
    if (!file) return null
    const type = contentTypes[extname(file.path)] ?? 'application/octet-stream'
    const sent = await load(file, type, mount)
    const headers: Record<string, string> = {
      'Content-Type': type,
      'Cache-Control': mount.cache(path),
      'X-Content-Type-Options': 'nosniff',
    }
    if (sent.br || sent.gzip) headers.Vary = 'Accept-Encoding'
    if (mount.csp && type.startsWith('text/html')) headers['Content-Security-Policy'] = strictCsp
    if (mount.prefix === '/sdk/') headers['Access-Control-Allow-Origin'] = '*'

    const encodings = acceptedEncodings(requestHeaders?.get('accept-encoding') ?? null)
    let body = sent.identity
    let etag = sent.etag
    if (sent.br && encodings.has('br')) {
      body = sent.br
      headers['Content-Encoding'] = 'br'
      etag = `${sent.etag.slice(0, -1)}-br"`
    } else if (sent.gzip && (encodings.has('gzip') || encodings.has('x-gzip'))) {
      body = sent.gzip
      headers['Content-Encoding'] = 'gzip'
      etag = `${sent.etag.slice(0, -1)}-gz"`
    }
    headers.ETag = etag
    if (matches(requestHeaders?.get('if-none-match') ?? null, sent.etag)) {
      delete headers['Content-Encoding']
      return new Response(null, { status: 304, headers })
    }
    headers['Content-Length'] = String(body.length)
    // Node's Buffers are Uint8Arrays over an ArrayBuffer; the DOM typing cannot tell.
    return new Response(body as Uint8Array<ArrayBuffer>, { headers })
  }
}

function decodeURIComponentSafe(value: string): string | null {
  try {
    return decodeURIComponent(value)
  } catch {
    return null
  }
}
