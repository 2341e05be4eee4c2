import type { EventCondition, SegmentRule } from '../../../schema/segments'
import type { builtInSegments, TraitCondition } from '../../../schema/targeting'

export type BuiltInSegment = (typeof builtInSegments)[number]
export type TraitValue = string | number | boolean
export type Traits = Record<string, TraitValue>

/** The profile counters the built-in segments read, as ingest keeps them. */
export interface ProfileFacts {
  sessions: number
  pageViews: number
  clicks: number
  engagements: number
  purchases: number
  revenue: number
  /** When the session before the current one ended; null for a first-time visitor. */
  previousVisitAt: Date | null
  traits: Traits
}

const dayMs = 86_400_000
/** Recency thresholds of `active` and `inactive`, which the engagement score's recency part also uses. */
export const activeWithinDays = 7
export const inactiveAfterDays = 30

/** One line each, for the admin's segment list. */
export const builtInDescriptions: Record<BuiltInSegment, { name: string; description: string }> = {
  gen_z: {
    name: 'Gen Z',
    description: 'Trait age 18–24, or a birthYear / birth_year reaching 18–24 this year',
  },
  highly_engaged: { name: 'Highly engaged', description: 'Engagement score above 80 of 100' },
  at_risk: { name: 'At risk', description: 'Engagement score below 20 of 100' },
  customer: { name: 'Customer', description: 'At least one Purchase event' },
  loyal_customer: { name: 'Loyal customer', description: 'More than 5 Purchase events' },
  high_value_customer: { name: 'High-value customer', description: 'Average Purchase value above 100' },
  prospect: { name: 'Prospect', description: 'No Purchase event yet' },
  inactive: { name: 'Inactive', description: 'Came back after more than 30 days away' },
  active: { name: 'Active', description: 'First visit, or back within 7 days of the previous one' },
}

/** A whole number from a number or a string of digits; identify traits often carry numbers as text. */
function wholeNumber(value: TraitValue | undefined): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.floor(value)
  if (typeof value === 'string' && /^\s*\d{1,4}\s*$/.test(value)) return Number(value)
  return undefined
}

/**
 * The visitor's age from `age`, else from `birthYear` or `birth_year`. A birth year alone cannot say whether
 * the birthday has passed, so it gives the age reached in the current (UTC) year.
 */
export function ageOf(traits: Traits, now: number): number | undefined {
  const age = wholeNumber(traits.age)
  if (age !== undefined) return age
  const born = wholeNumber(traits.birthYear) ?? wholeNumber(traits.birth_year)
  return born === undefined ? undefined : new Date(now).getUTCFullYear() - born
}

/** Days since the previous visit; a first-time visitor has none and counts as just seen. */
export function daysSincePreviousVisit(profile: Pick<ProfileFacts, 'previousVisitAt'>, now: number): number {
  return profile.previousVisitAt ? (now - profile.previousVisitAt.getTime()) / dayMs : 0
}

const share = (value: number, full: number) => Math.min(Math.max(value, 0) / full, 1)

/**
 * 0–100, from five parts that each saturate, so no single counter (or a bot replaying one event) can carry a
 * visitor to the top:
 *   visits       25 × min(sessions / 10, 1)                       coming back is the strongest signal
 *   depth        15 × min(page views per session / 5, 1)          reading more than one page per visit
 *   interaction  25 × min((clicks + 2 × engagements) / 10, 1)      acting on the site; likes, shares, forms
 *                                                                  and sign-ups count double a click
 *   purchases    15 × min(purchases / 3, 1)
 *   recency      20 × 1 up to 7 days since the previous visit, falling linearly to 0 at 30 days
 * Recency uses the `active` / `inactive` thresholds so the score agrees with them. A first visit with one page
 * scores about 26: new visitors are neither at risk nor highly engaged. Above 80 needs regular visits, depth
 * and interaction together; below 20 is typically a thin history followed by weeks away.
 */
export function engagementScore(profile: ProfileFacts, now: number): number {
  const sessions = Math.max(profile.sessions, 1)
  const days = daysSincePreviousVisit(profile, now)
  const recency =
    days <= activeWithinDays ? 1 : share(inactiveAfterDays - days, inactiveAfterDays - activeWithinDays)
  const score =
    25 * share(profile.sessions, 10) +
    15 * share(profile.pageViews / sessions, 5) +
    25 * share(profile.clicks + 2 * profile.engagements, 10) +
    15 * share(profile.purchases, 3) +
    20 * recency
  return Math.round(score)
}

/** The built-in segments the profile is in at `now`, in the order `builtInSegments` lists them. */
export function builtInSegmentsOf(profile: ProfileFacts, now: number): BuiltInSegment[] {
  const segments: BuiltInSegment[] = []
  const age = ageOf(profile.traits, now)
  if (age !== undefined && age >= 18 && age <= 24) segments.push('gen_z')
  const score = engagementScore(profile, now)
  if (score > 80) segments.push('highly_engaged')
  else if (score < 20) segments.push('at_risk')
  if (profile.purchases > 0) {
    segments.push('customer')
    if (profile.purchases > 5) segments.push('loyal_customer')
    if (profile.revenue / profile.purchases > 100) segments.push('high_value_customer')
  } else {
    segments.push('prospect')
  }
  // The visit happening now is not "the last visit": the gap before it is what marks a lapsed visitor.
  const days = daysSincePreviousVisit(profile, now)
  if (days > inactiveAfterDays) segments.push('inactive')
  else if (days < activeWithinDays) segments.push('active')
  return segments
}

/** The same semantics as the key-value store's trait rules, so a segment and a targeting rule agree. */
export function traitMatches(condition: TraitCondition, traits: Traits): boolean {
  const actual = Object.hasOwn(traits, condition.key) ? traits[condition.key] : undefined
  switch (condition.op) {
    case 'exists':
      return actual !== undefined
    case 'equals':
      return actual === condition.value
    case 'in':
      return actual !== undefined && condition.values.includes(actual)
    default:
      if (typeof actual !== 'number') return false
      if (condition.op === 'gt') return actual > condition.value
      if (condition.op === 'gte') return actual >= condition.value
      if (condition.op === 'lt') return actual < condition.value
      return actual <= condition.value
  }
}

function countMatches(condition: EventCondition, count: number): boolean {
  if (condition.op === 'gte') return count >= condition.count
  if (condition.op === 'lte') return count <= condition.count
  return count === condition.count
}

/**
 * A custom segment's rule over the visitor's traits and event counts. `countOf` answers how many events of a
 * name the visitor sent within the segment's lookback window.
 */
export function segmentMatches(
  rule: SegmentRule,
  traits: Traits,
  countOf: (name: string) => number,
): boolean {
  if ('all' in rule) return rule.all.every((child) => segmentMatches(child, traits, countOf))
  if ('any' in rule) return rule.any.some((child) => segmentMatches(child, traits, countOf))
  if ('not' in rule) return !segmentMatches(rule.not, traits, countOf)
  if (rule.field === 'event') return countMatches(rule, countOf(rule.name))
  return traitMatches(rule, traits)
}

/** Event names a rule counts, so ingest only aggregates what some segment asks about. */
export function eventNamesOf(rule: SegmentRule): string[] {
  if ('all' in rule) return rule.all.flatMap(eventNamesOf)
  if ('any' in rule) return rule.any.flatMap(eventNamesOf)
  if ('not' in rule) return eventNamesOf(rule.not)
  return rule.field === 'event' ? [rule.name] : []
}
