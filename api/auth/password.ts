import { scryptAsync } from '@noble/hashes/scrypt.js'

/**
 * Passwords are hashed with scrypt (memory-hard; OWASP's N=2^17 would cost 128 MiB per login, so we take
 * N=2^15, r=8, p=1 = 32 MiB, inside its listed equivalents). @noble/hashes runs the same code on Node and on
 * Workers, where node:crypto's scrypt is not guaranteed. Parameters are stored with the hash so they can rise later.
 */
const params = { N: 2 ** 15, r: 8, p: 1, dkLen: 32 }

const toB64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))
const fromB64 = (text: string) => Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0))

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16))
  const hash = await scryptAsync(password, salt, params)
  return `scrypt$${params.N}$${params.r}$${params.p}$${toB64(salt)}$${toB64(hash)}`
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, expected] = stored.split('$')
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !expected) return false
  const hash = await scryptAsync(password, fromB64(salt), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    dkLen: 32,
  })
  const want = fromB64(expected)
  if (hash.length !== want.length) return false
  let diff = 0
  for (let i = 0; i < hash.length; i++) diff |= (hash[i] ?? 0) ^ (want[i] ?? 0)
  return diff === 0
}

/** A hash to verify against when the user does not exist, so timing does not reveal which emails are registered. */
export const decoyHash =
  'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='
