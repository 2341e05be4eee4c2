import type { EventCondition, SegmentRule } from '../../schema/segments'
import type { Condition, Rule, TraitCondition } from '../../schema/targeting'

/**
 * The rule builder's model: a rule tree (schema/targeting.ts `Rule`, or a segment's schema/segments.ts rule) as
 * nodes the builder edits, with every typed number kept as the text typed. `toRule(fromRule(x))` is `x`: nothing
 * the builder does not show is lost, and what it shows becomes exactly the schema's value.
 */

/** Every field a condition can test: the targeting fields, and `event` (event counts) for segments. */
export const fieldKeys = [
  'device',
  'country',
  'language',
  'region',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'url',
  'referrer',
  'os',
  'browser',
  'segment',
  'visitor',
  'pages_this_session',
  'trait',
  'event',
] as const
export type FieldKey = (typeof fieldKeys)[number]

/**
 * How deep groups may nest: schema/targeting.ts `maxRuleDepth` and schema/segments.ts `maxSegmentDepth`, copied
 * because importing those modules' values would bring zod into the admin bundle (rules.test.ts holds them equal).
 */
export const targetingDepth = 4
export const segmentDepth = 3

/** The fields a campaign's targeting may test, and those a custom segment may. */
export const targetingFields: readonly FieldKey[] = fieldKeys.filter((key) => key !== 'event')
export const segmentFields: readonly FieldKey[] = ['trait', 'event']

export const fieldLabels: Record<FieldKey, string> = {
  device: 'Device',
  country: 'Country',
  language: 'Language',
  region: 'Region',
  utm_source: 'UTM source',
  utm_medium: 'UTM medium',
  utm_campaign: 'UTM campaign',
  utm_term: 'UTM term',
  utm_content: 'UTM content',
  url: 'Page address',
  referrer: 'Referrer',
  os: 'Operating system',
  browser: 'Browser',
  segment: 'Segment',
  visitor: 'New or returning',
  pages_this_session: 'Pages this visit',
  trait: 'Trait',
  event: 'Event count',
}

export const utmKeys = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const
const isUtm = (field: FieldKey): field is (typeof utmKeys)[number] =>
  (utmKeys as readonly string[]).includes(field)

/** The operators each field takes, in the schema's names, with how the builder says them. */
export function operatorsOf(field: FieldKey): { op: string; label: string }[] {
  if (field === 'url')
    return [
      { op: 'equals', label: 'is' },
      { op: 'prefix', label: 'starts with' },
      { op: 'glob', label: 'matches the pattern' },
    ]
  if (field === 'referrer')
    return [
      { op: 'equals', label: 'is' },
      { op: 'prefix', label: 'starts with' },
      { op: 'glob', label: 'matches the pattern' },
      { op: 'contains', label: 'contains' },
    ]
  if (isUtm(field))
    return [
      { op: 'equals', label: 'is' },
      { op: 'in', label: 'is one of' },
    ]
  if (field === 'visitor') return [{ op: 'equals', label: 'is' }]
  if (field === 'pages_this_session' || field === 'event')
    return [
      { op: 'gte', label: 'at least' },
      { op: 'lte', label: 'at most' },
      { op: 'equals', label: 'exactly' },
    ]
  if (field === 'trait')
    return [
      { op: 'equals', label: 'is' },
      { op: 'in', label: 'is one of' },
      { op: 'exists', label: 'is set' },
      { op: 'gt', label: 'is more than' },
      { op: 'gte', label: 'is at least' },
      { op: 'lt', label: 'is less than' },
      { op: 'lte', label: 'is at most' },
    ]
  return [{ op: 'in', label: 'is one of' }]
}

/** How a trait's value is typed: a trait holds text, a number or yes/no. */
export type ValueKind = 'text' | 'number' | 'boolean'

