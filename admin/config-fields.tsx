import { useState } from 'preact/hooks'
import { errorAt, Field, type FieldErrors, fieldId, NumberInput } from './field'
import type { Config } from './promotion-type'
import { typedNumber } from './typed-number'

/*
 * What every type's config editor (promotions/<type>/admin/editor.tsx) builds its fields from: reading a config
 * the marketer may have left half-typed, writing one value at a path, and the controls the plain fields lack.
 */

/** A record's keys in their order, typed as the record's. */
export const keys = <K extends string>(record: Record<K, string>) => Object.keys(record) as K[]

export const object = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}
export const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []
export const textOf = (value: unknown): string => (typeof value === 'string' ? value : '')
/** A number as the input shows it; text the marketer typed that is not a number stays as typed. */
export const numberText = (value: unknown): string =>
  typeof value === 'number' ? String(value) : typeof value === 'string' ? value : ''
/** An input's text as the config keeps it: a number where it is one, else the text for the API to refuse. */
export const numberValue = typedNumber

/** Sets a value at a path inside the config; `undefined` removes the key. */
export function setIn(config: Config, path: string[], value: unknown): Config {
  const [head, ...rest] = path
  if (head === undefined) return config
  const next: Config = { ...config }
  if (rest.length === 0) {
    if (value === undefined) delete next[head]
    else next[head] = value
    return next
  }
  next[head] = setIn(object(config[head]), rest, value)
  return next
}

interface ChecksProps<K extends string> {
  path: string
  legend: string
  labels: Record<K, string>
  chosen: string[]
  errors: FieldErrors
  hint?: string
  onChange: (chosen: K[]) => void
}

