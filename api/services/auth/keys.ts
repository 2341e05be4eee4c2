import { secretKeys } from '../../../schema/db'
import type { Db } from '../../ports/database'

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** A random base62 string; rejection sampling keeps every character equally likely. */
export function randomToken(length: number): string {
  let out = ''
  while (out.length < length) {
    const bytes = crypto.getRandomValues(new Uint8Array(length * 2))
    for (const byte of bytes) {
      if (byte < 248 && out.length < length) out += alphabet[byte % 62]
    }
  }
  return out
}

export const newPublishableKey = () => `pk_live_${randomToken(24)}`
export const newSecretKey = () => `sk_live_${randomToken(32)}`

export function displayPrefix(key: string): string {
  return `${key.slice(0, 12)}…`
}

export async function sha256Hex(input: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(input))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

export function isPublishableKey(value: string): boolean {
  return /^pk_(live|test)_[A-Za-z0-9]{16,64}$/.test(value)
}

export function isSecretKey(value: string): boolean {
  return /^sk_(live|test)_[A-Za-z0-9]{16,64}$/.test(value)
}

/** Compares two strings in time that depends only on their length. */
export function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

/** Stores a new secret key for the site (only its hash and display prefix); the key itself is answered once. */
export async function createSecretKey(
  db: Db,
  siteId: string,
  key = newSecretKey(),
  name: string | null = null,
) {
  const [row] = await db
    .insert(secretKeys)
    .values({ siteId, prefix: displayPrefix(key), hash: await sha256Hex(key), name })
    .returning({ id: secretKeys.id, prefix: secretKeys.prefix, createdAt: secretKeys.createdAt })
  return { id: row!.id, prefix: row!.prefix, name, createdAt: row!.createdAt.toISOString(), key }
}
