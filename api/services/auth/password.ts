import { scrypt, timingSafeEqual } from 'node:crypto'

/**
 * Passwords are hashed with scrypt (memory-hard; OWASP's N=2^17 would cost 128 MiB per login, so we take
 * N=2^15, r=8, p=1 = 32 MiB, inside its listed equivalents). Parameters are stored with the hash so they can
 * rise later. node:crypto's scrypt is OpenSSL's: on Node it runs on libuv's threadpool, so a hash never holds the
 * event loop (a pure-JavaScript scrypt held every other request for the whole hash); on Workers `nodejs_compat`
 * provides the same call, computed natively inside the isolate.
 */
const params = { N: 2 ** 15, r: 8, p: 1 }
const keyLength = 32

const toB64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))
const fromB64 = (text: string) => Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0))

function derive(password: string, salt: Uint8Array, cost: typeof params): Promise<Uint8Array> {
  return new Promise((resolve, reject) =>
    // OpenSSL counts its memory limit strictly: 128·N·r bytes exactly is refused without headroom.
    scrypt(password, salt, keyLength, { ...cost, maxmem: 256 * cost.N * cost.r }, (error, key) =>
      error ? reject(error) : resolve(new Uint8Array(key.buffer, key.byteOffset, key.byteLength)),
    ),
  )
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16))
  const hash = await derive(password, salt, params)
  return `scrypt$${params.N}$${params.r}$${params.p}$${toB64(salt)}$${toB64(hash)}`
}

/** Stored costs beyond these are not ours (a tampered row must not make one login allocate gigabytes). */
const acceptable = (N: number, r: number, p: number) =>
  Number.isInteger(Math.log2(N)) && N >= 2 && N <= 2 ** 20 && r >= 1 && r <= 32 && p >= 1 && p <= 16

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, expected] = stored.split('$')
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !expected) return false
  const cost = { N: Number(n), r: Number(r), p: Number(p) }
  if (!acceptable(cost.N, cost.r, cost.p)) return false
  const hash = await derive(password, fromB64(salt), cost)
  const want = fromB64(expected)
  return hash.length === want.length && timingSafeEqual(hash, want)
}

/** A hash to verify against when the user does not exist, so timing does not reveal which emails are registered. */
export const decoyHash =
  'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='