/** A group of checkboxes for a list field, in the schema's order; its API error is shown under it. */
export function Checks<K extends string>({
  path,
  legend,
  labels,
  chosen,
  errors,
  hint,
  onChange,
}: ChecksProps<K>) {
  const id = fieldId(path)
  const error = errorAt(errors, path)
  const toggle = (key: K, on: boolean) => {
    const set = new Set(chosen)
    if (on) set.add(key)
    else set.delete(key)
    // In the schema's order; a value this list does not offer (set through the API) is kept, last.
    const offered = keys(labels)
    const others = chosen.filter((value) => !(offered as string[]).includes(value)) as K[]
    onChange([...offered.filter((option) => set.has(option)), ...others])
  }
  return (
    <fieldset
      class={error ? 'plain field field-invalid' : 'plain field'}
      id={id}
      tabIndex={-1}
      aria-describedby={
        [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
      }
    >
      <legend>{legend}</legend>
      <div class="check-row">
        {keys(labels).map((key) => (
          <label class="checkbox" key={key}>
            <input
              type="checkbox"
              id={`${id}-${key}`}
              checked={chosen.includes(key)}
              onChange={(event) => toggle(key, event.currentTarget.checked)}
            />
            <span>{labels[key]}</span>
          </label>
        ))}
      </div>
      {hint && (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  )
}

/** A checkbox for a boolean field, with an optional hint and its API error. */
export function Toggle({
  path,
  label,
  hint,
  checked,
  errors,
  onChange,
}: {
  path: string
  label: string
  hint?: string
  checked: boolean
  errors: FieldErrors
  onChange: (checked: boolean) => void
}) {
  const id = fieldId(path)
  const error = errorAt(errors, path)
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ')
  return (
    <div class="field">
      <div class="checkbox">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          aria-invalid={Boolean(error)}
          aria-describedby={describedBy || undefined}
          onChange={(event) => onChange(event.currentTarget.checked)}
        />
        <label for={id}>{label}</label>
      </div>
      {hint && (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  )
}

/** A number field at a config path, whole numbers unless `step` says otherwise; emptied, it hands back `undefined`. */
export function NumberField({
  path,
  label,
  errors,
  value,
  min,
  max,
  step = 1,
  hint,
  onChange,
}: {
  path: string
  label: string
  errors: FieldErrors
  value: unknown
  min: number
  max: number
  step?: number | 'any'
  hint?: string
  onChange: (value: unknown) => void
}) {
  return (
    <Field path={path} label={label} errors={errors} {...(hint ? { hint } : {})}>
      {(control) => (
        <NumberInput
          control={control}
          min={min}
          max={max}
          step={step}
          value={numberText(value)}
          onInput={(typed) => onChange(typed.trim() ? numberValue(typed) : undefined)}
        />
      )}
    </Field>
  )
}

/** A one-line (or, `multiline`, a few-line) text field at a config path; emptied, it hands back `undefined`. */
export function TextField({
  path,
  label,
  errors,
  value,
  max,
  hint,
  multiline,
  kind = 'text',
  onChange,
}: {
  path: string
  label: string
  errors: FieldErrors
  value: unknown
  max: number
  hint?: string
  multiline?: boolean
  /** `url`: an address (the URL keyboard on phones); `code`: a key or a pattern. Neither is spell-checked. */
  kind?: 'text' | 'url' | 'code'
  onChange: (value: string | undefined) => void
}) {
  return (
    <Field path={path} label={label} errors={errors} {...(hint ? { hint } : {})}>
      {(control) =>
        multiline ? (
          <textarea
            {...control}
            rows={3}
            maxLength={max}
            value={textOf(value)}
            onInput={(event) => onChange(event.currentTarget.value || undefined)}
          />
        ) : (
          <input
            {...control}
            type="text"
            inputMode={kind === 'url' ? 'url' : 'text'}
            spellcheck={kind === 'text'}
            maxLength={max}
            value={textOf(value)}
            onInput={(event) => onChange(event.currentTarget.value || undefined)}
          />
        )
      }
    </Field>
  )
}

/** A choice among a record's keys, labelled by its values, at a config path. */
export function SelectField<K extends string>({
  path,
  label,
  errors,
  labels,
  value,
  onChange,
}: {
  path: string
  label: string
  errors: FieldErrors
  labels: Record<K, string>
  value: string
  onChange: (value: K) => void
}) {
  return (
    <Field path={path} label={label} errors={errors}>
      {(control) => (
        <select {...control} value={value} onChange={(event) => onChange(event.currentTarget.value as K)}>
          {keys(labels).map((key) => (
            <option key={key} value={key}>
              {labels[key]}
            </option>
          ))}
        </select>
      )}
    </Field>
  )
}

/**
 * A list typed on one line, comma separated (topics, values): kept as typed while it is edited, handed back as
 * the list of its trimmed, non-empty items.
 */
export function ListField({
  path,
  label,
  errors,
  hint,
  value,
  onChange,
}: {
  path: string
  label: string
  errors: FieldErrors
  hint?: string
  value: unknown
  onChange: (items: string[]) => void
}) {
  const [typed, setTyped] = useState(() => strings(value).join(', '))
  return (
    <Field path={path} label={label} errors={errors} {...(hint ? { hint } : {})}>
      {(control) => (
        <input
          {...control}
          type="text"
          value={typed}
          onInput={(event) => {
            setTyped(event.currentTarget.value)
            onChange(
              event.currentTarget.value
                .split(',')
                .map((item) => item.trim())
                .filter(Boolean),
            )
          }}
        />
      )}
    </Field>
  )
}

/** The list with the item at `from` moved to `to`; the list as it is when `to` is off either end. */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length) return [...list]
  const next = [...list]
  const [item] = next.splice(from, 1)
  next.splice(to, 0, item as T)
  return next
}

/** What a repeated item of a config editor (a form field, a pinned card) is handed by its list. */
export interface ItemProps<T> {
  item: T
  index: number
  count: number
  errors: FieldErrors
  onChange: (item: T) => void
  onMove: (to: number) => void
  onRemove: () => void
}

/** An item's move up, move down and remove buttons; `name` tells a screen reader which item they act on. */
export function ItemActions({
  index,
  count,
  name,
  keepLast = false,
  onMove,
  onRemove,
}: {
  index: number
  count: number
  name: string
  /** The list may not be emptied: its last item cannot be removed. */
  keepLast?: boolean
  onMove: (to: number) => void
  onRemove: () => void
}) {
  return (
    <div class="row">
      <button
        type="button"
        class="button button-small"
        disabled={index === 0}
        onClick={() => onMove(index - 1)}
      >
        Move up<span class="visually-hidden"> {name}</span>
      </button>
      <button
        type="button"
        class="button button-small"
        disabled={index === count - 1}
        onClick={() => onMove(index + 1)}
      >
        Move down<span class="visually-hidden"> {name}</span>
      </button>
      <button
        type="button"
        class="button button-small button-danger"
        disabled={keepLast && count === 1}
        onClick={onRemove}
      >
        Remove<span class="visually-hidden"> {name}</span>
      </button>
    </div>
  )
}
