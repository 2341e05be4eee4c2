import { Buffer } from 'node:buffer'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { utf8ToBytes } from '@noble/hashes/utils.js'
import { safeEqual } from '../../../api/services/auth/keys'

/**
 * The cancel link's token: base64url(version byte + the RSVP's 16 id bytes) + "." + base64url(the first 128 bits
 * of HMAC-SHA256). Its key is derived from the signing secret for this use alone, so no click or download token
 * can pass for one. It does not expire: the RSVP's own state (cancelled, or the event over) says what it may do.
 */
const version = 1
const macBytes = 16
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const keys = new Map<string, Uint8Array>()
function keyFor(secret: string): Uint8Array {
  let key = keys.get(secret)
  if (!key) {
    key = hmac(sha256, utf8ToBytes(secret), utf8ToBytes('promo/rsvp-cancel/v1'))
    keys.set(secret, key)
  }
  return key
}

const macOf = (secret: string, body: string) =>
  Buffer.from(hmac(sha256, keyFor(secret), utf8ToBytes(body)).subarray(0, macBytes)).toString('base64url')

export function signCancel(secret: string, rsvpId: string): string {
  if (!uuid.test(rsvpId)) throw new TypeError('a cancel token names the RSVP by UUID')
  const body = Buffer.concat([Buffer.of(version), Buffer.from(rsvpId.replace(/-/g, ''), 'hex')]).toString(
    'base64url',
  )
  return `${body}.${macOf(secret, body)}`
}

/** The RSVP's id when the token is one this secret signed; null otherwise. */
export function verifyCancel(secret: string, token: string): string | null {
  const [body, mac, extra] = token.split('.')
  if (!body || !mac || extra !== undefined || body.length > 32) return null
  if (!safeEqual(mac, macOf(secret, body))) return null
  const bytes = Buffer.from(body, 'base64url')
  if (bytes.length !== 17 || bytes[0] !== version) return null
  const hex = bytes.subarray(1).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
