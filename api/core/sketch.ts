/**
 * Reach: how many distinct visitors saw a campaign over any date range. One sketch is stored per campaign ×
 * variant × day, and the reach of a range is the size of the union of its day sketches; summing daily reach
 * would count a visitor once per day they came back.
 *
 * A sketch is exact (the set of the visitors' 52-bit hashes) while it is small, and a HyperLogLog of 4096
 * one-byte registers once it is not: a stored sketch above `storedSparseLimit` members, an in-memory union
 * above `exactUnionLimit`, or any union that takes in a dense sketch. Unions of dense sketches are exact unions
 * of their registers (a register-wise max), so the order days are merged in never changes the answer.
 */
import { murmur3 } from './bucket'

/**
 * A stored sketch with more members than this is dense, and no longer exact. Exactness is what the sparse form
 * buys: at about 6.4 bytes a member it is 3 to 4 times the size of the (run-length coded) registers, so this
 * limit trades storage for exact small-day reach.
 */
export const storedSparseLimit = 1000

/** An in-memory union of exact sketches stays exact up to this many members, and turns dense above it. */
export const exactUnionLimit = 50_000

// The 52-bit hash is `high * 2^20 + low`: the 32 bits of one murmur3, then the top 20 bits of another.
// Changing a seed changes every hash, so stored sketches would no longer merge with new ones.
const highSeed = 0x5ca1ab1e
const lowSeed = 0x0ddba11
const lowRange = 2 ** 20
const hashRange = 2 ** 52

// HyperLogLog with p = 12: the top 12 bits pick a register, and a register keeps the largest rank (leading
// zeros + 1) seen in the other q = 40 bits, so a register is 0 (never hit) or 1..41.
const registerCount = 4096
const rankBits = 40
const maxRank = rankBits + 1

// Encoding: a tag byte (format version and mode), then the body.
//   sparse: varint member count, then the sorted hashes as varint gaps (the first from 0, the rest at least 1).
//   dense: one byte per register, 1..41 for a register's value and 42..255 for a run of 1..214 zero registers,
//   so it is never longer than the registers themselves and much shorter while most of them are still empty.
const sparseTag = 1
const denseTag = 2
const longestZeroRun = 255 - maxRank

const emptySlot = -1

/** The visitor's 52-bit hash, over the UTF-8 bytes of the id: what a sketch stores. */
export function reachHash(visitorId: string): number {
  return murmur3(visitorId, highSeed) * lowRange + (murmur3(visitorId, lowSeed) >>> 12)
}

export class ReachSketch {
  /** While exact: an open-addressing set of hashes (`emptySlot` where free), at most half full. */
  private table: Float64Array | null
  private size = 0
  /** log2 of the table's length, for the slot of a hash. */
  private tableBits: number
  /** Once dense: the HyperLogLog registers; the table is gone. */
  private registers: Uint8Array | null

  private constructor(tableBits: number, registers: Uint8Array | null = null) {
    this.tableBits = tableBits
    this.table = registers ? null : new Float64Array(2 ** tableBits).fill(emptySlot)
    this.registers = registers
  }

  static empty(): ReachSketch {
    return new ReachSketch(4)
  }

  /** True while the sketch is the set of its members' hashes, so `count()` is exact. */
  get exact(): boolean {
    return this.registers === null
  }

  add(visitorId: string): this {
    const high = murmur3(visitorId, highSeed)
    const low = murmur3(visitorId, lowSeed) >>> 12
    if (this.registers) raise(this.registers, high, low)
    else this.insert(high * lowRange + low)
    return this
  }

  /** Adds a hash made by `reachHash` (one stored elsewhere, say). */
  addHash(hash: number): this {
    if (!Number.isInteger(hash) || hash < 0 || hash >= hashRange) {
      throw new RangeError(`a reach hash is an integer in [0, 2^52), not ${hash}`)
    }
    this.addValidHash(hash)
    return this
  }

