import { Buffer } from 'node:buffer'
import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Signed click tokens: base64url(body) + "." + base64url(HMAC-SHA256(body), first 128 bits). The body is binary
 * and small, because every serve answer carries a token (twice: alone and inside the click URL) for each
 * unit: a version byte, the site, campaign and variant ids as 16 bytes each, then the destination URL in
 * UTF-8. The redirect trusts only what was signed, so a token can never be edited to point somewhere else. A
 * token names a variant's destination, so it is signed once when the campaign is loaded, not once per serve;
 * who clicked and from which slot ride along as plain query parameters, since they decide nothing about
 * where the visitor goes.
 */
export interface ClickPayload {
  /** site id (UUID) */
  s: string
  /** campaign id (UUID) */
  c: string
  /** variant id (UUID) */
  v: string
  /** destination URL (http/https only) */
  u: string
}

const version = 1
/** 128 bits of the HMAC: far beyond guessing, and half the characters of the full 256. */
const macBytes = 16
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex')
function uuidOf(bytes: Buffer): string {
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** node:crypto's HMAC and Buffer's base64url: native on Node, provided on Workers by `nodejs_compat`. */
export class ClickSigner {
  constructor(private readonly secret: string) {}

  private mac(body: string): Buffer {
    return createHmac('sha256', this.secret).update(body).digest().subarray(0, macBytes)
  }

  sign(payload: ClickPayload): string {
    for (const id of [payload.s, payload.c, payload.v]) {
      if (!uuid.test(id)) throw new TypeError(`click tokens name ids by UUID, got ${id.slice(0, 40)}`)
    }
    const bytes = Buffer.concat([
      Buffer.of(version),
      uuidBytes(payload.s),
      uuidBytes(payload.c),
      uuidBytes(payload.v),
      Buffer.from(payload.u, 'utf8'),
    ])
    const body = bytes.toString('base64url')
    return `${body}.${this.mac(body).toString('base64url')}`
  }

  /**
   * A visitor token: the site's answer for one anonymous id, 128 bits of HMAC over both under a label no click
   * token's body can take (base64url has no NUL), so neither token stands for the other. The serve answer hands
   * it with a lead form, and the form's submit sends it back; only then is the submit linked to that id.
   */
  visitorToken(siteId: string, anonymousId: string): string {
    return this.mac(`visitor\0${siteId}\0${anonymousId}`).toString('base64url')
  }

  holdsVisitor(siteId: string, anonymousId: string, token: string): boolean {
    const expected = this.mac(`visitor\0${siteId}\0${anonymousId}`)
    const given = Buffer.from(token, 'base64url')
    return given.length === expected.length && timingSafeEqual(given, expected)
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
      const bytes = Buffer.from(body, 'base64url')
      if (bytes.length <= 49 || bytes[0] !== version) return null
      const payload: ClickPayload = {
        s: uuidOf(bytes.subarray(1, 17)),
        c: uuidOf(bytes.subarray(17, 33)),
        v: uuidOf(bytes.subarray(33, 49)),
        u: bytes.subarray(49).toString('utf8'),
      }
      const url = new URL(payload.u)
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
      return payload
    } catch {
      return null
    }
  }
}
