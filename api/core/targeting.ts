import type { Condition, Rule, Targeting } from '../../schema/targeting'
import type { ProfileRule } from './claims'
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

/**
 * What a condition says about this request: a boolean when the request's own data decides it, or the
 * question left for the visitor's stored profile (segments, traits, new or returning), which the key-value
 * store answers in the same round trip that checks the caps.
 */
function evalCondition(condition: Condition, visitor: VisitorContext): boolean | ProfileRule {
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
    case 'pages_this_session': {
      const pages = visitor.pagesThisSession ?? 1
      if (condition.op === 'gte') return pages >= condition.value
      if (condition.op === 'lte') return pages <= condition.value
      return pages === condition.value
    }
    case 'segment':
      return condition.values.length === 1
        ? { segment: condition.values[0]! }
        : { any: condition.values.map((segment) => ({ segment })) }
    case 'visitor':
      return { returning: condition.value === 'returning' }
    case 'trait': {
      const { field: _field, key, ...test } = condition
      return { trait: key, ...test } as ProfileRule
    }
  }
}

/**
 * Partial evaluation of a rule tree: true or false when the request decides it, otherwise the smallest
 * profile rule that is left. Allocates only for rules that mention the profile.
 */
export function evalRule(rule: Rule, visitor: VisitorContext): boolean | ProfileRule {
  if ('not' in rule) {
    const inner = evalRule(rule.not, visitor)
    return typeof inner === 'boolean' ? !inner : { not: inner }
  }
  if ('all' in rule || 'any' in rule) {
    const isAll = 'all' in rule
    const children = isAll ? rule.all : rule.any
    let rest: ProfileRule[] | undefined
    for (const child of children) {
      const result = evalRule(child, visitor)
      if (result === !isAll) return result
      if (typeof result === 'boolean') continue
      if (rest) rest.push(result)
      else rest = [result]
    }
    if (!rest) return isAll
    if (rest.length === 1) return rest[0]!
    return isAll ? { all: rest } : { any: rest }
  }
  return evalCondition(rule, visitor)
}

/**
 * Who sees a campaign, as far as the request can tell: the include rule must hold and the exclude rule must
 * not. True, false, or the profile rule still to check. `{}` is everyone.
 */
export function evalTargeting(targeting: Targeting, visitor: VisitorContext): boolean | ProfileRule {
  const include = targeting.include ? evalRule(targeting.include, visitor) : true
  if (include === false || !targeting.exclude) return include
  const exclude = evalRule(targeting.exclude, visitor)
  if (exclude === true) return false
  if (exclude === false) return include
  const negated: ProfileRule = { not: exclude }
  return include === true ? negated : { all: [include, negated] }
}

/** A readable account of a condition, for the decision trace. */
function describe(condition: Condition): string {
  const { field, op, ...rest } = condition as Condition & {
    value?: unknown
    values?: unknown[]
    key?: string
  }
  const subject = rest.key ? `trait ${rest.key}` : field
  const object = rest.values
    ? `[${rest.values.join(', ')}]`
    : rest.value === undefined
      ? ''
      : String(rest.value)
  return `${subject} ${op} ${object}`.trim()
}

/**
 * For the decision trace only: the path and text of the first condition that settles the rule against this
 * request (e.g. `include.all.1: country in [US] is false`), or undefined when it holds or waits on the profile.
 */
export function explainFailure(targeting: Targeting, visitor: VisitorContext): string | undefined {
  const walk = (rule: Rule, path: string, want: boolean): string | undefined => {
    if ('not' in rule) return walk(rule.not, `${path}.not`, !want)
    if ('all' in rule || 'any' in rule) {
      const isAll = 'all' in rule
      const children = isAll ? rule.all : rule.any
      const key = isAll ? 'all' : 'any'
      // An all fails through any failing child; an any fails only when every child fails (the first is named).
      if (isAll === want) {
        for (const [i, child] of children.entries()) {
          if (evalRule(child, visitor) === !want) return walk(child, `${path}.${key}.${i}`, want)
        }
        return undefined
      }
      return children.every((child) => evalRule(child, visitor) === !want)
        ? walk(children[0]!, `${path}.${key}.0`, want)
        : undefined
    }
    const result = evalCondition(rule, visitor)
    return result === !want ? `${path}: ${describe(rule)} is ${result}` : undefined
  }
  if (targeting.include) {
    const failed = walk(targeting.include, 'include', true)
    if (failed) return failed
  }
  return targeting.exclude ? walk(targeting.exclude, 'exclude', false) : undefined
}
