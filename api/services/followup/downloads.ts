import { Buffer } from 'node:buffer'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { utf8ToBytes } from '@noble/hashes/utils.js'
import { Hono } from 'hono'
import { ApiError } from '../../core/errors'
import type { Services } from '../index'

/**
 * Gated downloads: after a submit the lead gets `/d/<token>`, which redirects to the offer's asset until it
 * expires. The token is base64url(body) + "." + base64url(HMAC-SHA256, first 128 bits); the body is a version
 * byte, the lead and campaign ids (16 bytes each), the expiry in Unix seconds (4 bytes) and the asset URL. The
 * MAC key is derived from the signing secret for this use alone, so no click token can pass for a download.
 */
export interface DownloadGrant {
  leadId: string
  campaignId: string
  /** http(s) only. */
  assetUrl: string
  /** When the link stops working. */
  expiresAt: Date
}

export const defaultDownloadTtlMs = 24 * 3_600_000

const version = 1
const macBytes = 16
const headerBytes = 1 + 16 + 16 + 4
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const keys = new Map<string, Uint8Array>()
function keyFor(secret: string): Uint8Array {
  let key = keys.get(secret)
  if (!key) {
    key = hmac(sha256, utf8ToBytes(secret), utf8ToBytes('promo/download-link/v1'))
    keys.set(secret, key)
  }
  return key
}

const macOf = (secret: string, body: string) =>
  hmac(sha256, keyFor(secret), utf8ToBytes(body)).subarray(0, macBytes)

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:'
  } catch {
    return false
  }
}

const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex')
function uuidOf(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export function signDownload(secret: string, grant: DownloadGrant): string {
  if (!uuid.test(grant.leadId) || !uuid.test(grant.campaignId)) {
    throw new TypeError('download links name the lead and campaign by UUID')
  }
  if (!isHttpUrl(grant.assetUrl)) throw new TypeError('a download link points at an http(s) URL only')
  const expires = Buffer.alloc(4)
  expires.writeUInt32BE(Math.max(0, Math.floor(grant.expiresAt.getTime() / 1000)))
  const body = Buffer.concat([
    Buffer.of(version),
    uuidBytes(grant.leadId),
    uuidBytes(grant.campaignId),
    expires,
    Buffer.from(grant.assetUrl, 'utf8'),
  ]).toString('base64url')
  return `${body}.${Buffer.from(macOf(secret, body)).toString('base64url')}`
}

export type DownloadCheck = { ok: true; grant: DownloadGrant } | { ok: false; reason: 'invalid' | 'expired' }

/** The grant when the token is signed, names an http(s) asset and has not expired at `now` (ms). */
export function verifyDownload(secret: string, token: string, now: number): DownloadCheck {
  const invalid = { ok: false, reason: 'invalid' } as const
  if (token.length > 4096) return invalid
  const [body, mac, extra] = token.split('.')
  if (!body || !mac || extra !== undefined || !/^[\w-]+$/.test(body) || !/^[\w-]+$/.test(mac)) return invalid
  const given = Buffer.from(mac, 'base64url')
  const expected = macOf(secret, body)
  if (given.length !== expected.length) return invalid
  let diff = 0
  for (let i = 0; i < expected.length; i++) diff |= given[i]! ^ expected[i]!
  if (diff !== 0) return invalid
  const bytes = Buffer.from(body, 'base64url')
  if (bytes.length <= headerBytes || bytes[0] !== version) return invalid
  const grant: DownloadGrant = {
    leadId: uuidOf(bytes.subarray(1, 17)),
    campaignId: uuidOf(bytes.subarray(17, 33)),
    expiresAt: new Date(bytes.readUInt32BE(33) * 1000),
    assetUrl: bytes.subarray(headerBytes).toString('utf8'),
  }
  if (!isHttpUrl(grant.assetUrl)) return invalid
  if (grant.expiresAt.getTime() <= now) return { ok: false, reason: 'expired' }
  return { ok: true, grant }
}

export interface DownloadLinkOptions {
  /** Origin the link points at (the API's public origin); without one the URL is a path, `/d/…`. */
  origin?: string
  now?: number
  /** Lifetime when the grant names no `expiresAt`; default 24 h. */
  ttlMs?: number
}

/** A signed link to the asset that works until `expiresAt` (by default 24 h from `now`). */
export function downloadLink(
  secret: string,
  grant: Omit<DownloadGrant, 'expiresAt'> & { expiresAt?: Date },
  options: DownloadLinkOptions = {},
): { url: string; expiresAt: string } {
  const expiresAt =
    grant.expiresAt ?? new Date((options.now ?? Date.now()) + (options.ttlMs ?? defaultDownloadTtlMs))
  // Whole seconds, as signed: the answer states exactly when the link stops working.
  const signedExpiry = new Date(Math.floor(expiresAt.getTime() / 1000) * 1000)
  const token = signDownload(secret, { ...grant, expiresAt: signedExpiry })
  const origin = (options.origin ?? '').replace(/\/+$/, '')
  return { url: `${origin}/d/${token}`, expiresAt: signedExpiry.toISOString() }
}

/** `GET /d/:token`, mounted at the root beside `/r/:token`: a valid link redirects to its asset. */
export function downloadRoutes(services: Services) {
  const app = new Hono()
  app.get('/d/:token', (c) => {
    c.header('Cache-Control', 'no-store')
    c.header('X-Robots-Tag', 'noindex')
    const check = verifyDownload(services.deps.signingSecret, c.req.param('token'), services.now())
    if (check.ok) {
      c.header('Referrer-Policy', 'no-referrer')
      return c.redirect(check.grant.assetUrl, 302)
    }
    if (check.reason === 'expired') {
      throw new ApiError('link_expired', 'This download link has expired: submit the form again')
    }
    throw new ApiError('invalid_token', 'This link is not valid')
  })
  return app
}
