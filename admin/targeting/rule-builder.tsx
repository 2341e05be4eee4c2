import type { ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { limits } from '../../schema/limits'
import type { FieldErrors } from '../field'
import { countryName, countryOptions, languageName, languageOptions } from './codes'
import { Checks, CodePicker, ListInput } from './pickers'
import {
  type AnyRule,
  type ConditionNode,
  conditionHint,
  type FieldKey,
  fieldLabels,
  fromRule,
  groupDepth,
  negate,
  newCondition,
  newGroup,
  nodePaths,
  operatorsOf,
  type RuleNode,
  replaceNode,
  toRule,
  utmKeys,
  type ValueKind,
} from './rules'

/** A segment as the pickers offer it: its key in the rule, its name for people. */
export interface SegmentOption {
  key: string
  name: string
}

const deviceOptions = [
  { value: 'mobile', label: 'Mobile' },
  { value: 'tablet', label: 'Tablet' },
  { value: 'desktop', label: 'Computer' },
]
const osSuggestions = ['android', 'ios', 'windows', 'mac os', 'linux', 'chromium os']
const browserSuggestions = ['chrome', 'safari', 'firefox', 'edge', 'samsung internet', 'opera']

const lower = (value: string) => value.trim().toLowerCase()
const upper = (value: string) => value.trim().toUpperCase()

/**
 * The errors that belong to the node at `path` itself: at its path, or inside it but not inside a child node
 * (`….all.0.values` belongs to `….all.0`; `….all.0.all.1` belongs to a child).
 */
export function ownErrors(errors: FieldErrors | undefined, path: string): string[] {
  if (!errors) return []
  const found: string[] = []
  for (const [at, message] of errors) {
    if (at === path) found.push(message)
    else if (at.startsWith(`${path}.`)) {
      const rest = at.slice(path.length + 1)
      if (!/^(all|any)\.\d+(\.|$)|^not(\.|$)/.test(rest)) found.push(message)
    }
  }
  return found
}

interface RuleBuilderProps<R extends AnyRule> {
  /** The rule as the schema holds it; undefined is no rule. */
  value: R | undefined
  /** Called with the new rule, or undefined once the top group is empty. */
  onChange: (rule: R | undefined) => void
  /** The fields conditions may test. */
  fields: readonly FieldKey[]
  /** How deep groups may nest (schema/targeting.ts `maxRuleDepth`, schema/segments.ts `maxSegmentDepth`). */
  maxDepth: number
  /** The rule's path in API errors (`targeting.include`, `rule`); also the base of the controls' ids. */
  path: string
  /** What the rule is for, the top group's name for assistive tech ("Show to"). */
  label: string
  errors?: FieldErrors
  segments?: readonly SegmentOption[]
}

interface Context {
  fields: readonly FieldKey[]
  maxDepth: number
  errors: FieldErrors | undefined
  segments: readonly SegmentOption[]
  paths: Map<number, string>
  idBase: string
  change: (id: number, change: (node: RuleNode) => RuleNode | undefined) => void
  /** After a removal, focus goes to the top group's first control rather than to the page. */
  focusTop: () => void
}

/** The rule builder: all / any groups, not, and conditions with the right operators and pickers for each field. */
export function RuleBuilder<R extends AnyRule>({
  value,
  onChange,
  fields,
  maxDepth,
  path,
  label,
  errors,
  segments = [],
}: RuleBuilderProps<R>) {
  const [root, setRoot] = useState<RuleNode>(() => (value ? fromRuleSafe(value) : newGroup('all')))
  // What this builder sent up lately: a value coming back that is one of them is its own echo (perhaps one render
  // late, while typing fast) and must not rebuild the nodes under the cursor; any other value is a new rule.
  const emitted = useRef<string[]>([JSON.stringify(value ?? null)])
  const incoming = JSON.stringify(value ?? null)
  useEffect(() => {
    if (emitted.current.includes(incoming)) return
    emitted.current = [incoming]
    setRoot(value ? fromRuleSafe(value) : newGroup('all'))
  }, [incoming])

  const commit = (next: RuleNode) => {
    setRoot(next)
    const empty = next.kind === 'group' && next.children.length === 0
    const rule = empty ? undefined : (toRule(next) as R)
    emitted.current = [...emitted.current.slice(-19), JSON.stringify(rule ?? null)]
    onChange(rule)
  }
  const idBase = `rule-${path.replace(/[^A-Za-z0-9_-]+/g, '-')}`
  const context: Context = {
    fields,
    maxDepth,
    errors,
    segments,
    paths: nodePaths(root, path),
    idBase,
    change: (id, change) => commit(replaceNode(root, id, change) ?? newGroup('all')),
    focusTop: () =>
      requestAnimationFrame(() =>
        document.getElementById(`field-${path.replace(/[^A-Za-z0-9_-]+/g, '-')}`)?.focus(),
      ),
  }
  const first = fields[0] ?? 'trait'
  return (
    <fieldset class="plain rule-builder">
      <legend class="visually-hidden">{label}</legend>
      <NodeEditor node={root} level={1} context={context} isRoot />
      {root.kind !== 'group' && (
        <button
          type="button"
          class="button button-small"
          onClick={() => commit(newGroup('all', [root, newCondition(first)]))}
        >
          Add condition
        </button>
      )}
    </fieldset>
  )
}

/** Rules from the API are valid; anything else (a stored shape this admin does not know) starts empty. */
function fromRuleSafe(rule: AnyRule): RuleNode {
  try {
    return fromRule(rule)
  } catch {
    return newGroup('all')
  }
}

interface NodeProps {
  node: RuleNode
  /** The schema's level of this node: the top is 1, each group or not below adds one. */
  level: number
  context: Context
  isRoot?: boolean
}

function NodeEditor({ node, level, context, isRoot = false }: NodeProps) {
  if (node.kind === 'group')
    return <GroupEditor node={node} level={level} context={context} isRoot={isRoot} />
  if (node.kind === 'not')
    return (
      <div class="rule-not">
        <div class="rule-not-header">
          <strong>Not</strong>
          <span class="muted">: visitors this does not describe</span>
          <button
            type="button"
            class="button button-small button-quiet"
            onClick={() => context.change(node.id, (found) => (found.kind === 'not' ? found.child : found))}
          >
            Remove “not”
          </button>
        </div>
        <NodeEditor node={node.child} level={level + 1} context={context} />
        <NodeErrors node={node} context={context} />
      </div>
    )
  return <ConditionEditor node={node} level={level} context={context} />
}

function NodeErrors({ node, context }: { node: RuleNode; context: Context }) {
  const path = context.paths.get(node.id) ?? ''
  const messages = ownErrors(context.errors, path)
  if (messages.length === 0) return null
  return (
    <p class="field-error" id={`${context.idBase}-${node.id}-error`}>
      {messages.join('; ')}
    </p>
  )
}

/** The buttons every non-top node has: wrap it in "not" (where the depth allows) and remove it. */
function NodeActions({
  node,
  level,
  context,
  what,
}: {
  node: RuleNode
  level: number
  context: Context
  what: string
}) {
  const canNegate = level <= context.maxDepth && level + groupDepth(node) <= context.maxDepth
  return (
    <span class="rule-actions">
      {canNegate && (
        <button
          type="button"
          class="button button-small button-quiet"
          onClick={() => context.change(node.id, negate)}
        >
          Not <span class="visually-hidden">{what}</span>
        </button>
      )}
      <button
        type="button"
        class="button button-small button-quiet"
        onClick={() => {
          context.change(node.id, () => undefined)
          context.focusTop()
        }}
      >
        Remove <span class="visually-hidden">{what}</span>
      </button>
    </span>
  )
}

function GroupEditor({
  node,
  level,
  context,
  isRoot,
}: NodeProps & { node: Extract<RuleNode, { kind: 'group' }> }) {
  const matchId = isRoot ? fieldIdOf(context) : `${context.idBase}-${node.id}-match`
  const path = context.paths.get(node.id) ?? ''
  const invalid = ownErrors(context.errors, path).length > 0
  const first = context.fields[0] ?? 'trait'
  const add = (child: RuleNode) =>
    context.change(node.id, (found) =>
      found.kind === 'group' ? { ...found, children: [...found.children, child] } : found,
    )
  return (
    <div class={isRoot ? 'rule-group rule-group-root' : 'rule-group'}>
      <div class="rule-group-header">
        <label for={matchId}>Visitors who match</label>
        <select
          id={matchId}
          value={node.match}
          aria-invalid={invalid}
          aria-describedby={invalid ? `${context.idBase}-${node.id}-error` : undefined}
          onChange={(event) => {
            const match = event.currentTarget.value === 'any' ? 'any' : 'all'
            context.change(node.id, (found) => (found.kind === 'group' ? { ...found, match } : found))
          }}
        >
          <option value="all">all of these</option>
          <option value="any">any of these</option>
        </select>
        {!isRoot && <NodeActions node={node} level={level} context={context} what="this group" />}
      </div>
      {node.children.length === 0 ? (
        <p class="muted">
          {isRoot ? 'No conditions: every visitor.' : 'An empty group: add a condition or remove it.'}
        </p>
      ) : (
        <ol class="rule-children">
          {node.children.map((child) => (
            <li key={child.id}>
              <NodeEditor node={child} level={level + 1} context={context} />
            </li>
          ))}
        </ol>
      )}
      <NodeErrors node={node} context={context} />
      <div class="rule-row">
        <button type="button" class="button button-small" onClick={() => add(newCondition(first))}>
          Add condition
        </button>
        {level + 1 <= context.maxDepth && (
          <button
            type="button"
            class="button button-small"
            onClick={() => add(newGroup('any', [newCondition(first)]))}
          >
            Add group
          </button>
        )}
      </div>
    </div>
  )
}

/** The id of the top group's first control, where the error summary sends the marketer. */
function fieldIdOf(context: Context): string {
  const path = context.paths.values().next().value ?? ''
  return `field-${path.replace(/[^A-Za-z0-9_-]+/g, '-')}`
}

function ConditionEditor({ node, level, context }: { node: ConditionNode; level: number; context: Context }) {
  const id = `${context.idBase}-${node.id}`
  const path = context.paths.get(node.id) ?? ''
  const invalid = ownErrors(context.errors, path).length > 0
  const describedBy = invalid ? `${id}-error` : undefined
  const set = (patch: Partial<ConditionNode>) =>
    context.change(node.id, (found) => (found.kind === 'condition' ? { ...found, ...patch } : found))
  const fieldName = fieldLabels[node.field].toLowerCase()
  const operators = operatorsOf(node.field)
  const a11y = { 'aria-invalid': invalid, 'aria-describedby': describedBy }
  return (
    <div class="rule-condition">
      <div class="rule-condition-row">
        <span class="rule-control">
          <label class="visually-hidden" for={`${id}-field`}>
            Field
          </label>
          <select
            id={`${id}-field`}
            value={node.field}
            {...a11y}
            onChange={(event) => {
              const field = event.currentTarget.value as FieldKey
              const fresh = newCondition(field)
              set({ field, op: fresh.op, text: fresh.text, values: [], key: '', valueKind: 'text' })
            }}
          >
            {context.fields.map((field) => (
              <option key={field} value={field}>
                {fieldLabels[field]}
              </option>
            ))}
          </select>
        </span>
        {(node.field === 'trait' || node.field === 'event') && (
          <span class="rule-control">
            <label class="visually-hidden" for={`${id}-key`}>
              {node.field === 'trait' ? 'Trait name' : 'Event name'}
            </label>
            <input
              id={`${id}-key`}
              type="text"
              spellcheck={false}
              maxLength={node.field === 'trait' ? 64 : limits.eventName}
              placeholder={node.field === 'trait' ? 'trait, e.g. plan' : 'event, e.g. Purchase'}
              value={node.key}
              {...a11y}
              onInput={(event) => set({ key: event.currentTarget.value })}
            />
          </span>
        )}
        {operators.length > 1 ? (
          <span class="rule-control">
            <label class="visually-hidden" for={`${id}-op`}>
              Operator for {fieldName}
            </label>
            <select
              id={`${id}-op`}
              value={node.op}
              {...a11y}
              onChange={(event) => set({ op: event.currentTarget.value })}
            >
              {operators.map(({ op, label }) => (
                <option key={op} value={op}>
                  {label}
                </option>
              ))}
            </select>
          </span>
        ) : (
          <span class="rule-op">{operators[0]?.label}</span>
        )}
        <NodeActions node={node} level={level} context={context} what={`the ${fieldName} condition`} />
      </div>
      <ValueEditor node={node} id={id} a11y={a11y} context={context} set={set} />
      <NodeErrors node={node} context={context} />
      {!invalid && conditionHint(node) && <p class="field-hint">{conditionHint(node)}</p>}
    </div>
  )
}

interface ValueProps {
  node: ConditionNode
  id: string
  a11y: { 'aria-invalid': boolean; 'aria-describedby': string | undefined }
  context: Context
  set: (patch: Partial<ConditionNode>) => void
}

function Labelled({ id, label, children }: { id: string; label: string; children: ComponentChildren }) {
  return (
    <span class="rule-control rule-value">
      <label class="visually-hidden" for={id}>
        {label}
      </label>
      {children}
    </span>
  )
}

function ValueEditor({ node, id, a11y, context, set }: ValueProps) {
  const valueId = `${id}-value`
  const name = fieldLabels[node.field]
  const setValues = (values: string[]) => set({ values })
  const listProps = {
    id: valueId,
    values: node.values,
    onChange: setValues,
    describedBy: a11y['aria-describedby'],
    invalid: a11y['aria-invalid'],
  }
  switch (node.field) {
    case 'device':
      return (
        <Checks
          legend="Devices"
          idPrefix={valueId}
          options={deviceOptions}
          values={node.values}
          onChange={setValues}
        />
      )
    case 'country':
      return <CodePicker {...listProps} label="Countries" options={countryOptions()} name={countryName} />
    case 'language':
      return (
        <CodePicker
          {...listProps}
          label="Languages"
          options={languageOptions()}
          name={languageName}
          onChange={(values) => setValues(values.map(lower))}
        />
      )
    case 'region':
      return <ListInput {...listProps} label="Regions" normalize={upper} placeholder="ISO code, e.g. US-CA" />
    case 'os':
      return (
        <ListInput {...listProps} label="Operating systems" normalize={lower} suggestions={osSuggestions} />
      )
    case 'browser':
      return <ListInput {...listProps} label="Browsers" normalize={lower} suggestions={browserSuggestions} />
    case 'segment':
      if (context.segments.length === 0 && node.values.length === 0)
        return (
          <p class="field-hint">No segments to choose from yet: they are listed on the Audiences page.</p>
        )
      return (
        <Checks
          legend="Segments"
          idPrefix={valueId}
          options={context.segments.map((segment) => ({ value: segment.key, label: segment.name }))}
          values={node.values}
          onChange={setValues}
        />
      )
    case 'visitor':
      return (
        <Labelled id={valueId} label="New or returning visitor">
          <select
            id={valueId}
            value={node.text}
            {...a11y}
            onChange={(event) => set({ text: event.currentTarget.value })}
          >
            <option value="new">New (first visit)</option>
            <option value="returning">Returning</option>
          </select>
        </Labelled>
      )
    case 'pages_this_session':
    case 'event':
      return (
        <Labelled id={valueId} label={node.field === 'event' ? 'Times' : 'Pages'}>
          <input
            id={valueId}
            type="number"
            inputMode="numeric"
            min={0}
            step={1}
            value={node.text}
            {...a11y}
            onInput={(event) => set({ text: event.currentTarget.value })}
          />
        </Labelled>
      )
    case 'url':
    case 'referrer':
      return (
        <Labelled id={valueId} label={node.op === 'glob' ? `${name} pattern` : name}>
          <input
            id={valueId}
            type="text"
            spellcheck={false}
            maxLength={limits.url}
            placeholder={node.op === 'glob' ? 'https://shop.example/*/sale?' : 'https://shop.example/sale'}
            value={node.text}
            {...a11y}
            onInput={(event) => set({ text: event.currentTarget.value })}
          />
          {node.op === 'glob' && <span class="field-hint">* is any run of characters, ? one character.</span>}
        </Labelled>
      )
    case 'trait':
      return <TraitValue node={node} id={id} a11y={a11y} context={context} set={set} />
    default:
      if ((utmKeys as readonly string[]).includes(node.field) && node.op === 'equals')
        return (
          <Labelled id={valueId} label={`${name} value`}>
            <input
              id={valueId}
              type="text"
              spellcheck={false}
              maxLength={limits.shortText}
              placeholder="newsletter"
              value={node.text}
              {...a11y}
              onInput={(event) => set({ text: event.currentTarget.value })}
            />
          </Labelled>
        )
      return <ListInput {...listProps} label={`${name} values`} normalize={lower} />
  }
}

const kindLabels: Record<ValueKind, string> = { text: 'Text', number: 'Number', boolean: 'Yes or no' }

function TraitValue({ node, id, a11y, set }: ValueProps) {
  const valueId = `${id}-value`
  if (node.op === 'exists') return null
  const numeric = node.op !== 'equals' && node.op !== 'in'
  const kind: ValueKind = numeric ? 'number' : node.valueKind
  return (
    <div class="rule-condition-row">
      {!numeric && (
        <span class="rule-control">
          <label class="visually-hidden" for={`${id}-kind`}>
            Kind of value
          </label>
          <select
            id={`${id}-kind`}
            value={node.valueKind}
            onChange={(event) => {
              const valueKind = event.currentTarget.value as ValueKind
              set({ valueKind, text: valueKind === 'boolean' ? 'true' : node.text })
            }}
          >
            {Object.entries(kindLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </span>
      )}
      {node.op === 'in' ? (
        <ListInput
          id={valueId}
          label="Trait values"
          values={node.values}
          onChange={(values) => set({ values })}
          describedBy={a11y['aria-describedby']}
          invalid={a11y['aria-invalid']}
        />
      ) : kind === 'boolean' ? (
        <Labelled id={valueId} label="Trait value">
          <select
            id={valueId}
            value={node.text}
            {...a11y}
            onChange={(event) => set({ text: event.currentTarget.value })}
          >
            <option value="true">Yes</option>
            <option value="false">No</option>
          </select>
        </Labelled>
      ) : (
        <Labelled id={valueId} label="Trait value">
          {kind === 'number' ? (
            <input
              id={valueId}
              type="number"
              step="any"
              inputMode="decimal"
              value={node.text}
              {...a11y}
              onInput={(event) => set({ text: event.currentTarget.value })}
            />
          ) : (
            <input
              id={valueId}
              type="text"
              maxLength={limits.shortText}
              value={node.text}
              {...a11y}
              onInput={(event) => set({ text: event.currentTarget.value })}
            />
          )}
        </Labelled>
      )}
    </div>
  )
}
