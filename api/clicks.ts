import { Buffer } from 'node:buffer'
import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Signed click tokens: base64url(JSON payload) + "." + base64url(HMAC-SHA256). The redirect trusts only what
 * was signed, so a token can never be edited to point somewhere else. A token names a variant's destination,
 * so it is signed once when the campaign is loaded, not once per serve; who clicked and from which slot ride
 * along as plain query parameters, since they decide nothing about where the visitor goes.
 */
export interface ClickPayload {
  /** site id */
  s: string
  /** campaign id */
  c: string
  /** variant id */
  v: string
  /** destination URL (http/https only) */
  u: string
}

/** node:crypto's HMAC and Buffer's base64url: native on Node, provided on Workers by `nodejs_compat`. */
export class ClickSigner {
  constructor(private readonly secret: string) {}

  private mac(body: string): Buffer {
    return createHmac('sha256', this.secret).update(body).digest()
  }

  sign(payload: ClickPayload): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url')
    return `${body}.${this.mac(body).toString('base64url')}`
  }

  /** The payload when the signature holds and the target is http(s); otherwise null. */
  verify(token: string): ClickPayload | null {
    if (token.length > 4096) return null
    const [body, mac, extra] = token.split('.')
    if (!body || !mac || extra !== undefined || !/^[\w-]+$/.test(body) || !/^[\w-]+$/.test(mac)) return null
    try {
      const given = Buffer.from(mac, 'base64url')
      const expected = this.mac(body)
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as ClickPayload
      const url = new URL(payload.u)
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
      return payload
    } catch {
      return null
    }
  }
}
