/**
 * A UUID v7 (RFC 9562): 48 bits of Unix milliseconds then random bits, so ids sort by creation time and the
 * events table indexes them well. `crypto.getRandomValues` is in every browser that runs the loader (it predates
 * dynamic `import()`), on http pages too, where `crypto.randomUUID` is missing.
 */
export function uuid(now = Date.now()): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  for (let i = 0; i < 6; i++) bytes[i] = Math.floor(now / 2 ** (8 * (5 - i))) % 256
  bytes[6] = (bytes[6]! & 0x0f) | 0x70
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  let hex = ''
  for (const byte of bytes) hex += (byte + 256).toString(16).slice(1)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
