import { describe, expect, it, vi } from 'vitest'
import { assignVariant, bucketCount, bucketOf, murmur3 } from './bucket'
import { sampleRatioMismatch } from './srm'

const ids = Array.from({ length: 100_000 }, (_, i) => `visitor-${i}`)

function split(variants: { id: string; weight: number }[], salt: string, holdoutPercent = 0) {
  const counts = new Map<string | null, number>()
  for (const id of ids) {
    const variant = assignVariant(variants, bucketOf(salt, id), holdoutPercent)
    counts.set(variant, (counts.get(variant) ?? 0) + 1)
  }
  return counts
}

describe('murmur3', () => {
  it('matches the reference implementation’s published values', () => {
    expect(murmur3('', 0)).toBe(0)
    expect(murmur3('', 1)).toBe(0x514e28b7)
    expect(murmur3('', 0xffffffff)).toBe(0x81f16f39)
    expect(murmur3('a', 0)).toBe(0x3c2569b2)
    expect(murmur3('abc', 0)).toBe(0xb3dd93fa)
    expect(murmur3('test', 0)).toBe(0xba6bd213)
    expect(murmur3('Hello, world!', 1234)).toBe(0xfaf6cdb3)
    expect(murmur3('The quick brown fox jumps over the lazy dog', 0)).toBe(0x2e4ff723)
  })

  it('hashes the UTF-8 bytes of 2-, 3- and 4-byte characters, and a lone surrogate as U+FFFD', () => {
    // From a separate Python port of the reference, over the string's UTF-8 bytes, seed 7.
    expect(murmur3('€1 ☃ é 😀 \u07ff 𐀀 \u{10ffff}', 7)).toBe(0x0fbf2d3b)
    expect(murmur3('a\ud800b', 0)).toBe(murmur3('a\ufffdb', 0))
    expect(murmur3('a\udc00', 0)).toBe(murmur3('a\ufffd', 0))
  })
})

describe('bucketOf', () => {
  // Changing any of these reshuffles every running experiment's visitors: bump them only on purpose.
  const golden: [salt: string, visitorId: string, bucket: number][] = [
    ['campaign-1', 'visitor-1', 9943],
    ['campaign-1', 'visitor-2', 3114],
    ['0b7d7f1e-5c2a-4f39-9a63-2f7d7f0c8a11', 'anon-7f3a', 4595],
    ['spring-sale', 'visitor-99999', 9395],
    ['héllo', 'visiteur-é-😀', 2683],
  ]

  it('gives the golden buckets, so a change of hash is caught across versions', () => {
    for (const [salt, visitorId, bucket] of golden) expect(bucketOf(salt, visitorId)).toBe(bucket)
  })

  it('gives the same bucket on every call and after a fresh import of the module', async () => {
    const before = ids.slice(0, 1_000).map((id) => bucketOf('campaign-1', id))
    expect(ids.slice(0, 1_000).map((id) => bucketOf('campaign-1', id))).toEqual(before)
    vi.resetModules()
    const fresh = await import('./bucket')
    expect(fresh.bucketOf).not.toBe(bucketOf)
    expect(ids.slice(0, 1_000).map((id) => fresh.bucketOf('campaign-1', id))).toEqual(before)
    for (const [salt, visitorId, bucket] of golden) expect(fresh.bucketOf(salt, visitorId)).toBe(bucket)
  })

  it('stays in [0, 10000) and spreads ids evenly over the buckets', () => {
    const perTenth = new Array<number>(10).fill(0)
    let outside = 0
    for (const id of ids) {
      const bucket = bucketOf('campaign-1', id)
      if (!Number.isInteger(bucket) || bucket < 0 || bucket >= bucketCount) outside++
      else perTenth[Math.floor(bucket / 1_000)]!++
    }
    expect(outside).toBe(0)
    expect(sampleRatioMismatch(perTenth, new Array(10).fill(1)).pValue).toBeGreaterThan(0.001)
  })

  it('splits each experiment independently of the others', () => {
    let same = 0
    for (const id of ids) if (bucketOf('a', id) < 5_000 === bucketOf('b', id) < 5_000) same++
    expect(sampleRatioMismatch([same, ids.length - same], [1, 1]).mismatch).toBe(false)
  })
})

