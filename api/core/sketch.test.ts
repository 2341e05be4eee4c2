import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { exactUnionLimit, ReachSketch, reachHash, storedSparseLimit } from './sketch'

/** mulberry32: a seeded 32-bit generator, so every run sees the same "random" visitors. */
function generator(seed: number): () => number {
  let state = seed | 0
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return (t ^ (t >>> 14)) >>> 0
  }
}

/** UUID-shaped ids from the generator; 128 bits each, distinct in practice. */
function randomIds(count: number, seed: number): string[] {
  const next = generator(seed)
  const hex = (word: number) => word.toString(16).padStart(8, '0')
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const a = hex(next())
    const b = hex(next())
    ids.push(`${a}-${b.slice(0, 4)}-4${b.slice(5)}-${hex(next()).slice(4)}${hex(next())}`)
  }
  return ids
}

function range(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => `visitor-${from + i}`)
}

function sketchOf(ids: Iterable<string>): ReachSketch {
  const sketch = ReachSketch.empty()
  for (const id of ids) sketch.add(id)
  return sketch
}

/** What the analytics store would give back: dense above `storedSparseLimit` members. */
function stored(sketch: ReachSketch): ReachSketch {
  return ReachSketch.decode(sketch.encode())
}

function union(...sketches: ReachSketch[]): ReachSketch {
  const result = ReachSketch.empty()
  for (const sketch of sketches) result.merge(sketch)
  return result
}

/** Dense registers, all zero: 19 runs of 214 zeros and one of 30. */
function emptyDense(): ReachSketch {
  return ReachSketch.decode(Uint8Array.of(2, ...new Array(19).fill(255), 41 + 30))
}

/** Everything that tells two sketches apart: mode, count, and members or registers. */
function state(sketch: ReachSketch) {
  return { exact: sketch.exact, count: sketch.count(), bytes: sketch.encode() }
}

describe('reachHash', () => {
  // Stored sketches hold these hashes and bytes: a change here makes old days unmergeable with new ones.
  it('gives the golden 52-bit hashes', () => {
    expect(reachHash('')).toBe(4464708406383460)
    expect(reachHash('visitor-1')).toBe(3791040542528691)
    expect(reachHash('visitor-2')).toBe(1759519117540042)
    expect(reachHash('visiteur-é-😀')).toBe(4243454875400891)
    for (const id of randomIds(1_000, 1)) {
      const hash = reachHash(id)
      expect(Number.isInteger(hash) && hash >= 0 && hash < 2 ** 52).toBe(true)
    }
  })

  it('encodes the golden bytes: tag 1, count 2, then visitor-2’s hash and the gap to visitor-1’s', () => {
    const bytes = [
      1, 2, 0xca, 0xf5, 0xe7, 0xbf, 0xdf, 0x88, 0x90, 0x03, 0xe9, 0xb3, 0x8f, 0x87, 0x87, 0xf5, 0xcd, 0x03,
    ]
    expect(Array.from(sketchOf(['visitor-1', 'visitor-2']).encode())).toEqual(bytes)
  })
})

