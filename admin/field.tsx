import type { ComponentChildren, VNode } from 'preact'
import { useEffect, useRef } from 'preact/hooks'
import type { FieldProblem } from './api'

/** The DOM id of the input for an API field path, e.g. `variants.0.creative.ctaUrl`. */
export function fieldId(path: string): string {
  return `field-${path.replace(/[^A-Za-z0-9_-]+/g, '-')}`
}

export type FieldErrors = ReadonlyMap<string, string>

/** The first message for a field, counting problems inside it too (`placements.2` belongs to `placements`). */
export function errorAt(errors: FieldErrors, path: string): string | undefined {
  const exact = errors.get(path)
  if (exact !== undefined) return exact
  for (const [problemPath, message] of errors) {
    if (problemPath.startsWith(`${path}.`)) return message
  }
  return undefined
}

export function errorsFrom(problems: FieldProblem[]): FieldErrors {
  const errors = new Map<string, string>()
  for (const { path, message } of problems) {
    if (!errors.has(path)) errors.set(path, message)
  }
  return errors
}

export interface ControlProps {
  id: string
  'aria-invalid': boolean
  'aria-describedby'?: string
}

interface FieldProps {
  path: string
  label: string
  errors: FieldErrors
  hint?: ComponentChildren
  children: (control: ControlProps) => VNode
}

/** A label, its control, an optional hint and the API's message for that field, all wired for assistive tech. */
export function Field({ path, label, errors, hint, children }: FieldProps) {
  const id = fieldId(path)
  const error = errorAt(errors, path)
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ')
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      {children({
        id,
        'aria-invalid': Boolean(error),
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      })}
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

export interface FieldLocation {
  /** The path of the field that shows this problem (`placements` for `placements.2`). */
  path: string
  label: string
}

interface SummaryProps {
  problems: FieldProblem[]
  locate: (path: string) => FieldLocation | undefined
  /** Makes the field visible first, e.g. by switching to the variant it belongs to. */
  onReveal?: (path: string) => void
}

/** The list of what to fix, announced and focused after a failed save; each entry jumps to its field. */
export function ErrorSummary({ problems, locate, onReveal }: SummaryProps) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    ref.current?.focus()
  }, [problems])
  const jump = (event: MouseEvent, fieldPath: string) => {
    event.preventDefault()
    onReveal?.(fieldPath)
    requestAnimationFrame(() => document.getElementById(fieldId(fieldPath))?.focus())
  }
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={ref}>
      <h2>{problems.length === 1 ? 'One thing to fix' : `${problems.length} things to fix`}</h2>
      <ul>
        {problems.map(({ path, message }) => {
          const field = locate(path)
          return (
            <li key={`${path}:${message}`}>
              {field ? (
                <a href={`#${fieldId(field.path)}`} onClick={(event) => jump(event, field.path)}>
                  {field.label}: {message}
                </a>
              ) : (
                <span>
                  {path ? `${path}: ` : ''}
                  {message}
                </span>
              )}
            </li>
          )
        })}
      </ul>
    </div>
  )
}

/** A whole-number (or, with step "any", decimal) input inside a Field, with its bounds. */
export function NumberInput({
  control,
  value,
  min,
  max,
  step = 1,
  onInput,
}: {
  control: ControlProps
  value: string
  min: number
  max: number
  step?: number | 'any'
  onInput: (value: string) => void
}) {
  return (
    <input
      {...control}
      type="number"
      min={min}
      max={max}
      step={step}
      inputMode={step === 1 ? 'numeric' : 'decimal'}
      value={value}
      onInput={(event) => onInput(event.currentTarget.value)}
    />
  )
}