export interface ConditionNode {
  kind: 'condition'
  id: number
  field: FieldKey
  op: string
  /** The one value (url, referrer, utm equals, visitor, numbers as typed, a trait's value as typed). */
  text: string
  /** The chosen values of an `in` list, as text (trait values are typed by `valueKind`). */
  values: string[]
  /** A trait's key, or an event's name. */
  key: string
  valueKind: ValueKind
}

export interface GroupNode {
  kind: 'group'
  id: number
  match: 'all' | 'any'
  children: RuleNode[]
}

export interface NotNode {
  kind: 'not'
  id: number
  child: RuleNode
}

export type RuleNode = ConditionNode | GroupNode | NotNode

let lastId = 0
const nextId = () => {
  lastId += 1
  return lastId
}

/** A new condition on `field` with its first operator and sensible starting values. */
export function newCondition(field: FieldKey): ConditionNode {
  const op = operatorsOf(field)[0]?.op ?? 'in'
  const text =
    field === 'visitor' ? 'returning' : field === 'pages_this_session' ? '2' : field === 'event' ? '1' : ''
  return { kind: 'condition', id: nextId(), field, op, text, values: [], key: '', valueKind: 'text' }
}

export function newGroup(match: 'all' | 'any', children: RuleNode[] = []): GroupNode {
  return { kind: 'group', id: nextId(), match, children }
}

export function negate(child: RuleNode): NotNode {
  return { kind: 'not', id: nextId(), child }
}

/** A campaign's targeting rule or a custom segment's rule: the builder edits both. */
export type AnyRule = Rule | SegmentRule
type AnyCondition = Condition | EventCondition

const kindOf = (value: unknown): ValueKind =>
  typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'text'

/** A rule tree as the builder's nodes. */
export function fromRule(rule: AnyRule): RuleNode {
  if ('all' in rule) return newGroup('all', (rule.all as AnyRule[]).map(fromRule))
  if ('any' in rule) return newGroup('any', (rule.any as AnyRule[]).map(fromRule))
  if ('not' in rule) return negate(fromRule(rule.not))
  return fromCondition(rule)
}

function fromCondition(condition: AnyCondition): ConditionNode {
  const node = newCondition(condition.field)
  node.op = condition.op
  node.text = ''
  if (condition.field === 'trait') {
    node.key = condition.key
    if ('value' in condition) {
      node.text = String(condition.value)
      node.valueKind = kindOf(condition.value)
    }
    if ('values' in condition) {
      node.values = condition.values.map(String)
      node.valueKind = kindOf(condition.values[0])
    }
    return node
  }
  if (condition.field === 'event') {
    node.key = condition.name
    node.text = String(condition.count)
    return node
  }
  if ('values' in condition) node.values = [...condition.values]
  if ('value' in condition) node.text = String(condition.value)
  return node
}

/** Text typed as a number: a number when it reads as one, else the text itself, for the API to refuse. */
function typedNumber(text: string): number | string {
  const trimmed = text.trim()
  const number = trimmed === '' ? Number.NaN : Number(trimmed)
  return Number.isFinite(number) ? number : trimmed
}

function typedValue(text: string, kind: ValueKind): string | number | boolean {
  if (kind === 'number') return typedNumber(text)
  if (kind === 'boolean') return text === 'true'
  return text
}

function toCondition(node: ConditionNode): AnyCondition {
  const { field, op } = node
  if (field === 'trait') {
    const key = node.key.trim()
    if (op === 'exists') return { field, key, op }
    if (op === 'in') return { field, key, op, values: node.values.map((v) => typedValue(v, node.valueKind)) }
    if (op === 'equals') return { field, key, op, value: typedValue(node.text, node.valueKind) }
    return { field, key, op, value: typedNumber(node.text) } as TraitCondition
  }
  if (field === 'event')
    return { field, name: node.key.trim(), op, count: typedNumber(node.text) } as EventCondition
  if (field === 'pages_this_session') return { field, op, value: typedNumber(node.text) } as Condition
  if (field === 'url' || field === 'referrer' || field === 'visitor')
    return { field, op, value: node.text } as Condition
  if (isUtm(field) && op === 'equals') return { field, op, value: node.text.trim() }
  return { field, op: 'in', values: [...node.values] } as Condition
}