describe('exact counts', () => {
  it('counts 0, 1, 999 and 1000 members exactly, in memory and stored', () => {
    for (const n of [0, 1, 999, storedSparseLimit]) {
      const sketch = sketchOf(range(0, n))
      expect(sketch.exact).toBe(true)
      expect(sketch.count()).toBe(n)
      const back = stored(sketch)
      expect(back.exact).toBe(true)
      expect(back.count()).toBe(n)
    }
  })

  it('stores a sketch of more than storedSparseLimit members dense', () => {
    const sketch = sketchOf(range(0, storedSparseLimit + 1))
    expect(sketch.exact).toBe(true)
    expect(sketch.count()).toBe(storedSparseLimit + 1)
    const back = stored(sketch)
    expect(back.exact).toBe(false)
    expect(Math.abs(back.count() - 1001) / 1001).toBeLessThan(0.05)
  })

  it('counts a union of overlapping stored days exactly: each visitor once, however many days they came', () => {
    // Day d saw visitors [300 d, 300 d + 1000): 30 days, 9,700 distinct visitors, 30,000 daily visits.
    const days = Array.from({ length: 30 }, (_, d) => stored(sketchOf(range(300 * d, 300 * d + 1000))))
    const reach = union(...days)
    expect(reach.exact).toBe(true)
    expect(reach.count()).toBe(9_700)
    expect(union(days[0]!, days[1]!).count()).toBe(1_300)
    expect(union(days[0]!, days[29]!).count()).toBe(2_000)
  })

  it('stays exact up to exactUnionLimit members and turns dense above it', () => {
    const sketch = sketchOf(range(0, exactUnionLimit))
    expect(sketch.exact).toBe(true)
    expect(sketch.count()).toBe(exactUnionLimit)
    sketch.add('visitor-0')
    expect(sketch.exact).toBe(true)
    sketch.add('one more')
    expect(sketch.exact).toBe(false)
    expect(Math.abs(sketch.count() - 50_001) / 50_001).toBeLessThan(0.05)
  })

  it('does not count a repeat visitor twice, exact or dense', () => {
    const ids = range(0, 5_000)
    const once = sketchOf(ids)
    const thrice = sketchOf([...ids, ...ids.slice(0, 2_500), ...ids])
    expect(thrice.count()).toBe(5_000)
    expect(thrice.encode()).toEqual(once.encode())
    const dense = stored(once)
    const before = dense.count()
    for (const id of ids) dense.add(id)
    dense.merge(stored(once)).merge(dense)
    expect(dense.count()).toBe(before)
    expect(dense.encode()).toEqual(once.encode())
  })
})

describe('union of day sketches', () => {
  it('has the registers of one sketch of all the ids, whether the days were stored exact or dense', () => {
    // 60 days of 1,000 new visitors (exact when stored, 60,000 together: past the exact limit) ...
    const small = Array.from({ length: 60 }, (_, d) => range(1_000 * d, 1_000 * (d + 1)))
    const smallReach = union(...small.map((ids) => stored(sketchOf(ids))))
    expect(smallReach.exact).toBe(false)
    expect(smallReach.encode()).toEqual(sketchOf(small.flat()).encode())
    // ... and 10 overlapping days of 8,000 (dense when stored; 44,000 together, exact in memory).
    const large = Array.from({ length: 10 }, (_, d) => range(4_000 * d, 4_000 * d + 8_000))
    const days = large.map((ids) => stored(sketchOf(ids)))
    expect(days.every((day) => !day.exact)).toBe(true)
    const largeReach = union(...days)
    const direct = sketchOf(large.flat())
    expect(direct.exact).toBe(true)
    expect(direct.count()).toBe(44_000)
    expect(largeReach.encode()).toEqual(direct.encode())
    expect(largeReach.count()).toBe(stored(direct).count())
  })

  it('adds an exact sketch’s members into the registers of a dense one', () => {
    const dense = stored(sketchOf(range(0, 3_000)))
    const exact = sketchOf(range(2_000, 2_500).concat(range(3_000, 3_400)))
    const expected = sketchOf(range(0, 3_400)).encode()
    expect(ReachSketch.empty().merge(dense).merge(exact).encode()).toEqual(expected)
    expect(exact.merge(dense).encode()).toEqual(expected)
    expect(exact.exact).toBe(false)
  })

  it('leaves the merged-in sketch as it was', () => {
    const day = stored(sketchOf(range(0, 2_000)))
    const before = day.encode()
    union(day, sketchOf(range(5_000, 9_000))).add('x')
    expect(day.encode()).toEqual(before)
  })
})

