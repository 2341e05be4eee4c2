import type { Context } from 'hono'
import { headerOf } from './request'

type NodeBindings = { incoming?: { socket?: { remoteAddress?: string } } }

/** Loopback, private and link-local addresses (v4, v6 and v4-mapped v6): where a proxy on the same network is. */
const localAddress =
  /^(::ffff:)?(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.)|^(::1$|f[cd][0-9a-f]{2}:|fe80:)/i
const forwardingHeaders = ['x-forwarded-for', 'forwarded', 'x-real-ip']

const addressShape = /^[0-9A-Fa-f:.]{2,45}$/
const address = (value: string | undefined) => {
  const trimmed = value?.trim()
  return trimmed && addressShape.test(trimmed) ? trimmed : undefined
}

/**
 * The visitor's address, for rate limiting only (it is never stored), from the most trustworthy source there is:
 * - `trustedHeader` (deps `clientIpHeader`), set when a proxy in front of the server writes the visitor's
 *   address into that header; for `x-forwarded-for` the first address, so the proxy must replace the header a
 *   client sent rather than append to it. A request without the header (or with no address in it) reached the
 *   server some other way and falls through to the next source.
 * - On Workers (the request carries `cf`), `cf-connecting-ip`: Cloudflare sets it and overwrites a client's.
 * - On Node, the socket's peer address; but a local peer that forwards for someone else is a proxy nobody said
 *   to trust, and its address is every visitor's.
 * Undefined when none is known (`app.request` in tests, an untrusted proxy): such submits are not limited per
 * address, as counting every unknown visitor together would let one of them lock out all the others.
 */
export function clientIp(c: Context, trustedHeader?: string): string | undefined {
  if (trustedHeader) {
    const forwarded = address(headerOf(c, trustedHeader.toLowerCase())?.split(',')[0])
    if (forwarded) return forwarded
  }
  if ((c.req.raw as { cf?: unknown }).cf !== undefined) return address(headerOf(c, 'cf-connecting-ip'))
  const peer = address((c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress)
  if (peer && localAddress.test(peer) && forwardingHeaders.some((name) => headerOf(c, name) !== undefined)) {
    return undefined
  }
  return peer
}
