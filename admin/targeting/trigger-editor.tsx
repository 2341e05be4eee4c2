import { useState } from 'preact/hooks'
import { limits } from '../../schema/limits'
import type { Trigger, TriggerKind } from '../../schema/trigger'
import { errorAt, type FieldErrors, fieldId } from '../field'

/** Each trigger, how the marketer reads it, and the value a new one starts with. */
export const triggerKinds: Record<TriggerKind, { label: string; start: Trigger }> = {
  load: { label: 'As soon as the page loads', start: { on: 'load' } },
  delay: { label: 'After some seconds on the page', start: { on: 'delay', seconds: 5 } },
  scroll: { label: 'When the visitor scrolls down the page', start: { on: 'scroll', percent: 50 } },
  exit: { label: 'When the visitor is about to leave (exit intent)', start: { on: 'exit' } },
  inactivity: {
    label: 'After the visitor is idle for some seconds',
    start: { on: 'inactivity', seconds: 30 },
  },
  click: { label: 'When the visitor clicks an element', start: { on: 'click', selector: '' } },
  event: { label: 'When the site tracks an event', start: { on: 'event', name: '' } },
  pageCount: { label: 'After a number of pages in the visit', start: { on: 'pageCount', atLeast: 2 } },
}
const kinds = Object.keys(triggerKinds) as TriggerKind[]

/** The number each trigger kind asks for: its key in the trigger, its label, its bounds. */
const numberOf: Partial<
  Record<TriggerKind, { key: string; label: string; min: number; max: number; unit: string }>
> = {
  delay: { key: 'seconds', label: 'Seconds after the page loads', min: 1, max: 3600, unit: 'seconds' },
  inactivity: {
    key: 'seconds',
    label: 'Seconds without scrolling, typing or moving',
    min: 1,
    max: 3600,
    unit: 'seconds',
  },
  scroll: { key: 'percent', label: 'How far down the page (%)', min: 1, max: 100, unit: 'percent' },
  pageCount: {
    key: 'atLeast',
    label: 'Pages seen in this visit, this one included',
    min: 1,
    max: 100,
    unit: 'pages',
  },
}
const textOf: Partial<
  Record<TriggerKind, { key: string; label: string; max: number; hint: string; placeholder: string }>
> = {
  click: {
    key: 'selector',
    label: 'CSS selector of the element',
    max: 200,
    hint: 'e.g. .buy-button or #newsletter-link; a click on it or inside it shows the unit.',
    placeholder: '.buy-button',
  },
  event: {
    key: 'name',
    label: 'Event name',
    max: limits.eventName,
    hint: 'The name the site sends with Promo.track, e.g. add_to_cart.',
    placeholder: 'add_to_cart',
  },
}

/** A problem with what is typed, found before saving; undefined when it is fine. */
export function triggerProblem(trigger: Trigger): string | undefined {
  const number = numberOf[trigger.on]
  if (number) {
    const value = (trigger as Record<string, unknown>)[number.key]
    if (typeof value !== 'number' || !Number.isInteger(value) || value < number.min || value > number.max)
      return `Enter a whole number from ${number.min} to ${number.max}.`
  }
  const text = textOf[trigger.on]
  if (text) {
    const value = (trigger as Record<string, unknown>)[text.key]
    if (typeof value !== 'string' || value.trim() === '') return `Enter the ${text.label.toLowerCase()}.`
  }
  return undefined
}

export interface TriggerEditorProps {
  value: Trigger | undefined
  onChange: (value: Trigger) => void
  errors?: FieldErrors
  /** The trigger's path in API errors; `config.trigger` for a campaign. */
  path?: string
  /** The card's heading, where the screen's own heading already says "Trigger". */
  title?: string
}

/** When a popup, bar or slide-in appears: the trigger's kind and the one value it needs. */
export function TriggerEditor({
  value,
  onChange,
  errors,
  path = 'config.trigger',
  title = 'Trigger',
}: TriggerEditorProps) {
  const trigger = value ?? triggerKinds.load.start
  const number = numberOf[trigger.on]
  const text = textOf[trigger.on]
  const shown = number ? (trigger as Record<string, unknown>)[number.key] : undefined
  // The number as typed: "" or "5." stay on screen while the trigger holds what they mean so far.
  const [typed, setTyped] = useState<string | undefined>(undefined)
  const shownText = typeof shown === 'number' && Number.isFinite(shown) ? String(shown) : ''
  const numberText =
    typed !== undefined && (typeof shown !== 'number' || Number(typed) === shown) ? typed : shownText
  const kindId = fieldId(path)
  const valueKey = number?.key ?? text?.key ?? ''
  const valueId = fieldId(`${path}.${valueKey}`)
  const local = triggerProblem(trigger)
  const apiError = errorAt(errors ?? new Map(), path)
  const problem = local ?? apiError
  const describedBy = [problem ? `${valueId}-error` : '', text ? `${valueId}-hint` : '']
    .filter(Boolean)
    .join(' ')
  return (
    <section class="card" aria-labelledby="trigger-title">
      <h2 id="trigger-title">{title}</h2>
      <div class="field">
        <label for={kindId}>When it appears</label>
        <select
          id={kindId}
          value={trigger.on}
          aria-invalid={Boolean(apiError && !number && !text)}
          onChange={(event) => {
            setTyped(undefined)
            const kind = event.currentTarget.value as TriggerKind
            onChange({ ...triggerKinds[kind].start })
          }}
        >
          {kinds.map((kind) => (
            <option key={kind} value={kind}>
              {triggerKinds[kind].label}
            </option>
          ))}
        </select>
      </div>
      {number && (
        <div class={problem ? 'field field-invalid' : 'field'}>
          <label for={valueId}>{number.label}</label>
          <input
            id={valueId}
            type="number"
            inputMode="numeric"
            min={number.min}
            max={number.max}
            step={1}
            value={numberText}
            aria-invalid={Boolean(problem)}
            aria-describedby={describedBy || undefined}
            onInput={(event) => {
              const raw = event.currentTarget.value
              setTyped(raw)
              const parsed = raw.trim() === '' ? Number.NaN : Number(raw)
              onChange({ ...trigger, [number.key]: Number.isFinite(parsed) ? parsed : raw } as Trigger)
            }}
          />
        </div>
      )}
      {text && (
        <div class={problem ? 'field field-invalid' : 'field'}>
          <label for={valueId}>{text.label}</label>
          <input
            id={valueId}
            type="text"
            spellcheck={false}
            maxLength={text.max}
            placeholder={text.placeholder}
            value={String((trigger as Record<string, unknown>)[text.key] ?? '')}
            aria-invalid={Boolean(problem)}
            aria-describedby={describedBy || undefined}
            onInput={(event) => onChange({ ...trigger, [text.key]: event.currentTarget.value } as Trigger)}
          />
          <p class="field-hint" id={`${valueId}-hint`}>
            {text.hint}
          </p>
        </div>
      )}
      {problem && (
        <p class="field-error" id={`${valueId}-error`}>
          {problem}
        </p>
      )}
    </section>
  )
}
