import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'

const brotli = promisify(brotliCompress)
const gzipAsync = promisify(gzip)

/** The encodings a request's `Accept-Encoding` allows (q above 0), by name. */
export function acceptedEncodings(header: string | null): Set<string> {
  const names = new Set<string>()
  for (const part of (header ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';')
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    if (name && !(q && Number(q.slice(2)) <= 0)) names.add(name)
  }
  return names
}

/** Below this, compressing saves less than it costs: most answers of the public routes are smaller. */
export const minCompressedJson = 1_024

/**
 * The Node server's JSON answers to GET requests, compressed by the request's `Accept-Encoding` when at least
 * `minCompressedJson` bytes: the admin's lists, analytics and exports. The visitor's POSTs (serve, events) answer
 * a few hundred bytes and are left alone, so the hot path pays one method check. Workers need none of this:
 * Cloudflare compresses at its edge.
 */
export async function compressJson(request: Request, response: Response): Promise<Response> {
  if (request.method !== 'GET' || !response.body || response.headers.has('content-encoding')) return response
  if (!response.headers.get('content-type')?.startsWith('application/json')) return response
  const accepted = acceptedEncodings(request.headers.get('accept-encoding'))
  const encoding = accepted.has('br') ? 'br' : accepted.has('gzip') ? 'gzip' : undefined
  if (!encoding) return response
  const bytes = new Uint8Array(await response.arrayBuffer())
  const headers = new Headers(response.headers)
  headers.append('Vary', 'Accept-Encoding')
  const rebuilt = (body: Uint8Array) =>
    new Response(body as Uint8Array<ArrayBuffer>, {
      status: response.status,
      statusText: response.statusText,
      headers,
    })
  if (bytes.length < minCompressedJson) return rebuilt(bytes)
  // A middle quality: an answer is compressed once, while its client waits.
  const body =
    encoding === 'br'
      ? await brotli(bytes, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
        })
      : await gzipAsync(bytes, { level: 6 })
  headers.set('Content-Encoding', encoding)
  headers.set('Content-Length', String(body.length))
  return rebuilt(body)
}
