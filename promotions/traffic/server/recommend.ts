/**
 * Recommendation scoring, the blueprint's formula made exact. Per catalog item, in points:
 *
 *   relevance = 10 × (tagMatch + categoryMatch) / 2
 *     tagMatch: overlap coefficient |T ∩ I| / min(|T|, |I|) of the item's tags T and the visitor's interest tags
 *     I (the tags of the current page and of the pages viewed lately); unlike Jaccard it does not shrink as the
 *     history grows. categoryMatch: 1 when the item's category is one of those pages' categories.
 *   ctr       = ctrWeight × (clicks + prior × siteCtr) / (impressions + prior)
 *     the item's CTR smoothed toward the site's mean (a Beta prior worth `prior` impressions): a new item starts
 *     at the mean, neither starved at 0 nor overrated by one lucky click.
 *   recency   = recencyBoostPerDay × max(0, recencyDays − age in days), age from publishedAt (else when added).
 *   diversity = (1 − seenPenalty) × (relevance + ctr + recency) × max similarity to the items already picked
 *     similarity = (same category + Jaccard of the tags) / 2, so an item just like an earlier pick keeps only
 *     `seenPenalty` of its score (the config's "× penalty if seen alike").
 *   total     = relevance + ctr + recency − diversity
 *
 * Items are picked greedily, best total first, each pick raising the diversity penalty of the rest. Items the
 * visitor viewed lately and the current page are left out. Ties go to the earlier hand-made card (`order`),
 * then the newer item, then the lower URL.
 * Pure: the clock, the history and the catalog are handed in.
 */

/** What scoring reads of a catalog item. Tags are lower case; category too. */
export interface ScoringItem {
  url: string
  tags: readonly string[]
  category: string | null
  /** When it was published (or added to the catalog), in ms. */
  publishedAt: number
  impressions: number
  clicks: number
  /** A hand-made card's place in the campaign's list: among cards that score the same, the earlier goes first. */
  order?: number
}

/** The traffic config's `scoring`. */
export interface Scoring {
  ctrWeight: number
  recencyDays: number
  recencyBoostPerDay: number
  seenPenalty: number
}

export interface Breakdown {
  relevance: number
  ctr: number
  recency: number
  diversity: number
  total: number
}

export interface Scored<T> {
  item: T
  score: Breakdown
}

/** Points for an item that matches every interest: relevance is weighed like CTR, a share × 10. */
export const relevancePoints = 10
/** How many impressions the site's mean CTR is worth in an item's smoothed CTR. */
export const priorImpressions = 100
const dayMs = 86_400_000

export interface RecommendInput<T extends ScoringItem> {
  items: readonly T[]
  /** The current page and the pages viewed lately, as far as the catalog knows them: the visitor's interests. */
  interests: readonly Pick<ScoringItem, 'tags' | 'category'>[]
  /** URLs never to recommend: the pages viewed lately, the current page, what other rails already show. */
  exclude: ReadonlySet<string>
  now: number
  scoring: Scoring
  limit: number
  /** Clicks over impressions across the site's items. */
  siteCtr: number
}

/**
 * The best items in greedy order, at most `limit`, each with its breakdown. An item scoring 0 still fills a rail
 * (a first visit to an old catalog with no clicks yet gets the newest items).
 */