describe('assignVariant', () => {
  it('splits 100,000 ids 50/50 so that they pass a chi-square test', () => {
    const counts = split(
      [
        { id: 'A', weight: 50 },
        { id: 'B', weight: 50 },
      ],
      'campaign-1',
    )
    const check = sampleRatioMismatch([counts.get('A') ?? 0, counts.get('B') ?? 0], [50, 50])
    expect(check.pValue).toBeGreaterThan(0.001)
    expect(check.mismatch).toBe(false)
  })

  it('splits 100,000 ids 50/30/20 so that they pass a chi-square test', () => {
    const weights = [50, 30, 20]
    const counts = split(
      weights.map((weight, i) => ({ id: `v${i}`, weight })),
      'campaign-2',
    )
    const check = sampleRatioMismatch(
      weights.map((_, i) => counts.get(`v${i}`) ?? 0),
      weights,
    )
    expect(check.pValue).toBeGreaterThan(0.001)
  })

  it('cuts the buckets into consecutive ranges by weight, every bucket to exactly one variant', () => {
    const variants = [
      { id: 'A', weight: 1 },
      { id: 'B', weight: 1 },
      { id: 'C', weight: 1 },
    ]
    const owners = Array.from({ length: bucketCount }, (_, b) => assignVariant(variants, b))
    expect(owners.filter((id) => id === 'A')).toHaveLength(3_333)
    expect(owners.filter((id) => id === 'B')).toHaveLength(3_333)
    expect(owners.filter((id) => id === 'C')).toHaveLength(3_334)
    expect([owners[0], owners[3_332], owners[3_333], owners[6_666], owners[9_999]]).toEqual([
      'A',
      'A',
      'B',
      'C',
      'C',
    ])
  })

  it('gives the holdout the first buckets and nothing to show: 10% holdout, about 10% null', () => {
    const variants = [
      { id: 'A', weight: 1 },
      { id: 'B', weight: 1 },
    ]
    expect(assignVariant(variants, 999, 10)).toBeNull()
    expect(assignVariant(variants, 1_000, 10)).toBe('A')
    expect(assignVariant(variants, 5_499, 10)).toBe('A')
    expect(assignVariant(variants, 5_500, 10)).toBe('B')
    const counts = split(variants, 'campaign-3', 10)
    const check = sampleRatioMismatch(
      [counts.get(null) ?? 0, counts.get('A') ?? 0, counts.get('B') ?? 0],
      [10, 45, 45],
    )
    expect(check.pValue).toBeGreaterThan(0.001)
    expect((counts.get(null) ?? 0) / ids.length).toBeCloseTo(0.1, 2)
  })

  it('gives no bucket to a weight of 0, and none to anyone when every weight is 0', () => {
    const paused = [
      { id: 'A', weight: 1 },
      { id: 'off', weight: 0 },
      { id: 'B', weight: 3 },
    ]
    const owners = Array.from({ length: bucketCount }, (_, b) => assignVariant(paused, b))
    expect(owners.includes('off')).toBe(false)
    expect(owners.filter((id) => id === 'A')).toHaveLength(2_500)
    expect(owners.filter((id) => id === 'B')).toHaveLength(7_500)
    const allOff = [
      { id: 'A', weight: 0 },
      { id: 'B', weight: 0 },
    ]
    expect(
      Array.from({ length: bucketCount }, (_, b) => assignVariant(allOff, b)).every((id) => id === null),
    ).toBe(true)
    expect(assignVariant([], 0)).toBeNull()
  })

  it('holds everyone out at 100% and no one at 0%', () => {
    const one = [{ id: 'A', weight: 1 }]
    expect(assignVariant(one, 9_999, 100)).toBeNull()
    expect(assignVariant(one, 0, 0)).toBe('A')
  })
})
