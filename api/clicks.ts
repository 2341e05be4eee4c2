/**
 * Signed click tokens: base64url(JSON payload) + "." + base64url(HMAC-SHA256). The redirect trusts only what
 * was signed, so a token can never be edited to point somewhere else.
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
  /** slot, if the unit filled one */
  l?: string
  /** anonymous id of the visitor it was served to */
  a?: string
  /** issued at, epoch seconds */
  t: number
}

const encoder = new TextEncoder()

function b64url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromB64url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/')
  return Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (ch) => ch.charCodeAt(0))
}

export class ClickSigner {
  private readonly key: Promise<CryptoKey>

  constructor(secret: string) {
    this.key = crypto.subtle.importKey(
      'raw',
      encoder.encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    )
  }

  async sign(payload: ClickPayload): Promise<string> {
    const body = b64url(encoder.encode(JSON.stringify(payload)))
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await this.key, encoder.encode(body)))
    return `${body}.${b64url(mac)}`
  }

  /** The payload when the signature holds and the target is http(s); otherwise null. */
  async verify(token: string): Promise<ClickPayload | null> {
    if (token.length > 4096) return null
    const [body, mac, extra] = token.split('.')
    if (!body || !mac || extra !== undefined) return null
    try {
      const ok = await crypto.subtle.verify(
        'HMAC',
        await this.key,
        fromB64url(mac) as BufferSource,
        encoder.encode(body),
      )
      if (!ok) return null
      const payload = JSON.parse(new TextDecoder().decode(fromB64url(body))) as ClickPayload
      const url = new URL(payload.u)
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
      return payload
    } catch {
      return null
    }
  }
}