  /** Makes this sketch the union of itself and `other`, which is left as it was. */
  merge(other: ReachSketch): this {
    if (other === this) return this
    if (other.registers) {
      maxInto(this.registers ?? this.densify(), other.registers)
      return this
    }
    const table = other.table!
    for (let i = 0; i < table.length; i++) {
      const hash = table[i]!
      if (hash !== emptySlot) this.addValidHash(hash)
    }
    return this
  }

  /** The number of distinct visitors: exact while `exact`, else the HyperLogLog estimate, rounded. */
  count(): number {
    return this.registers ? Math.round(estimate(this.registers)) : this.size
  }

  /** The bytes to store: sparse up to `storedSparseLimit` members, else dense. */
  encode(): Uint8Array {
    if (this.registers) return encodeDense(this.registers)
    if (this.size > storedSparseLimit) return encodeDense(this.registersOfTable())
    const sorted = new Float64Array(this.size)
    const table = this.table!
    let n = 0
    for (let i = 0; i < table.length; i++) if (table[i] !== emptySlot) sorted[n++] = table[i]!
    sorted.sort()
    // A varint of a number below 2^56 is at most 8 bytes.
    const out = new Uint8Array(1 + 8 * (1 + n))
    out[0] = sparseTag
    let at = writeVarint(out, 1, n)
    let previous = 0
    for (let i = 0; i < n; i++) {
      at = writeVarint(out, at, sorted[i]! - previous)
      previous = sorted[i]!
    }
    return out.slice(0, at)
  }

  /**
   * Reads what `encode` wrote; anything else throws an Error saying what is wrong with it. A sparse sketch of up
   * to `exactUnionLimit` members is read too, so a later, larger `storedSparseLimit` stays readable here.
   */
  static decode(bytes: Uint8Array): ReachSketch {
    if (bytes.length === 0) throw malformed('no bytes')
    if (bytes[0] === denseTag) return new ReachSketch(0, decodeRegisters(bytes))
    if (bytes[0] !== sparseTag) throw malformed(`unknown format tag ${bytes[0]}`)
    const reader = new VarintReader(bytes, 1)
    const members = reader.next('the member count')
    // Every member takes at least one byte, so a count the bytes cannot hold is garbage, not a reason to allocate.
    if (members > exactUnionLimit || members > bytes.length - reader.at) {
      throw malformed(`${members} members in ${bytes.length} bytes`)
    }
    const sketch = new ReachSketch(tableBitsFor(members))
    let hash = 0
    for (let i = 0; i < members; i++) {
      const gap = reader.next('a member')
      if (i > 0 && gap === 0) throw malformed('members not in increasing order')
      hash += gap
      if (hash >= hashRange) throw malformed('a member beyond 2^52')
      sketch.insert(hash)
    }
    if (reader.at !== bytes.length) throw malformed(`${bytes.length - reader.at} bytes after the last member`)
    return sketch
  }

  private addValidHash(hash: number): void {
    if (this.registers) {
      const high = Math.floor(hash / lowRange)
      raise(this.registers, high, hash - high * lowRange)
    } else this.insert(hash)
  }

  private insert(hash: number): void {
    let table = this.table!
    if (2 * (this.size + 1) > table.length) table = this.grow()
    const mask = table.length - 1
    for (let slot = slotOf(hash, this.tableBits); ; slot = (slot + 1) & mask) {
      const current = table[slot]!
      if (current === hash) return
      if (current === emptySlot) {
        table[slot] = hash
        break
      }
    }
    if (++this.size > exactUnionLimit) this.densify()
  }

  private grow(): Float64Array {
    const old = this.table!
    this.tableBits++
    const table = new Float64Array(2 ** this.tableBits).fill(emptySlot)
    const mask = table.length - 1
    for (let i = 0; i < old.length; i++) {
      const hash = old[i]!
      if (hash === emptySlot) continue
      let slot = slotOf(hash, this.tableBits)
      while (table[slot] !== emptySlot) slot = (slot + 1) & mask
      table[slot] = hash
    }
    this.table = table
    return table
  }