/**
 * Whether the builder can show a rule (parsed from typed JSON) as it is: known groups, and conditions on the
 * given fields with the keys their operators need. What it cannot show stays JSON.
 */
export function isBuildable(value: unknown, fields: readonly FieldKey[]): value is AnyRule {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const rule = value as Record<string, unknown>
  const keys = Object.keys(rule)
  if (keys.length === 1 && (keys[0] === 'all' || keys[0] === 'any')) {
    const children = rule[keys[0]]
    return Array.isArray(children) && children.every((child) => isBuildable(child, fields))
  }
  if (keys.length === 1 && keys[0] === 'not') return isBuildable(rule.not, fields)
  const field = rule.field as FieldKey
  if (!fields.includes(field) || typeof rule.op !== 'string') return false
  if (!operatorsOf(field).some(({ op }) => op === rule.op)) return false
  const scalar = (v: unknown) => ['string', 'number', 'boolean'].includes(typeof v)
  if ('values' in rule && !(Array.isArray(rule.values) && rule.values.every(scalar))) return false
  if ('value' in rule && !scalar(rule.value)) return false
  if (field === 'trait') return typeof rule.key === 'string'
  if (field === 'event') return typeof rule.name === 'string' && typeof rule.count === 'number'
  return 'value' in rule || 'values' in rule
}

/** What a condition still needs before the API will take it, said as a hint; undefined when nothing. */
export function conditionHint(node: ConditionNode): string | undefined {
  const { field, op } = node
  if ((field === 'trait' || field === 'event') && node.key.trim() === '')
    return field === 'trait' ? 'Name the trait.' : 'Name the event.'
  if (op === 'exists') return undefined
  if (op === 'in' && node.values.length === 0) return 'Choose at least one value.'
  if (op !== 'in' && node.text.trim() === '') return 'Enter a value.'
  const numeric =
    field === 'pages_this_session' ||
    field === 'event' ||
    (field === 'trait' && !['equals', 'in'].includes(op))
  if (numeric && !Number.isFinite(Number(node.text))) return 'Enter a number.'
  return undefined
}

/** The builder's nodes as the schema's rule. */
export function toRule(node: RuleNode): Rule {
  if (node.kind === 'group')
    return node.match === 'all' ? { all: node.children.map(toRule) } : { any: node.children.map(toRule) }
  if (node.kind === 'not') return { not: toRule(node.child) }
  return toCondition(node) as Condition
}

/** The API path of every node below `base` (`targeting.include.all.1`), by node id. */
export function nodePaths(
  node: RuleNode,
  base: string,
  into = new Map<number, string>(),
): Map<number, string> {
  into.set(node.id, base)
  if (node.kind === 'group')
    node.children.forEach((child, index) => {
      nodePaths(child, `${base}.${node.match}.${index}`, into)
    })
  if (node.kind === 'not') nodePaths(node.child, `${base}.not`, into)
  return into
}

/** Replaces the node with `id` (wherever it is in the tree) by what `change` makes of it; undefined removes it. */
export function replaceNode(
  node: RuleNode,
  id: number,
  change: (found: RuleNode) => RuleNode | undefined,
): RuleNode | undefined {
  if (node.id === id) return change(node)
  if (node.kind === 'group') {
    const children = node.children.flatMap((child) => {
      const next = replaceNode(child, id, change)
      return next ? [next] : []
    })
    return { ...node, children }
  }
  if (node.kind === 'not') {
    const child = replaceNode(node.child, id, change)
    return child ? { ...node, child } : undefined
  }
  return node
}

/** How deep the groups nest (a bare condition is 0), as the schema counts it. */
export function groupDepth(node: RuleNode): number {
  if (node.kind === 'condition') return 0
  const inner = node.kind === 'group' ? node.children.map(groupDepth) : [groupDepth(node.child)]
  return 1 + Math.max(0, ...inner)
}