describe('merge laws', () => {
  // A sketch described by a range of ids and whether it went through storage (dense above 1,000 members);
  // rebuilt for each use, since merge changes the sketch it is called on.
  const spec = fc.record({
    from: fc.integer({ min: 0, max: 3_000 }),
    length: fc.integer({ min: 0, max: 1_500 }),
    stored: fc.boolean(),
  })
  type Spec = { from: number; length: number; stored: boolean }
  const build = ({ from, length, stored: isStored }: Spec) => {
    const sketch = sketchOf(range(from, from + length))
    return isStored ? stored(sketch) : sketch
  }

  it('is commutative', () => {
    fc.assert(
      fc.property(spec, spec, (a, b) => {
        expect(state(build(a).merge(build(b)))).toEqual(state(build(b).merge(build(a))))
      }),
      { numRuns: 60 },
    )
  })

  it('is associative', () => {
    fc.assert(
      fc.property(spec, spec, spec, (a, b, c) => {
        const left = build(a).merge(build(b)).merge(build(c))
        const right = build(a).merge(build(b).merge(build(c)))
        expect(state(left)).toEqual(state(right))
      }),
      { numRuns: 60 },
    )
  })

  it('is idempotent, with a copy or with itself', () => {
    fc.assert(
      fc.property(spec, (a) => {
        const sketch = build(a)
        const expected = state(sketch)
        expect(state(sketch.merge(build(a)))).toEqual(expected)
        expect(state(sketch.merge(sketch))).toEqual(expected)
      }),
      { numRuns: 60 },
    )
  })
})

describe('encode and decode', () => {
  it('round-trips an exact sketch, its bytes and its members', () => {
    for (const n of [0, 1, 100, storedSparseLimit]) {
      const sketch = sketchOf(range(0, n))
      const bytes = sketch.encode()
      const back = ReachSketch.decode(bytes)
      expect(back.exact).toBe(true)
      expect(back.count()).toBe(n)
      expect(back.encode()).toEqual(bytes)
      // The same members: adding them again changes nothing.
      expect(sketchOf(range(0, n)).merge(back).count()).toBe(n)
    }
  })

  it('reads a zero run of one among 4096 bytes as a register at 0', () => {
    const bytes = Uint8Array.of(2, 42, ...new Array(4_095).fill(3))
    const sketch = ReachSketch.decode(bytes)
    expect(sketch.encode()).toEqual(bytes)
    expect(sketch.count()).toBeLessThan(
      ReachSketch.decode(Uint8Array.of(2, ...new Array(4_096).fill(3))).count(),
    )
  })

  it('round-trips a dense sketch, mostly empty or full', () => {
    for (const n of [1_500, 200_000]) {
      const sketch = stored(sketchOf(range(0, n)))
      const bytes = sketch.encode()
      const back = ReachSketch.decode(bytes)
      expect(back.exact).toBe(false)
      expect(back.count()).toBe(sketch.count())
      expect(back.encode()).toEqual(bytes)
    }
  })

  it('is compact: a few bytes a member while exact, at most 4 KB dense', () => {
    const sizes = {
      empty: ReachSketch.empty().encode().length,
      sparse100: sketchOf(range(0, 100)).encode().length,
      sparse1000: sketchOf(range(0, 1_000)).encode().length,
      dense1001: sketchOf(range(0, 1_001)).encode().length,
      dense10k: sketchOf(range(0, 10_000)).encode().length,
      dense1M: sketchOf(range(0, 1_000_000)).encode().length,
    }
    console.log('encoded bytes', sizes)
    expect(sizes.empty).toBe(2)
    expect(sizes.sparse100).toBeLessThan(100 * 8)
    expect(sizes.sparse1000).toBeLessThan(1_000 * 7)
    expect(sizes.dense1001).toBeLessThan(3_000)
    expect(sizes.dense1M).toBeLessThanOrEqual(4_097)
  })

  describe('rejects what it did not write, with an Error', () => {
    const sparse = sketchOf(range(0, 50)).encode()
    const dense = sketchOf(range(0, 2_000)).encode()
    const cases: [string, number[]][] = [
      ['no bytes', []],
      ['an unknown tag', [7, 0]],
      ['a count with no members', [1, 3]],
      ['a count the bytes cannot hold', [1, 5, 1, 2]],
      ['more members than the exact limit', [1, 0xd1, 0x86, 0x03, ...new Array(50_001).fill(1)]],
      ['a repeated member', [1, 2, 5, 0]],
      ['a varint longer than 8 bytes', [1, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 1]],
      ['a varint with a redundant zero byte', [1, 1, 0x85, 0x00]],
      ['a member beyond 2^52', [1, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10]],
      ['members adding up beyond 2^52', [1, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x07, 1]],
      ['trailing bytes', [...sparse, 0]],
      ['a zero byte in the registers', [2, 0, ...dense.slice(2)]],
      ['a zero byte among 4096 registers', [2, ...new Array(4_095).fill(1), 0]],
      ['a long zero run among 4096 bytes', [2, 200, ...new Array(4_095).fill(1)]],
      ['too few registers', [2, 255, 255]],
      ['too many registers', [2, ...new Array(4_097).fill(1)]],
      ['a zero run past the last register', [2, ...new Array(20).fill(255)]],
    ]
    for (const [name, bytes] of cases) {
      it(name, () => {
        expect(() => ReachSketch.decode(Uint8Array.from(bytes))).toThrow(/^Malformed reach sketch: /)
      })
    }

    it('every truncation of a valid encoding', () => {
      for (const bytes of [sparse, dense]) {
        for (let length = 0; length < bytes.length; length++) {
          expect(() => ReachSketch.decode(bytes.subarray(0, length))).toThrow(/^Malformed reach sketch: /)
        }
      }
    })

    it('random bytes: a sketch or an Error, never a hang or a crash', () => {
      fc.assert(
        fc.property(fc.constantFrom(1, 2, 3), fc.uint8Array({ maxLength: 5_000 }), (tag, body) => {
          const bytes = Uint8Array.of(tag, ...body)
          try {
            const sketch = ReachSketch.decode(bytes)
            expect(Number.isInteger(sketch.count())).toBe(true)
          } catch (error) {
            expect(error).toBeInstanceOf(Error)
            expect((error as Error).message).toMatch(/^Malformed reach sketch: /)
          }
        }),
        { numRuns: 500 },
      )
    })
  })
})