  private densify(): Uint8Array {
    const registers = this.registersOfTable()
    this.registers = registers
    this.table = null
    this.size = 0
    return registers
  }

  private registersOfTable(): Uint8Array {
    const registers = new Uint8Array(registerCount)
    const table = this.table!
    for (let i = 0; i < table.length; i++) {
      const hash = table[i]!
      if (hash === emptySlot) continue
      const high = Math.floor(hash / lowRange)
      raise(registers, high, hash - high * lowRange)
    }
    return registers
  }
}

/** Fibonacci hashing of both halves of the hash, so hashes that share their low bits still spread out. */
function slotOf(hash: number, tableBits: number): number {
  return Math.imul((hash >>> 0) ^ (hash / 2 ** 32), 0x9e3779b1) >>> (32 - tableBits)
}

function tableBitsFor(members: number): number {
  let bits = 4
  while (2 ** bits < 2 * members) bits++
  return bits
}

/** Feeds the hash `high * 2^20 + low` to the registers: `high`'s top 12 bits pick one, the other 40 its rank. */
function raise(registers: Uint8Array, high: number, low: number): void {
  const index = high >>> 20
  const rest = high & 0xfffff
  // Leading zeros within 20 bits are clz32 - 12, and the rank is that + 1; all 40 bits zero is rank 41.
  const rank = rest !== 0 ? Math.clz32(rest) - 11 : low !== 0 ? Math.clz32(low) + 9 : maxRank
  if (rank > registers[index]!) registers[index] = rank
}

/**
 * Otmar Ertl's improved raw estimator, from "New cardinality estimation algorithms for HyperLogLog sketches"
 * (2017, arXiv:1702.01284, section 3, "Improved raw estimator"). With C_k the number of registers equal to k,
 * m registers and q rank bits:
 *
 *   n ≈ α∞ m² / (m σ(C_0 / m) + Σ_{k=1..q} C_k 2^-k + m τ(1 − C_{q+1} / m) 2^-q),   α∞ = 1 / (2 ln 2)
 *
 * σ corrects for registers never hit (small counts) and τ for registers at their cap (huge counts), so no
 * empirical bias table or switch to linear counting is needed anywhere in the range. The sum is evaluated
 * from k = q down, Horner style, as in the paper's algorithm.
 */
function estimate(registers: Uint8Array): number {
  const histogram = new Int32Array(maxRank + 1)
  for (let i = 0; i < registerCount; i++) histogram[registers[i]!]!++
  let z = registerCount * tau(1 - histogram[maxRank]! / registerCount)
  for (let k = rankBits; k >= 1; k--) z = 0.5 * (z + histogram[k]!)
  z += registerCount * sigma(histogram[0]! / registerCount)
  // Every register at its cap (z = 0) is more visitors than there are hashes: say so, not Infinity.
  return Math.min((registerCount * registerCount) / (2 * Math.LN2 * z), hashRange)
}

/** σ(x) = x + Σ_{k≥1} x^(2^k) 2^(k−1); the terms shrink until adding one no longer changes the sum. */
function sigma(x: number): number {
  if (x === 1) return Number.POSITIVE_INFINITY
  let power = x
  let weight = 1
  let sum = x
  let previous: number
  do {
    power *= power
    previous = sum
    sum += power * weight
    weight *= 2
  } while (sum !== previous)
  return sum
}

/** τ(x) = (1 − x − Σ_{k≥1} (1 − x^(2^−k))² 2^−k) / 3; the roots reach 1, and the terms 0. */
function tau(x: number): number {
  if (x === 0 || x === 1) return 0
  let root = x
  let weight = 1
  let sum = 1 - x
  let previous: number
  do {
    root = Math.sqrt(root)
    weight *= 0.5
    previous = sum
    sum -= (1 - root) ** 2 * weight
  } while (sum !== previous)
  return sum / 3
}

