import { useState } from 'preact/hooks'
import { type CodeOption, searchCodes } from './codes'

interface ChipsProps {
  values: readonly string[]
  label: (value: string) => string
  onRemove: (value: string) => void
}

/** The chosen values, each with a button that takes it out. */
export function Chips({ values, label, onRemove }: ChipsProps) {
  if (values.length === 0) return null
  return (
    <ul class="value-chips">
      {values.map((value) => (
        <li key={value}>
          <span>{label(value)}</span>
          <button type="button" class="chip-remove" onClick={() => onRemove(value)}>
            <span aria-hidden="true">×</span>
            <span class="visually-hidden">Remove {label(value)}</span>
          </button>
        </li>
      ))}
    </ul>
  )
}

interface ListInputProps {
  id: string
  label: string
  values: readonly string[]
  onChange: (values: string[]) => void
  /** How a typed value is kept (lower case for UTM values, upper case for region codes). */
  normalize?: (value: string) => string
  /** Known values offered as the marketer types. */
  suggestions?: readonly string[]
  placeholder?: string
  describedBy?: string
  invalid?: boolean
}

/** A list of free values: type one and press Enter (or Add); each shows as a removable chip. */
export function ListInput({
  id,
  label,
  values,
  onChange,
  normalize = (value) => value.trim(),
  suggestions,
  placeholder,
  describedBy,
  invalid,
}: ListInputProps) {
  const [typed, setTyped] = useState('')
  const add = () => {
    const value = normalize(typed)
    if (value && !values.includes(value)) onChange([...values, value])
    setTyped('')
  }
  const listId = suggestions ? `${id}-suggestions` : undefined
  return (
    <div class="list-input">
      <Chips
        values={values}
        label={(value) => value}
        onRemove={(gone) => {
          onChange(values.filter((v) => v !== gone))
          document.getElementById(id)?.focus()
        }}
      />
      <div class="rule-row">
        <label class="visually-hidden" for={id}>
          {label}
        </label>
        <input
          id={id}
          type="text"
          spellcheck={false}
          list={listId}
          placeholder={placeholder}
          value={typed}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onInput={(event) => setTyped(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault()
              add()
            }
          }}
        />
        <button type="button" class="button button-small" onClick={add}>
          Add <span class="visually-hidden">to {label.toLowerCase()}</span>
        </button>
      </div>
      {suggestions && (
        <datalist id={listId}>
          {suggestions.map((option) => (
            <option key={option} value={option} />
          ))}
        </datalist>
      )}
    </div>
  )
}

interface CodePickerProps {
  id: string
  label: string
  options: readonly CodeOption[]
  values: readonly string[]
  onChange: (values: string[]) => void
  name: (code: string) => string
  describedBy?: string
  invalid?: boolean
}

/** Countries or languages by name: type to search, pick from the matches, remove from the chips. */
export function CodePicker({
  id,
  label,
  options,
  values,
  onChange,
  name,
  describedBy,
  invalid,
}: CodePickerProps) {
  const [query, setQuery] = useState('')
  const matches = searchCodes([...options], query).filter((option) => !values.includes(option.code))
  const pick = (code: string) => {
    onChange([...values, code])
    setQuery('')
    document.getElementById(id)?.focus()
  }
  return (
    <div class="list-input">
      <Chips
        values={values}
        label={(code) => `${name(code)} (${code})`}
        onRemove={(gone) => {
          onChange(values.filter((v) => v !== gone))
          document.getElementById(id)?.focus()
        }}
      />
      <label class="visually-hidden" for={id}>
        {label}
      </label>
      <input
        id={id}
        type="search"
        spellcheck={false}
        autocomplete="off"
        placeholder="Search by name or code"
        value={query}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        onInput={(event) => setQuery(event.currentTarget.value)}
        onKeyDown={(event) => {
          const first = matches[0]
          if (event.key === 'Enter') {
            event.preventDefault()
            if (first) pick(first.code)
          }
        }}
      />
      {matches.length > 0 && (
        <ul class="code-matches" aria-label={`${label}: matches`}>
          {matches.map((option) => (
            <li key={option.code}>
              <button type="button" class="chip" onClick={() => pick(option.code)}>
                {option.name} ({option.code})
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

interface ChecksProps {
  legend: string
  options: readonly { value: string; label: string }[]
  values: readonly string[]
  onChange: (values: string[]) => void
  idPrefix: string
}

/** A set of checkboxes; a chosen value the options lack is still shown, so nothing is dropped unseen. */
export function Checks({ legend, options, values, onChange, idPrefix }: ChecksProps) {
  const known = new Set(options.map((option) => option.value))
  const all = [
    ...options,
    ...values.filter((value) => !known.has(value)).map((value) => ({ value, label: value })),
  ]
  return (
    <fieldset class="plain checks">
      <legend class="visually-hidden">{legend}</legend>
      {all.map((option, index) => {
        const id = `${idPrefix}-${index}`
        const checked = values.includes(option.value)
        return (
          <div class="checkbox" key={option.value}>
            <input
              id={id}
              type="checkbox"
              checked={checked}
              onChange={() =>
                onChange(
                  checked ? values.filter((value) => value !== option.value) : [...values, option.value],
                )
              }
            />
            <label for={id}>{option.label}</label>
          </div>
        )
      })}
    </fieldset>
  )
}