describe('dense accuracy', () => {
  // Three standard errors of HyperLogLog with 4,096 registers.
  const tolerance = (3 * 1.04) / Math.sqrt(4096)

  for (const n of [10_000, 100_000, 1_000_000]) {
    it(`estimates ${n.toLocaleString('en')} distinct random visitors within ${(tolerance * 100).toFixed(1)}%`, () => {
      const ids = randomIds(n, n)
      // Into registers from the first id (as a large day is), and through the exact set (as a union is).
      const sketch = emptyDense()
      for (const id of ids) sketch.add(id)
      const error = (sketch.count() - n) / n
      console.log(`${n} visitors: estimate ${sketch.count()}, error ${(error * 100).toFixed(2)}%`)
      expect(Math.abs(error)).toBeLessThan(tolerance)
      expect(sketchOf(ids).encode()).toEqual(sketch.encode())
    })
  }

  it('has no bias and the expected spread, averaged over many sketches, from 2,000 to 300,000 visitors', () => {
    // One sketch can be off by 3 standard errors by chance; the mean of k sketches cannot be off by much more
    // than 1.04/64/√k, so a wrong constant or a dropped correction term shows here.
    const next = generator(1702)
    for (const [n, sketches] of [
      [2_000, 64],
      [30_000, 64],
      [300_000, 24],
    ] as const) {
      let sum = 0
      let squares = 0
      for (let s = 0; s < sketches; s++) {
        const sketch = emptyDense()
        for (let i = 0; i < n; i++) sketch.addHash(next() * 2 ** 20 + (next() >>> 12))
        const error = (sketch.count() - n) / n
        sum += error
        squares += error * error
      }
      const bias = sum / sketches
      const rootMeanSquare = Math.sqrt(squares / sketches)
      console.log(
        `${n} visitors × ${sketches}: bias ${(bias * 100).toFixed(2)}%, rms ${(rootMeanSquare * 100).toFixed(2)}%`,
      )
      expect(Math.abs(bias)).toBeLessThan((4 * 1.04) / 64 / Math.sqrt(sketches))
      expect(rootMeanSquare).toBeGreaterThan(0.007)
      expect(rootMeanSquare).toBeLessThan(0.025)
    }
  })

  it('keeps small dense sketches accurate too (no switch to linear counting needed)', () => {
    for (const n of [1_001, 2_000, 5_000]) {
      const estimate = stored(sketchOf(randomIds(n, 7 * n))).count()
      expect(Math.abs(estimate - n) / n).toBeLessThan(tolerance)
    }
  })

  it('ranks a hash by the leading zeros of its 40 bits after the register index, plus one', () => {
    // Register 0 is the first byte after the tag; the rest of the registers are runs of zeros.
    const rankOf = (rest: number) => emptyDense().addHash(rest).encode()[1]
    expect(rankOf(2 ** 39)).toBe(1)
    expect(rankOf(2 ** 20)).toBe(20)
    expect(rankOf(2 ** 19)).toBe(21)
    expect(rankOf(1)).toBe(40)
    expect(rankOf(0)).toBe(41)
    const last = emptyDense()
      .addHash(4095 * 2 ** 40 + 2 ** 38)
      .encode()
    expect(last.at(-1)).toBe(2)
  })

  it('estimates up to 2^50 visitors, where registers reach their cap of 41', () => {
    // Registers drawn from their distribution after n visitors (each register sees about n / 4096 of them,
    // and P(register ≤ k) = exp(−(n / 4096) 2^−k) for k ≤ 40), since no test can add 2^50 ids.
    const next = generator(50)
    for (const n of [1e9, 2 ** 45, 2 ** 50]) {
      const bytes = new Uint8Array(4_097)
      bytes[0] = 2
      for (let i = 1; i < bytes.length; i++) {
        const u = (next() + 0.5) / 2 ** 32
        let rank = 0
        while (rank < 41 && Math.exp(-(n / 4096) * 2 ** -rank) < u) rank++
        bytes[i] = rank
      }
      const error = (ReachSketch.decode(bytes).count() - n) / n
      expect(Math.abs(error)).toBeLessThan(tolerance)
    }
  })

  it('counts an empty dense sketch as 0, and a saturated one as a finite integer', () => {
    const empty = emptyDense()
    expect(empty.exact).toBe(false)
    expect(empty.count()).toBe(0)
    expect(ReachSketch.decode(empty.encode()).encode()).toEqual(empty.encode())
    const saturated = ReachSketch.decode(Uint8Array.of(2, ...new Array(4_096).fill(41)))
    expect(saturated.count()).toBe(2 ** 52)
  })
})

