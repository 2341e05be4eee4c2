import { browserTimeZone, type CampaignForm } from './campaign-form'
import { Field, type FieldErrors } from './field'
import type { Template } from './promotion-type'
import { adminTypes } from './promotions'

interface ObjectiveChoiceProps {
  type: string
  /** Which types this server can serve; undefined while unknown. */
  served: ReadonlyMap<string, boolean> | undefined
  onChoose: (type: string) => void
}

/** The nine objectives, each with when to use it; those the server cannot show yet are marked, not hidden. */
export function ObjectiveChoice({ type, served, onChoose }: ObjectiveChoiceProps) {
  return (
    <fieldset class="plain choice-list">
      <legend>What do you want visitors to do?</legend>
      {Object.entries(adminTypes).map(([key, option]) => {
        const id = `objective-${key}`
        const unserved = served?.get(key) === false
        return (
          <div key={key} class="choice">
            <input
              id={id}
              type="radio"
              name="objective"
              value={key}
              checked={type === key}
              aria-describedby={`${id}-when`}
              onChange={() => onChoose(key)}
            />
            <label for={id}>
              <strong>{option.objective.title}</strong> <span class="muted">({option.label})</span>
              {unserved && <span class="badge"> Not shown by this server yet</span>}
            </label>
            <p class="field-hint" id={`${id}-when`}>
              {option.objective.when}
            </p>
          </div>
        )
      })}
    </fieldset>
  )
}

interface TemplateChoiceProps {
  templates: readonly Template[]
  /** '' for a blank campaign. */
  chosen: string
  onChoose: (id: string) => void
}

/** Blank, or one of the type's templates. */
export function TemplateChoice({ templates, chosen, onChoose }: TemplateChoiceProps) {
  const options = [
    { id: '', name: 'Blank', summary: 'Start from the type’s defaults and write everything yourself.' },
    ...templates,
  ]
  return (
    <fieldset class="plain choice-list">
      <legend>Start from</legend>
      {options.map((option) => {
        const id = `template-${option.id || 'blank'}`
        return (
          <div key={id} class="choice">
            <input
              id={id}
              type="radio"
              name="template"
              value={option.id}
              checked={chosen === option.id}
              aria-describedby={`${id}-summary`}
              onChange={() => onChoose(option.id)}
            />
            <label for={id}>{option.name}</label>
            <p class="field-hint" id={`${id}-summary`}>
              {option.summary}
            </p>
          </div>
        )
      })}
    </fieldset>
  )
}

interface ScheduleStepProps {
  form: CampaignForm
  errors: FieldErrors
  onChange: (patch: Partial<CampaignForm>) => void
}

/** Start and end; dayparting (the weekly grid) stands in beside these fields. */
export function ScheduleStep({ form, errors, onChange }: ScheduleStepProps) {
  return (
    <div>
      <p class="muted">
        Times are in your time zone ({browserTimeZone()}). Without a start it shows from activation; without
        an end, until you complete it.
      </p>
      <div class="grid-2">
        <Field path="schedule.start" label="Start" errors={errors}>
          {(control) => (
            <input
              {...control}
              type="datetime-local"
              value={form.start}
              onInput={(event) => onChange({ start: event.currentTarget.value })}
            />
          )}
        </Field>
        <Field path="schedule.end" label="End" errors={errors}>
          {(control) => (
            <input
              {...control}
              type="datetime-local"
              value={form.end}
              onInput={(event) => onChange({ end: event.currentTarget.value })}
            />
          )}
        </Field>
      </div>
    </div>
  )
}
