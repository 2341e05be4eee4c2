import type { TriggerKind } from '../schema/trigger'
import { browserTimeZone, type CampaignForm } from './campaign-form'
import { type AudienceForm, type DeviceChoice, deviceChoices } from './create-flow'
import { errorAt, Field, type FieldErrors, NumberInput } from './field'
import type { Config, Template } from './promotion-type'
import { adminTypes } from './promotions'
import { typedNumber } from './typed-number'

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

const deviceLabels: Record<DeviceChoice, string> = { desktop: 'Desktop', mobile: 'Phone', tablet: 'Tablet' }

interface AudienceStepProps {
  /** null: the campaign's targeting holds more than these fields show, and is kept as it is. */
  audience: AudienceForm | null
  errors: FieldErrors
  onChange: (audience: AudienceForm) => void
  onReset: () => void
}

/**
 * Who sees the campaign: devices, countries, languages and the UTM source, all of which must match. The rule
 * builder (any/not groups, every targeting field) stands in for this component.
 */
export function AudienceStep({ audience, errors, onChange, onReset }: AudienceStepProps) {
  const targetingError = errorAt(errors, 'targeting')
  if (!audience) {
    return (
      <div>
        <p class="alert" role="status">
          This campaign’s targeting has rules these fields cannot show; they are kept as they are.
        </p>
        <button type="button" class="button" onClick={onReset}>
          Replace them with simple rules
        </button>
      </div>
    )
  }
  const set = (patch: Partial<AudienceForm>) => onChange({ ...audience, ...patch })
  return (
    <div>
      <p class="muted">
        Leave everything empty to show it to every visitor. Every condition you set must hold.
      </p>
      <fieldset class="plain field">
        <legend>Devices</legend>
        <div class="segmented">
          {deviceChoices.map((device) => (
            <label key={device}>
              <input
                type="checkbox"
                checked={audience.devices.includes(device)}
                onChange={(event) =>
                  set({
                    devices: event.currentTarget.checked
                      ? deviceChoices.filter((d) => d === device || audience.devices.includes(d))
                      : audience.devices.filter((d) => d !== device),
                  })
                }
              />
              <span>{deviceLabels[device]}</span>
            </label>
          ))}
        </div>
        <p class="field-hint">None checked: every device.</p>
      </fieldset>
      <div class="grid-2">
        <Field
          path="audience.countries"
          label="Countries"
          errors={errors}
          hint="Two-letter codes, comma separated, e.g. FR, DE."
        >
          {(control) => (
            <input
              {...control}
              type="text"
              spellcheck={false}
              maxLength={400}
              value={audience.countries}
              onInput={(event) => set({ countries: event.currentTarget.value })}
            />
          )}
        </Field>
        <Field path="audience.languages" label="Languages" errors={errors} hint="E.g. en, fr.">
          {(control) => (
            <input
              {...control}
              type="text"
              spellcheck={false}
              maxLength={400}
              value={audience.languages}
              onInput={(event) => set({ languages: event.currentTarget.value })}
            />
          )}
        </Field>
      </div>
      <Field
        path="audience.utmSource"
        label="Arriving from (utm_source)"
        errors={errors}
        hint="E.g. newsletter. Several, comma separated: any of them."
      >
        {(control) => (
          <input
            {...control}
            type="text"
            spellcheck={false}
            maxLength={400}
            value={audience.utmSource}
            onInput={(event) => set({ utmSource: event.currentTarget.value })}
          />
        )}
      </Field>
      {targetingError && <p class="field-error">Targeting: {targetingError}</p>}
    </div>
  )
}

const triggerLabels: Record<TriggerKind, string> = {
  load: 'As soon as the page loads',
  delay: 'After a delay',
  scroll: 'When the visitor has scrolled',
  exit: 'When the visitor is about to leave',
  inactivity: 'After the visitor is idle',
  click: 'When an element is clicked',
  event: 'On an event the site tracks',
  pageCount: 'After a number of pages',
}

/** Each kind's one setting: its key in the trigger, its label, and a number's bounds (text without them). */
const triggerSettings: Partial<
  Record<TriggerKind, { key: string; label: string; min?: number; max?: number }>
> = {
  delay: { key: 'seconds', label: 'Seconds', min: 1, max: 3600 },
  scroll: { key: 'percent', label: 'Scrolled (% of the page)', min: 1, max: 100 },
  inactivity: { key: 'seconds', label: 'Idle seconds', min: 1, max: 3600 },
  click: { key: 'selector', label: 'CSS selector' },
  event: { key: 'name', label: 'Event name' },
  pageCount: { key: 'atLeast', label: 'At least this many pages', min: 1, max: 100 },
}

/** A new trigger of a kind: its setting starts at a sensible value. */
const triggerStart: Record<TriggerKind, Record<string, unknown>> = {
  load: {},
  delay: { seconds: 5 },
  scroll: { percent: 50 },
  exit: {},
  inactivity: { seconds: 30 },
  click: { selector: '' },
  event: { name: '' },
  pageCount: { atLeast: 2 },
}

const isKind = (value: unknown): value is TriggerKind =>
  typeof value === 'string' && Object.hasOwn(triggerLabels, value)

interface TriggerStepProps {
  config: Config
  /** The unit places itself on the page; units in a slot appear with the page and ignore the trigger. */
  pageLevel: boolean
  errors: FieldErrors
  onChange: (config: Config) => void
}

/** When a popup, bar or slide-in appears: `config.trigger`. The trigger editor stands in for this component. */
export function TriggerStep({ config, pageLevel, errors, onChange }: TriggerStepProps) {
  const trigger = (config.trigger ?? { on: 'load' }) as Record<string, unknown>
  const kind: TriggerKind = isKind(trigger.on) ? trigger.on : 'load'
  const setting = triggerSettings[kind]
  const value = setting ? trigger[setting.key] : undefined
  const set = (next: Record<string, unknown>) => onChange({ ...config, trigger: next })
  return (
    <div>
      {!pageLevel && (
        <p class="alert" role="status">
          This format shows in a slot, with the page: the trigger applies once you choose a popup, bar or
          slide-in.
        </p>
      )}
      <Field path="config.trigger.on" label="Show it" errors={errors}>
        {(control) => (
          <select
            {...control}
            value={kind}
            onChange={(event) => {
              const next = event.currentTarget.value
              if (isKind(next)) set({ on: next, ...triggerStart[next] })
            }}
          >
            {(Object.keys(triggerLabels) as TriggerKind[]).map((option) => (
              <option key={option} value={option}>
                {triggerLabels[option]}
              </option>
            ))}
          </select>
        )}
      </Field>
      {setting && (
        <Field path={`config.trigger.${setting.key}`} label={setting.label} errors={errors}>
          {(control) =>
            setting.min !== undefined && setting.max !== undefined ? (
              <NumberInput
                control={control}
                value={value === undefined ? '' : String(value)}
                min={setting.min}
                max={setting.max}
                onInput={(text) => set({ ...trigger, on: kind, [setting.key]: typedNumber(text) ?? text })}
              />
            ) : (
              <input
                {...control}
                type="text"
                spellcheck={false}
                maxLength={200}
                value={typeof value === 'string' ? value : ''}
                onInput={(event) => set({ ...trigger, on: kind, [setting.key]: event.currentTarget.value })}
              />
            )
          }
        </Field>
      )}
    </div>
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
