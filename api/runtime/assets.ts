import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import type { AssetFetcher } from '../services/deps'

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

/** The admin and the demo run under a strict CSP: the same one the SDK promises to live with. */
const strictCsp =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https: http:; " +
  "connect-src 'self'; media-src 'self' https: http:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

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

async function fileAt(root: string, relative: string): Promise<string | null> {
  const path = normalize(join(root, relative))
  if (path !== root && !path.startsWith(root + sep)) return null
  try {
    return (await stat(path)).isFile() ? path : null
  } catch {
    return null
  }
}

/** Static files for the Node server: SDK at /sdk, the admin app at /admin, the demo site at /demo. */
export function nodeAssets(options: {
  distDir: string
  examplesDir: string
  publishableKey: string
}): AssetFetcher {
  const mounts: Mount[] = [
    {
      prefix: '/sdk/',
      root: join(options.distDir, 'sdk'),
      cache: (path) =>
        path.includes('/chunks/')
          ? 'public, max-age=31536000, immutable'
          : 'public, max-age=300, stale-while-revalidate=3600',
    },
    {
      prefix: '/admin',
      root: join(options.distDir, 'admin'),
      index: 'index.html',
      spa: true,
      csp: true,
      cache: () => 'no-cache',
    },
    {
      prefix: '/demo',
      root: options.examplesDir,
      index: 'index.html',
      csp: true,
      cache: () => 'no-cache',
      replace: { '%PROMO_PUBLISHABLE_KEY%': options.publishableKey },
    },
  ]
  return async (path) => {
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
    const type = contentTypes[extname(file)] ?? 'application/octet-stream'
    const headers: Record<string, string> = {
      'Content-Type': type,
      'Cache-Control': mount.cache(path),
      'X-Content-Type-Options': 'nosniff',
    }
    if (mount.csp && type.startsWith('text/html')) headers['Content-Security-Policy'] = strictCsp
    if (mount.prefix === '/sdk/') headers['Access-Control-Allow-Origin'] = '*'
    if (mount.replace && type.startsWith('text/html')) {
      let text = await readFile(file, 'utf8')
      for (const [from, to] of Object.entries(mount.replace)) text = text.split(from).join(to)
      return new Response(text, { headers })
    }
    return new Response(await readFile(file), { headers })
  }
}

function decodeURIComponentSafe(value: string): string | null {
  try {
    return decodeURIComponent(value)
  } catch {
    return null
  }
}
