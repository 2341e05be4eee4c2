import type { EventCondition, SegmentRule } from '../../schema/segments'
import type { Condition, Rule, Targeting } from '../../schema/targeting'
import { countryName, languageName } from './codes'

type AnyRule = Rule | SegmentRule
type AnyCondition = Condition | EventCondition

/** Names for segment keys (the site's audiences), so a sentence says "Loyal customers", not `loyal_customer`. */
export type SegmentNames = ReadonlyMap<string, string>

const deviceWords: Record<string, string> = { desktop: 'a computer', mobile: 'mobile', tablet: 'a tablet' }

/** "a", "a or b", "a, b or c". */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? ''
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`
}

const quoted = (text: string) => `“${text}”`
const compare: Record<string, string> = {
  gt: 'more than',
  gte: 'at least',
  lt: 'less than',
  lte: 'at most',
  equals: 'exactly',
}

/** One condition as words that follow "Visitors …": "on mobile", "whose utm_source is newsletter". */
export function conditionPhrase(condition: AnyCondition, segments: SegmentNames = new Map()): string {
  switch (condition.field) {
    case 'device':
      return `on ${orList(condition.values.map((device) => deviceWords[device] ?? device))}`
    case 'country':
      return `in ${orList(condition.values.map(countryName))}`
    case 'region':
      return `in the region ${orList(condition.values)}`
    case 'language':
      return `who speak ${orList(condition.values.map(languageName))}`
    case 'os':
      return `using ${orList(condition.values)}`
    case 'browser':
      return `browsing with ${orList(condition.values)}`
    case 'segment':
      return `in the segment ${orList(condition.values.map((key) => segments.get(key) ?? key))}`
    case 'visitor':
      return condition.value === 'new' ? 'on their first visit' : 'who have been here before'
    case 'pages_this_session':
      return `who have seen ${compare[condition.op]} ${condition.value} pages this visit`
    case 'url': {
      const how = { equals: 'on the page', prefix: 'on pages starting with', glob: 'on pages matching' }
      return `${how[condition.op]} ${quoted(condition.value)}`
    }
    case 'referrer': {
      const how = {
        equals: 'coming from',
        prefix: 'coming from an address starting with',
        glob: 'coming from an address matching',
        contains: 'coming from an address containing',
      }
      return `${how[condition.op]} ${quoted(condition.value)}`
    }
    case 'event':
      return `who sent ${quoted(condition.name)} ${compare[condition.op]} ${condition.count} times`
    case 'trait': {
      const key = condition.key
      if (condition.op === 'exists') return `whose ${key} is set`
      if (condition.op === 'equals') return `whose ${key} is ${String(condition.value)}`
      if (condition.op === 'in') return `whose ${key} is ${orList(condition.values.map(String))}`
      return `whose ${key} is ${compare[condition.op]} ${condition.value}`
    }
    case 'utm_source':
    case 'utm_medium':
    case 'utm_campaign':
    case 'utm_term':
    case 'utm_content':
      return condition.op === 'equals'
        ? `whose ${condition.field} is ${condition.value}`
        : `whose ${condition.field} is ${orList(condition.values)}`
  }
}

/** A rule as a phrase; groups inside groups are bracketed so "and" and "or" cannot be misread. */
export function rulePhrase(rule: AnyRule, segments: SegmentNames = new Map(), nested = false): string {
  if ('not' in rule) {
    const inner = rulePhrase(rule.not as AnyRule, segments, true)
    return `not ${inner}`
  }
  if ('all' in rule || 'any' in rule) {
    const children = ('all' in rule ? rule.all : rule.any) as AnyRule[]
    const phrases = children.map((child) => rulePhrase(child, segments, true))
    if (phrases.length === 1) return phrases[0] ?? ''
    const text = 'all' in rule ? phrases.join(' ') : phrases.join(' or ')
    return nested ? `(${text})` : text
  }
  return conditionPhrase(rule, segments)
}

/** The whole targeting as a sentence: "Visitors on mobile whose utm_source is newsletter, not in France". */
export function targetingSentence(targeting: Targeting, segments: SegmentNames = new Map()): string {
  const { include, exclude } = targeting
  if (!include && !exclude) return 'Every visitor.'
  const parts = ['Visitors']
  if (include) parts.push(` ${rulePhrase(include, segments)}`)
  if (exclude) parts.push(`${include ? ',' : ''} not ${rulePhrase(exclude, segments, true)}`)
  return `${parts.join('')}.`
}

/** A segment's rule as a sentence: "Visitors who sent “Purchase” at least 3 times". */
export function segmentSentence(rule: SegmentRule): string {
  return `Visitors ${rulePhrase(rule)}.`
}
