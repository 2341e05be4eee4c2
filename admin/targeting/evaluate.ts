import type { Condition, Rule, Targeting } from '../../schema/targeting'

/**
 * A made-up visitor to try targeting on, in the admin, without a serve. It answers each condition as the API's
 * engine does (api/core/targeting.ts and the profile check in api/core/capping.ts); the admin cannot run that
 * code, so `evaluate.test.ts` holds the two to the same answers.
 */
export interface SampleVisitor {
  country?: string
  region?: string
  language?: string
  device?: string
  os?: string
  browser?: string
  url?: string
  referrer?: string
  utm: Partial<Record<string, string>>
  segments: string[]
  returning: boolean
  /** Pages seen in this visit, this one included; the engine takes 1 when the SDK did not say. */
  pages?: number
  traits: Record<string, string | number | boolean>
}

/**
 * Whole-text wildcard match (`*` any run, `?` one character), by dynamic programming over the pattern: one row
 * of booleans, |pattern| × |text| steps at most.
 */
export function wildcard(pattern: string, text: string): boolean {
  let row = new Array<boolean>(text.length + 1).fill(false)
  row[0] = true
  for (const token of pattern) {
    const next = new Array<boolean>(text.length + 1).fill(false)
    if (token === '*') {
      let any = false
      for (let i = 0; i <= text.length; i += 1) {
        any ||= row[i] ?? false
        next[i] = any
      }
    } else {
      for (let i = 1; i <= text.length; i += 1)
        next[i] = (row[i - 1] ?? false) && (token === '?' || token === text[i - 1])
    }
    row = next
  }
  return row[text.length] ?? false
}

function textMatches(op: string, value: string, actual: string | undefined): boolean {
  if (actual === undefined) return false
  if (op === 'equals') return actual === value
  if (op === 'prefix') return actual.startsWith(value)
  if (op === 'contains') return actual.includes(value)
  return wildcard(value, actual)
}

const among = (values: readonly string[], actual: string | undefined) =>
  actual !== undefined && values.includes(actual)

export function conditionHolds(condition: Condition, visitor: SampleVisitor): boolean {
  switch (condition.field) {
    case 'url':
    case 'referrer':
      return textMatches(condition.op, condition.value, visitor[condition.field])
    case 'device':
    case 'os':
    case 'browser':
    case 'country':
    case 'region':
    case 'language':
      return among(condition.values, visitor[condition.field])
    case 'segment':
      return condition.values.some((key) => visitor.segments.includes(key))
    case 'visitor':
      return visitor.returning === (condition.value === 'returning')
    case 'pages_this_session': {
      const pages = visitor.pages ?? 1
      if (condition.op === 'gte') return pages >= condition.value
      if (condition.op === 'lte') return pages <= condition.value
      return pages === condition.value
    }
    case 'trait': {
      const actual = Object.hasOwn(visitor.traits, condition.key) ? visitor.traits[condition.key] : undefined
      if (condition.op === 'exists') return actual !== undefined
      if (condition.op === 'equals') return actual === condition.value
      if (condition.op === 'in') return actual !== undefined && condition.values.includes(actual)
      if (typeof actual !== 'number') return false
      if (condition.op === 'gt') return actual > condition.value
      if (condition.op === 'gte') return actual >= condition.value
      if (condition.op === 'lt') return actual < condition.value
      return actual <= condition.value
    }
    default: {
      const actual = visitor.utm[condition.field]
      return condition.op === 'equals' ? actual === condition.value : among(condition.values, actual)
    }
  }
}

/** One line of the answer: a node of the tree, how deep it is, and whether it holds for the visitor. */
export interface Verdict {
  /** The node's path in the targeting (`include.all.1`). */
  path: string
  depth: number
  rule: Rule
  holds: boolean
}

/** Every node of a rule, parents before their children, each with whether it holds. */
export function verdicts(rule: Rule, visitor: SampleVisitor, path: string, depth = 0): Verdict[] {
  if ('not' in rule) {
    const inner = verdicts(rule.not, visitor, `${path}.not`, depth + 1)
    return [{ path, depth, rule, holds: !inner[0]?.holds }, ...inner]
  }
  if ('all' in rule || 'any' in rule) {
    const key = 'all' in rule ? 'all' : 'any'
    const children = 'all' in rule ? rule.all : rule.any
    const below = children.map((child, index) =>
      verdicts(child, visitor, `${path}.${key}.${index}`, depth + 1),
    )
    const results = below.map((list) => list[0]?.holds ?? false)
    const holds = key === 'all' ? results.every(Boolean) : results.some(Boolean)
    return [{ path, depth, rule, holds }, ...below.flat()]
  }
  return [{ path, depth, rule, holds: conditionHolds(rule, visitor) }]
}

export function ruleHolds(rule: Rule, visitor: SampleVisitor): boolean {
  return verdicts(rule, visitor, '')[0]?.holds ?? false
}

/** Whether the targeting lets the visitor in: the include rule holds (or is absent) and the exclude rule does not. */
export function targetingAdmits(targeting: Targeting, visitor: SampleVisitor): boolean {
  if (targeting.include && !ruleHolds(targeting.include, visitor)) return false
  return !(targeting.exclude && ruleHolds(targeting.exclude, visitor))
}
