import { describe, expect, it } from 'vitest'
import { type RecommendInput, recommend, type ScoringItem, similarity, smoothedCtr } from './recommend'

const now = Date.parse('2026-11-29T12:00:00Z')
const day = 86_400_000
const scoring = { ctrWeight: 10, recencyDays: 7, recencyBoostPerDay: 0.5, seenPenalty: 0.5 }

const item = (url: string, fields: Partial<ScoringItem> = {}): ScoringItem => ({
  url: `https://a.example/${url}`,
  tags: [],
  category: null,
  publishedAt: now - 30 * day,
  impressions: 0,
  clicks: 0,
  ...fields,
})

const run = (input: Partial<RecommendInput<ScoringItem>> & { items: ScoringItem[] }) =>
  recommend({ interests: [], exclude: new Set(), now, scoring, limit: 3, siteCtr: 0, ...input })
const urls = (picked: { item: ScoringItem }[]) =>
  picked.map((p) => p.item.url.slice('https://a.example/'.length))

describe('recommend', () => {
  it('adds relevance, smoothed CTR × 10 and the recency boost, worked by hand', () => {
    const shoes = item('shoes', {
      tags: ['running', 'shoes'],
      category: 'sport',
      publishedAt: now - 2 * day,
      impressions: 100,
      clicks: 10,
    })
    const [picked] = run({
      items: [shoes],
      interests: [{ tags: ['running', 'trail'], category: 'sport' }],
      siteCtr: 0.04,
    })
    // tags: 1 shared of min(2, 2) = 0.5; same category = 1; relevance = 10 × (0.5 + 1) / 2 = 7.5
    // CTR: (10 + 100 × 0.04) / (100 + 100) = 0.07, × 10 = 0.7
    // recency: 0.5 × (7 − 2) = 2.5
    expect(picked!.score.relevance).toBeCloseTo(7.5, 10)
    expect(picked!.score.ctr).toBeCloseTo(0.7, 10)
    expect(picked!.score.recency).toBeCloseTo(2.5, 10)
    expect(picked!.score.diversity).toBe(0)
    expect(picked!.score.total).toBeCloseTo(10.7, 10)
  })

  it('matches tags by overlap, so a long history does not dilute a clear interest', () => {
    const history = Array.from({ length: 40 }, (_, i) => ({ tags: [`topic-${i}`], category: null }))
    const [picked] = run({
      items: [item('a', { tags: ['topic-3'] })],
      interests: history,
    })
    // 1 shared tag of min(1, 40) = 1, no category: 10 × (1 + 0) / 2 = 5 (Jaccard would give 1/40).
    expect(picked!.score.relevance).toBeCloseTo(5, 10)
  })

  it('smooths CTR toward the site mean: a new item is neither starved nor overrated by one lucky click', () => {
    const siteCtr = 0.05
    const fresh = item('fresh')
    const lucky = item('lucky', { impressions: 1, clicks: 1 })
    const tired = item('tired', { impressions: 1_000, clicks: 10 })
    // new: (0 + 5) / 100 = 0.05 → 0.5 points, the site's mean, where unsmoothed 0/0 would give nothing
    expect(10 * smoothedCtr(0, 0, siteCtr)).toBeCloseTo(0.5, 10)
    // lucky: (1 + 5) / 101 = 0.0594 → 0.594 points, not the 10 points of a raw 100%
    expect(10 * smoothedCtr(1, 1, siteCtr)).toBeCloseTo(0.594_059, 5)
    // tired: (10 + 5) / 1,100 = 0.0136 → 0.136 points: a known 1% item falls below a new one
    expect(10 * smoothedCtr(10, 1_000, siteCtr)).toBeCloseTo(0.136_364, 5)
    const picked = run({ items: [tired, fresh, lucky], siteCtr })
    expect(urls(picked)).toEqual(['lucky', 'fresh', 'tired'])
    expect(picked[1]!.score.ctr).toBeCloseTo(0.5, 10)
  })

  it('gives the recency boost a linear decay over recencyDays, none after it', () => {
    const picked = run({
      items: [
        item('today', { publishedAt: now }),
        item('half', { publishedAt: now - 3.5 * day }),
        item('old', { publishedAt: now - 8 * day }),
        item('future', { publishedAt: now + 2 * day }),
      ],
      limit: 4,
    })
    const recency = Object.fromEntries(picked.map((p) => [p.item.url.split('/').pop(), p.score.recency]))
    expect(recency).toEqual({ today: 3.5, half: 1.75, old: 0, future: 3.5 })
  })

  it('leaves out what the visitor saw lately and the current page', () => {
    const items = [item('seen'), item('current'), item('new-1'), item('new-2')]
    const picked = run({
      items,
      exclude: new Set(['https://a.example/seen', 'https://a.example/current']),
      limit: 10,
    })
    expect(urls(picked).sort()).toEqual(['new-1', 'new-2'])
  })

  it('spreads categories: each pick lowers the rest by how alike they are', () => {
    const items = [
      item('news-1', { category: 'news', tags: ['politics'], publishedAt: now }),
      item('news-2', { category: 'news', tags: ['politics'], publishedAt: now - 0.5 * day }),
      item('sport-1', { category: 'sport', tags: ['football'], publishedAt: now - day }),
    ]
    const picked = run({ items })
    // Bases are recency only: 3.5, 3.25, 3.0. After news-1, news-2 is identical to it (similarity 1), so it
    // keeps seenPenalty of its score: 3.25 − 0.5 × 3.25 × 1 = 1.625, below sport-1's 3.0.
    expect(urls(picked)).toEqual(['news-1', 'sport-1', 'news-2'])
    expect(picked[2]!.score.diversity).toBeCloseTo(1.625, 10)
    expect(picked[2]!.score.total).toBeCloseTo(1.625, 10)
    expect(picked[1]!.score.diversity).toBe(0)

    const undiversified = run({ items, scoring: { ...scoring, seenPenalty: 1 } })
    expect(urls(undiversified)).toEqual(['news-1', 'news-2', 'sport-1'])
  })

  it('penalises a shared category alone by half as much as an identical item', () => {
    const a = item('a', { category: 'news', tags: ['x'] })
    const b = item('b', { category: 'news', tags: ['y'] })
    const c = item('c', { category: 'news', tags: ['x', 'y'] })
    expect(similarity(a, b)).toBe(0.5)
    // same category 1, tags: 1 shared of 2 in all → (1 + 0.5) / 2
    expect(similarity(a, c)).toBe(0.75)
    expect(similarity(item('d'), item('e'))).toBe(0)
  })

  it('picks exactly what a plain greedy pass over every item picks (its shortcuts change nothing)', () => {
    let seed = 7
    const random = () => {
      seed = (seed * 16_807) % 2_147_483_647
      return seed / 2_147_483_647
    }
    const pickOf = <T>(list: T[]) => list[Math.floor(random() * list.length)]!
    for (let round = 0; round < 50; round++) {
      const items = Array.from({ length: 60 }, (_, i) =>
        item(`r${round}-${i}`, {
          tags: [...new Set([pickOf(['a', 'b', 'c', 'd', 'e']), pickOf(['a', 'f', 'g'])])],
          category: pickOf(['x', 'y', 'z', null]),
          publishedAt: now - Math.floor(random() * 12) * day,
          impressions: Math.floor(random() * 300),
          clicks: Math.floor(random() * 10),
        }),
      )
      const input = {
        items,
        interests: [{ tags: ['a', 'f'], category: 'x' }],
        exclude: new Set([items[0]!.url]),
        now,
        scoring: { ...scoring, seenPenalty: pickOf([0, 0.3, 0.5, 1]) },
        limit: pickOf([1, 3, 12]),
        siteCtr: 0.03,
      }
      const plain = plainGreedy(input)
      const fast = recommend(input)
      expect(fast.map((p) => p.item.url)).toEqual(plain.map((p) => p.item.url))
      for (const [i, p] of fast.entries()) expect(p.score.total).toBeCloseTo(plain[i]!.score.total, 10)
    }
  })

  it('fills a rail for a first visit to an old catalog with no clicks, newest first, up to the limit', () => {
    const items = [
      item('oldest', { publishedAt: now - 90 * day }),
      item('newer', { publishedAt: now - 20 * day }),
      item('middle', { publishedAt: now - 40 * day }),
    ]
    const picked = run({ items, limit: 2 })
    expect(urls(picked)).toEqual(['newer', 'middle'])
    expect(picked.every((p) => p.score.total === 0)).toBe(true)
  })
})

/** The greedy selection with no shortcuts: every round scores every remaining item against every pick. */
function plainGreedy(input: RecommendInput<ScoringItem>) {
  const all = recommend({
    ...input,
    scoring: { ...input.scoring, seenPenalty: 1 },
    limit: input.items.length,
  })
  const remaining = all.map(({ item, score }) => ({ item, base: score.total }))
  const picked: { item: ScoringItem; score: { total: number } }[] = []
  while (picked.length < input.limit && remaining.length > 0) {
    const scored = remaining.map((c) => {
      const similar = Math.max(0, ...picked.map((p) => similarity(c.item, p.item)))
      return { c, total: c.base - (1 - input.scoring.seenPenalty) * c.base * similar }
    })
    scored.sort(
      (a, b) =>
        b.total - a.total ||
        b.c.item.publishedAt - a.c.item.publishedAt ||
        (a.c.item.url < b.c.item.url ? -1 : 1),
    )
    const best = scored[0]!
    remaining.splice(remaining.indexOf(best.c), 1)
    picked.push({ item: best.c.item, score: { total: best.total } })
  }
  return picked
}