function encodeDense(registers: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + registerCount)
  out[0] = denseTag
  let at = 1
  let i = 0
  while (i < registerCount) {
    if (registers[i] !== 0) {
      out[at++] = registers[i++]!
      continue
    }
    let run = 1
    while (run < longestZeroRun && i + run < registerCount && registers[i + run] === 0) run++
    out[at++] = maxRank + run
    i += run
  }
  return out.slice(0, at)
}

// Registers are allocated here, 4096 bytes at offset 0 of their own buffer, so they can be read a word at a
// time: four registers per 32-bit operation, for the merges and decodes of a long date range.
function words(registers: Uint8Array): Int32Array {
  return new Int32Array(registers.buffer, registers.byteOffset, registerCount / 4)
}

/** target = max(target, source), register by register. */
function maxInto(target: Uint8Array, source: Uint8Array): void {
  const mine = words(target)
  const theirs = words(source)
  for (let i = 0; i < mine.length; i++) {
    const a = mine[i]!
    const b = theirs[i]!
    // Registers are below 0x80, so no byte borrows from the next: the high bit of a byte is set where a ≥ b.
    const aAtLeastB = ((a | 0x80808080) - b) & 0x80808080
    const keepA = Math.imul(aAtLeastB >>> 7, 0xff)
    mine[i] = (a & keepA) | (b & ~keepA)
  }
}

function decodeRegisters(bytes: Uint8Array): Uint8Array {
  if (bytes.length > 1 + registerCount) {
    throw malformed(`${bytes.length} bytes is too long for a dense sketch`)
  }
  const registers = new Uint8Array(registerCount)
  // At full length, a large day's sketch: usually every byte is a register, 1..41, checked a word at a time.
  if (bytes.length === 1 + registerCount) {
    registers.set(bytes.subarray(1))
    if (allNonZeroRanks(words(registers))) return registers
    registers.fill(0)
  }
  let filled = 0
  for (let at = 1; at < bytes.length; at++) {
    const token = bytes[at]!
    if (token === 0) throw malformed(`a zero byte at ${at} in the registers`)
    if (token <= maxRank) {
      if (filled === registerCount) throw malformed('more than 4096 registers')
      registers[filled++] = token
    } else {
      filled += token - maxRank
      if (filled > registerCount) throw malformed('more than 4096 registers')
    }
  }
  if (filled !== registerCount) throw malformed(`${filled} of 4096 registers`)
  return registers
}

/** Whether every byte is 1..41: none zero, and none that 86 lifts to 128 or more ("haszero", "hasmore"). */
function allNonZeroRanks(registerWords: Int32Array): boolean {
  let flags = 0
  for (let i = 0; i < registerWords.length; i++) {
    const word = registerWords[i]!
    flags |= (word - 0x01010101) & ~word
    flags |= (word + 0x01010101 * (127 - maxRank)) | word
  }
  return (flags & 0x80808080) === 0
}

/** Little-endian base-128, 7 bits a byte, high bit set on all but the last; exact for numbers below 2^53. */
function writeVarint(out: Uint8Array, at: number, value: number): number {
  let rest = value
  while (rest >= 0x80) {
    out[at++] = (rest % 0x80) | 0x80
    rest = Math.floor(rest / 0x80)
  }
  out[at++] = rest
  return at
}

class VarintReader {
  constructor(
    private readonly bytes: Uint8Array,
    public at: number,
  ) {}

  next(what: string): number {
    let value = 0
    let scale = 1
    for (let length = 1; ; length++) {
      if (this.at >= this.bytes.length) throw malformed(`the bytes end inside ${what}`)
      if (length > 8) throw malformed(`${what} longer than 8 bytes`)
      const byte = this.bytes[this.at++]!
      value += (byte & 0x7f) * scale
      if (byte < 0x80) {
        // A trailing zero byte would give a second encoding of the same number.
        if (byte === 0 && length > 1) throw malformed(`${what} with a redundant zero byte`)
        return value
      }
      scale *= 0x80
    }
  }
}

function malformed(why: string): Error {
  return new Error(`Malformed reach sketch: ${why}`)
}
