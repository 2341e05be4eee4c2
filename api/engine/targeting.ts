import type { Condition, Rule, Targeting } from '../../schema/targeting'
import type { VisitorContext } from './visitor'

/**
 * Whole-string wildcard match: `*` is any run of characters (possibly none), `?` exactly one. Two pointers
 * with a single resume point: a later `*` always subsumes an earlier one, so a failure only ever rewinds to
 * the last star. At most |text| × |pattern| steps and no recursion, whatever the pattern.
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0
  let t = 0
  let star = -1
  let resume = 0
  while (t < text.length) {
    const token = pattern[p]
    if (token === '*') {
      star = p++
      resume = t
    } else if (token !== undefined && (token === '?' || token === text[t])) {
      p++
      t++
    } else if (star >= 0) {
      p = star + 1
      t = ++resume
    } else {
      return false
    }
  }
  while (pattern[p] === '*') p++
  return p === pattern.length
}

function matchText(op: 'equals' | 'prefix' | 'glob' | 'contains', value: string, actual: string | undefined) {
  if (actual === undefined) return false
  switch (op) {
    case 'equals':
      return actual === value
    case 'prefix':
      return actual.startsWith(value)
    case 'glob':
      return globMatch(value, actual)
    case 'contains':
      return actual.includes(value)
  }
}

const oneOf = (values: readonly string[], actual: string | undefined) =>
  actual !== undefined && values.includes(actual)

function matchCondition(condition: Condition, visitor: VisitorContext): boolean {
  switch (condition.field) {
    case 'url':
    case 'referrer':
      return matchText(condition.op, condition.value, visitor[condition.field])
    case 'utm_source':
    case 'utm_medium':
    case 'utm_campaign':
    case 'utm_term':
    case 'utm_content': {
      const actual = visitor.utm[condition.field]
      return condition.op === 'equals' ? actual === condition.value : oneOf(condition.values, actual)
    }
    case 'device':
      return oneOf(condition.values, visitor.device)
    case 'os':
    case 'browser':
    case 'country':
    case 'region':
    case 'language':
      return oneOf(condition.values, visitor[condition.field])
  }
}

export function matchRule(rule: Rule, visitor: VisitorContext): boolean {
  if ('all' in rule) return rule.all.every((child) => matchRule(child, visitor))
  if ('any' in rule) return rule.any.some((child) => matchRule(child, visitor))
  if ('not' in rule) return !matchRule(rule.not, visitor)
  return matchCondition(rule, visitor)
}

/** Pure: the include rule (if any) must match and the exclude rule (if any) must not. `{}` is everyone. */
export function matches(targeting: Targeting, visitor: VisitorContext): boolean {
  if (targeting.include && !matchRule(targeting.include, visitor)) return false
  return !(targeting.exclude && matchRule(targeting.exclude, visitor))
}
