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

/**
 * The check-in code an attendee shows at the door: 8 characters of Crockford base32 (40 bits of an HMAC of the
 * RSVP's id under a key for this use alone), written `ABCD-EFGH`. Short enough to read out or type; only an admin
 * can submit it, for one campaign, and it names no RSVP by itself: the server finds which of the campaign's RSVPs
 * it belongs to. Without the signing secret nobody can make one.
 */
const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const checkInKeys = new Map<string, Uint8Array>()

export function checkInCode(secret: string, rsvpId: string): string {
  let key = checkInKeys.get(secret)
  if (!key) {
    key = hmac(sha256, utf8ToBytes(secret), utf8ToBytes('promo/rsvp-check-in/v1'))
    checkInKeys.set(secret, key)
  }
  const mac = hmac(sha256, key, utf8ToBytes(rsvpId.toLowerCase()))
  // 40 bits, 5 at a time.
  let bits = 0n
  for (const byte of mac.subarray(0, 5)) bits = (bits << 8n) | BigInt(byte)
  let code = ''
  for (let i = 7; i >= 0; i--) code += crockford[Number((bits >> BigInt(i * 5)) & 31n)]
  return `${code.slice(0, 4)}-${code.slice(4)}`
}

/**
 * A code as typed or scanned, in the form `checkInCode` writes: case, spaces and dashes do not matter, and the
 * letters people mistake for digits (O, I, L) read as those digits. Null when it cannot be a code.
 */
export function normalizeCheckInCode(input: string): string | null {
  const plain = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1')
  if (plain.length !== 8 || [...plain].some((ch) => !crockford.includes(ch))) return null
  return `${plain.slice(0, 4)}-${plain.slice(4)}`
}
