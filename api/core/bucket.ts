/**
 * Experiment bucketing: a visitor's bucket is a pure function of (salt, visitor id), so every process, restart
 * and edge location (Node or Workers) puts the same visitor in the same bucket, with no shared state.
 */

export const bucketCount = 10_000

/**
 * MurmurHash3, x86 32-bit (Austin Appleby, public domain), of the UTF-8 bytes of `text`. The bytes are made on
 * the fly, as TextEncoder would make them (a lone surrogate becomes U+FFFD), so nothing is allocated per call.
 * Only `Math.imul` and 32-bit integer arithmetic, so every JavaScript engine gives the same result; the
 * reference's published test vectors are in the tests. The final avalanche (fmix32) spreads every input bit
 * over the whole output.
 */
export function murmur3(text: string, seed: number): number {
  let h = seed | 0
  let word = 0
  let bitsInWord = 0
  let length = 0
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i)
    if (code >= 0xd800 && code < 0xe000) {
      const low = code < 0xdc00 ? text.charCodeAt(i + 1) : Number.NaN
      if (low >= 0xdc00 && low < 0xe000) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00)
        i++
      } else code = 0xfffd
    }
    // The code point's UTF-8 bytes packed little-endian: first byte lowest.
    let bytes: number
    let count: number
    if (code < 0x80) {
      bytes = code
      count = 1
    } else if (code < 0x800) {
      bytes = 0xc0 | (code >> 6) | ((0x80 | (code & 63)) << 8)
      count = 2
    } else if (code < 0x10000) {
      bytes = 0xe0 | (code >> 12) | ((0x80 | ((code >> 6) & 63)) << 8) | ((0x80 | (code & 63)) << 16)
      count = 3
    } else {
      bytes =
        0xf0 |
        (code >> 18) |
        ((0x80 | ((code >> 12) & 63)) << 8) |
        ((0x80 | ((code >> 6) & 63)) << 16) |
        ((0x80 | (code & 63)) << 24)
      count = 4
    }
    for (let j = 0; j < count; j++) {
      word |= ((bytes >>> (8 * j)) & 0xff) << bitsInWord
      bitsInWord += 8
      if (bitsInWord === 32) {
        h ^= scramble(word)
        h = (h << 13) | (h >>> 19)
        h = (Math.imul(h, 5) + 0xe6546b64) | 0
        word = 0
        bitsInWord = 0
      }
    }
    length += count
  }
  if (bitsInWord > 0) h ^= scramble(word)
  h ^= length
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

function scramble(word: number): number {
  const k = Math.imul(word, 0xcc9e2d51)
  return Math.imul((k << 15) | (k >>> 17), 0x1b873593)
}

/** Salts are campaign ids or experiment salts, few and reused on every serve: their hashes are kept. */
const saltSeeds = new Map<string, number>()

/**
 * The visitor's bucket in [0, 10000) for one experiment. The salt's hash seeds the visitor id's hash, rather
 * than hashing a joined string, so no (salt, id) pair can collide with another by where a separator falls;
 * each experiment gets its own independent split. Scaling the 32-bit hash (not `% 10000`) keeps its high
 * bits, and every bucket gets 429,496 or 429,497 of the 2^32 hashes.
 */
export function bucketOf(salt: string, visitorId: string): number {
  let seed = saltSeeds.get(salt)
  if (seed === undefined) {
    if (saltSeeds.size >= 10_000) saltSeeds.clear()
    seed = murmur3(salt, 0)
    saltSeeds.set(salt, seed)
  }
  const hash = murmur3(visitorId, seed)
  return Math.floor((hash * bucketCount) / 2 ** 32)
}

/**
 * The variant that owns `bucket`, or null for the holdout (which is shown nothing, to measure lift). The
 * holdout takes the first `holdoutPercent`% of buckets; the rest are cut into consecutive integer ranges in
 * proportion to weight, so every bucket belongs to exactly one variant. Changing one variant's weight moves
 * only the buckets near the boundaries it shifts. Weights of 0 (or below) get no buckets; if every weight is
 * 0 there is nothing to show and the answer is null.
 */
export function assignVariant<V extends { id: string; weight: number }>(
  variants: readonly V[],
  bucket: number,
  holdoutPercent = 0,
): V['id'] | null {
  const holdout = Math.min(bucketCount, Math.max(0, Math.round(holdoutPercent * (bucketCount / 100))))
  if (bucket < holdout) return null
  let total = 0
  for (const v of variants) total += Math.max(0, v.weight)
  if (!(total > 0)) return null
  const rest = bucketCount - holdout
  let cumulative = 0
  for (const v of variants) {
    const weight = Math.max(0, v.weight)
    if (weight === 0) continue
    cumulative += weight
    // Ends from the running total, so rounding never drifts and the last variant ends at bucketCount.
    if (bucket < holdout + Math.floor((rest * cumulative) / total)) return v.id
  }
  return null
}

/** The salt of a site's global holdout: its id, apart from every campaign's experiment salt. */
export const globalHoldoutSalt = (siteId: string) => `global-holdout:${siteId}`

/**
 * Whether the visitor is in the site's global holdout, who is shown no campaign at all: the first `percent`% of
 * buckets under the site's salt, as a campaign's holdout takes the first of its own. Stable for a visitor while
 * the share stays the same.
 */
export function inGlobalHoldout(siteId: string, percent: number, anonymousId: string): boolean {
  if (!(percent > 0)) return false
  return bucketOf(globalHoldoutSalt(siteId), anonymousId) < Math.round(percent * (bucketCount / 100))
}
