import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { useAgent } from 'request-filtering-agent'

/**
 * The fetch webhook deliveries use on Node: a POST through request-filtering-agent, which checks the address a
 * host resolves to when the socket connects (so a name that resolves to a private or metadata address, even
 * one that changes between checks, is refused) unless `allowPrivate`. It reads only what a delivery needs: the
 * status; redirects are never followed.
 */
export function publicOnlyFetch(allowPrivate: boolean): typeof fetch {
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = String(input instanceof Request ? input.url : input)
      const send = url.startsWith('https:') ? httpsRequest : httpRequest
      const headers = Object.fromEntries(new Headers(init.headers).entries())
      const request = send(
        url,
        {
          method: init.method ?? 'GET',
          headers,
          agent: useAgent(url, { allowPrivateIPAddress: allowPrivate, allowMetaIPAddress: allowPrivate }),
          signal: init.signal ?? undefined,
        },
        (response) => {
          response.resume()
          response.on('end', () => resolve(new Response(null, { status: response.statusCode ?? 502 })))
          response.on('error', reject)
        },
      )
      request.on('error', reject)
      request.end(typeof init.body === 'string' ? init.body : undefined)
    })
}
