import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { useAgent } from 'request-filtering-agent'
import { guardWebhooks, type WebhookFetch } from '../core/webhook-destination'

/**
 * A POST through request-filtering-agent, which checks the address a host resolves to when the socket
 * connects (so a name that resolves to a private or metadata address, even one that changes between checks,
 * is refused) unless `allowPrivate`. It reads only what a delivery needs: the status; redirects are never
 * followed.
 */
export function connectPublicOnly(allowPrivate: boolean) {
  return (url: string, init: RequestInit) =>
    new Promise<Response>((resolve, reject) => {
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

/** The webhook fetch on Node, for every delivery (first try and the runner's retries). */
export function publicOnlyFetch(allowPrivate: boolean): WebhookFetch {
  return guardWebhooks(connectPublicOnly(allowPrivate), allowPrivate)
}