describe('timing (printed, not asserted)', () => {
  it('decodes and merges 90 days × 3 variants of dense sketches', () => {
    const next = generator(270)
    // Registers of a large day: every register hit, ranks geometric like real ones.
    const days = Array.from({ length: 270 }, () => {
      const bytes = new Uint8Array(4_097)
      bytes[0] = 2
      for (let i = 1; i < bytes.length; i++) bytes[i] = Math.min(41, Math.clz32(next()) + 1)
      return bytes
    })
    const runs: number[] = []
    let reach = 0
    for (let run = 0; run < 30; run++) {
      const start = performance.now()
      const total = ReachSketch.empty()
      for (const bytes of days) total.merge(ReachSketch.decode(bytes))
      reach = total.count()
      runs.push(performance.now() - start)
    }
    runs.sort((a, b) => a - b)
    console.log(
      `270 dense sketches decoded + merged + counted: median ${runs[15]!.toFixed(2)} ms, best ${runs[0]!.toFixed(2)} ms`,
    )
    expect(reach).toBeGreaterThan(0)

    const ids = randomIds(2_000, 2)
    const adds: number[] = []
    for (let run = 0; run < 30; run++) {
      const start = performance.now()
      sketchOf(ids)
      adds.push(performance.now() - start)
    }
    adds.sort((a, b) => a - b)
    console.log(`2,000 ids added: median ${adds[15]!.toFixed(3)} ms, best ${adds[0]!.toFixed(3)} ms`)
  })
})