export function recommend<T extends ScoringItem>(input: RecommendInput<T>): Scored<T>[] {
  const { scoring, now } = input
  const tags = new Set<string>()
  const categories = new Set<string>()
  for (const page of input.interests) {
    for (const tag of page.tags) tags.add(tag)
    if (page.category) categories.add(page.category)
  }
  const candidates: Candidate<T>[] = []
  for (const item of input.items) {
    if (input.exclude.has(item.url)) continue
    const relevance = relevanceOf(item, tags, categories)
    const ctr = scoring.ctrWeight * smoothedCtr(item.clicks, item.impressions, input.siteCtr)
    const recency = recencyOf(item.publishedAt, now, scoring)
    const base = relevance + ctr + recency
    candidates.push({ item, relevance, ctr, recency, base, similar: 0, compared: 0, taken: false })
  }
  const contenders = withinReach(candidates, input.limit, scoring.seenPenalty)
  contenders.sort((a, b) => b.base - a.base || tieBreak(a.item, b.item))

  const picked: Scored<T>[] = []
  const keep = 1 - scoring.seenPenalty
  while (picked.length < input.limit) {
    let best: { candidate: Candidate<T>; diversity: number; total: number } | undefined
    for (const c of contenders) {
      if (c.taken) continue
      // The list is by base score and the penalty only lowers it: nothing further down can win.
      if (best && c.base < best.total) break
      // Compared only with the picks made since this candidate was last looked at.
      for (; c.compared < picked.length; c.compared++) {
        c.similar = Math.max(c.similar, similarity(c.item, picked[c.compared]!.item))
      }
      const diversity = keep * c.base * c.similar
      const total = c.base - diversity
      if (
        !best ||
        total > best.total ||
        (total === best.total && tieBreak(c.item, best.candidate.item) < 0)
      ) {
        best = { candidate: c, diversity, total }
      }
    }
    if (!best) break
    const c = best.candidate
    c.taken = true
    picked.push({
      item: c.item,
      score: {
        relevance: c.relevance,
        ctr: c.ctr,
        recency: c.recency,
        diversity: best.diversity,
        total: best.total,
      },
    })
  }
  return picked
}

interface Candidate<T> {
  item: T
  relevance: number
  ctr: number
  recency: number
  /** relevance + ctr + recency: the score before the diversity penalty. */
  base: number
  /** The most this item is like any pick it has been compared with, and how many picks that was. */
  similar: number
  compared: number
  taken: boolean
}

/**
 * The candidates that can still be picked. Whatever is picked before, a candidate keeps at least `seenPenalty`
 * of its base, so the `limit` best bases × seenPenalty are a floor some unpicked one always reaches in every
 * round: a candidate whose whole base is below that floor never wins, and is not even sorted.
 */
function withinReach<T>(candidates: Candidate<T>[], limit: number, seenPenalty: number): Candidate<T>[] {
  if (candidates.length <= limit || seenPenalty === 0) return candidates
  // The `limit` largest bases, smallest first: a short list, kept in order as the candidates go by.
  const top: number[] = []
  for (const c of candidates) {
    if (top.length === limit && c.base <= top[0]!) continue
    if (top.length === limit) top.shift()
    let at = 0
    while (at < top.length && top[at]! < c.base) at++
    top.splice(at, 0, c.base)
  }
  const floor = top[0]! * seenPenalty
  return candidates.filter((c) => c.base >= floor)
}

/** The item's CTR pulled toward the site's mean by `prior` impressions' worth of it (a Beta prior). */
export function smoothedCtr(clicks: number, impressions: number, siteCtr: number, prior = priorImpressions) {
  return (clicks + prior * siteCtr) / (impressions + prior)
}

export function recencyOf(publishedAt: number, now: number, scoring: Scoring): number {
  const age = Math.max(0, (now - publishedAt) / dayMs)
  return scoring.recencyBoostPerDay * Math.max(0, scoring.recencyDays - age)
}

function relevanceOf(item: ScoringItem, tags: ReadonlySet<string>, categories: ReadonlySet<string>) {
  let shared = 0
  for (const tag of item.tags) if (tags.has(tag)) shared++
  const smaller = Math.min(item.tags.length, tags.size)
  const tagMatch = smaller === 0 ? 0 : shared / smaller
  const categoryMatch = item.category !== null && categories.has(item.category) ? 1 : 0
  return (relevancePoints * (tagMatch + categoryMatch)) / 2
}

/** How alike two items are, 0 to 1: half for the same category, half for the Jaccard index of their tags. */
export function similarity(a: ScoringItem, b: ScoringItem): number {
  const sameCategory = a.category !== null && a.category === b.category ? 1 : 0
  let shared = 0
  for (const tag of a.tags) if (b.tags.includes(tag)) shared++
  const union = a.tags.length + b.tags.length - shared
  return (sameCategory + (union === 0 ? 0 : shared / union)) / 2
}

const tieBreak = (a: ScoringItem, b: ScoringItem) =>
  (a.order ?? 0) - (b.order ?? 0) ||
  b.publishedAt - a.publishedAt ||
  (a.url < b.url ? -1 : a.url > b.url ? 1 : 0)
