import { useState } from 'preact/hooks'
import {
  ItemActions,
  type ItemProps,
  keys,
  ListField,
  moveItem,
  numberText,
  numberValue,
  object,
  SelectField,
  setIn,
  strings,
  TextField,
  Toggle,
  textOf,
} from '../../../admin/config-fields'
import { errorAt, Field, type FieldErrors, fieldId, NumberInput } from '../../../admin/field'
import type { Config, ConfigEditorProps } from '../../../admin/promotion-type'
import { limits } from '../../../schema/limits'
import type { LeadField, LeadGenerationConfig } from '../config'
import { defaultLeadTexts } from '../texts'

type FieldType = LeadField['type']
type Display = LeadGenerationConfig['display']
type OfferType = NonNullable<LeadGenerationConfig['offer']>['type']
type RuleWhen = LeadGenerationConfig['scoring']['rules'][number]['when']

/* Each list as a Record, so the compiler keeps it in step with the schema's (../config.ts). */

export const fieldTypeLabels: Record<FieldType, string> = {
  email: 'Email',
  text: 'Text',
  phone: 'Phone',
  select: 'Choice from a list',
  checkbox: 'Checkbox',
  consent: 'Consent checkbox',
}

const displayLabels: Record<Display, string> = {
  inline: 'In a slot on the page',
  popup: 'Popup',
  slide_in: 'Slide-in from the corner',
}

const offerLabels: Record<OfferType, string> = {
  ebook: 'E-book',
  whitepaper: 'Whitepaper',
  webinar: 'Webinar',
  trial: 'Free trial',
  demo: 'Demo',
  newsletter: 'Newsletter',
  contact: 'Contact request',
  other: 'Other',
}

const whenLabels: Record<RuleWhen, string> = {
  filled: 'is filled in',
  equals: 'equals one of',
  contains: 'contains one of',
}

const textLimits = { minLength: 0, maxLength: 200 }
const scoringDefaults = { rules: [], pointsPerFilledField: 2, grades: { a: 80, b: 60, c: 40 } }

/**
 * The config with the schema's defaults filled where it leaves them out, as the API saves it (the tests hold
 * this to the schema's own parse). The schema stays out of the admin bundle: zod and RE2 would come with it.
 */
export function withDefaults(config: Config): Config {
  const fields = Array.isArray(config.fields)
    ? config.fields.map((item) => {
        const field = object(item)
        const filled: Record<string, unknown> = { required: false, step: 0, ...field }
        if (field.type === 'text' || field.type === 'email' || field.type === 'phone') {
          Object.assign(filled, { ...textLimits, ...field })
        }
        if (field.type === 'checkbox' || field.type === 'consent') filled.checked = field.checked ?? false
        return filled
      })
    : [{ name: 'email', type: 'email', label: 'Email', required: true, step: 0, ...textLimits }]
  const scoring = object(config.scoring)
  return {
    stepTitles: [],
    display: 'inline',
    trigger: { on: 'load' },
    submitButtonText: 'Submit',
    successMessage: 'Thank you!',
    captcha: false,
    progressiveProfiling: false,
    ...config,
    fields,
    texts: { ...defaultLeadTexts, ...object(config.texts) },
    scoring: {
      ...scoringDefaults,
      ...scoring,
      rules: Array.isArray(scoring.rules)
        ? scoring.rules.map((rule) => ({ values: [], ...object(rule) }))
        : [],
    },
  }
}

/** Error-summary labels for config paths; the longest matching path wins. */
export const leadFormLabels: Record<string, string> = {
  'config.fields': 'Form fields',
  'config.display': 'Where the form shows',
  'config.stepTitles': 'Step titles',
  'config.submitButtonText': 'Button text',
  'config.successMessage': 'Thank-you message',
  'config.redirectUrl': 'Then go to',
  'config.privacyPolicyUrl': 'Privacy policy address',
  'config.offer': 'Gated offer',
  'config.offer.type': 'Offer type',
  'config.offer.title': 'Offer title',
  'config.offer.description': 'Offer description',
  'config.offer.assetUrl': 'File to hand out',
  'config.captcha': 'Spam protection',
  'config.captchaSiteKey': 'Turnstile site key',
  'config.progressiveProfiling': 'Progressive profiling',
  'config.scoring': 'Lead scoring',
  'config.scoring.pointsPerFilledField': 'Points per filled field',
  'config.scoring.grades': 'Grade thresholds',
  'config.scoring.rules': 'Scoring rules',
  'config.texts': 'The form’s words',
}

/** A field name from its label: `Company size` → `company_size`, as the schema wants names. */
export function nameFrom(label: string, taken: readonly string[]): string {
  const base =
    label
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^[^a-z]+|_+$/g, '')
      .slice(0, 60) || 'field'
  if (!taken.includes(base)) return base
  for (let n = 2; ; n += 1) if (!taken.includes(`${base}_${n}`)) return `${base}_${n}`
}

/** A new field of a type, with a name no other field has. */
export function newField(type: FieldType, taken: readonly string[]): Record<string, unknown> {
  const label = type === 'consent' ? 'I agree to be contacted' : fieldTypeLabels[type]
  const field: Record<string, unknown> = { name: nameFrom(label, taken), type, label, required: false }
  if (type === 'select') field.options = [{ value: 'option_1', label: 'Option 1' }]
  return field
}

/** A select's options as one line each, `value | label` (or just a label, stored as its own value). */
export function optionsText(options: unknown): string {
  if (!Array.isArray(options)) return ''
  return options
    .map((item) => {
      const option = object(item)
      const value = textOf(option.value)
      const label = textOf(option.label)
      return value === label ? label : `${value} | ${label}`
    })
    .join('\n')
}

export function optionsFrom(text: string): { value: string; label: string }[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const bar = line.indexOf('|')
      if (bar < 0) return { value: line, label: line }
      return { value: line.slice(0, bar).trim(), label: line.slice(bar + 1).trim() }
    })
}

/** One form field: its type, label, key, whether it is required, its step, and its type's own settings. */
function FieldRow({
  item: field,
  index,
  count,
  errors,
  onChange,
  onMove,
  onRemove,
}: ItemProps<Record<string, unknown>>) {
  const path = `config.fields.${index}`
  const type = (textOf(field.type) || 'text') as FieldType
  const set = (key: string, value: unknown) => onChange(setIn(field, [key], value))
  const label = textOf(field.label)
  const isText = type === 'text' || type === 'email' || type === 'phone'
  const rowError = errorAt(errors, path)
  return (
    <fieldset class="plain field config-item" id={fieldId(path)} tabIndex={-1}>
      <legend>
        Field {index + 1}: {label || fieldTypeLabels[type]}
      </legend>
      <div class="grid-2">
        <TextField
          path={`${path}.label`}
          label="Label"
          errors={errors}
          value={label}
          max={limits.shortText}
          onChange={(text) => set('label', text)}
        />
        <Field path={`${path}.type`} label="Type" errors={errors}>
          {(control) => (
            <select
              {...control}
              value={type}
              onChange={(event) => {
                const next = event.currentTarget.value as FieldType
                const { placeholder, pattern, minLength, maxLength, options, checked, ...kept } = field
                const changed: Record<string, unknown> = { ...kept, type: next }
                if (next === 'select') changed.options = options ?? newField('select', []).options
                if (next === 'checkbox' || next === 'consent') changed.checked = false
                if (isText && (next === 'text' || next === 'email' || next === 'phone')) {
                  Object.assign(changed, { placeholder, pattern, minLength, maxLength })
                }
                onChange(changed)
              }}
            >
              {keys(fieldTypeLabels).map((key) => (
                <option key={key} value={key}>
                  {fieldTypeLabels[key]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextField
          path={`${path}.name`}
          label="Key in the lead"
          errors={errors}
          hint="Lowercase letters, digits and _; leads are matched by the field named email."
          value={field.name}
          max={64}
          kind="code"
          onChange={(text) => set('name', text)}
        />
        <Field
          path={`${path}.step`}
          label="Step"
          errors={errors}
          hint="Fields with a higher step come later."
        >
          {(control) => (
            <NumberInput
              control={control}
              min={1}
              max={10}
              value={typeof field.step === 'number' ? String(field.step + 1) : '1'}
              onInput={(text) => {
                const n = numberValue(text)
                set('step', n === undefined ? undefined : n - 1)
              }}
            />
          )}
        </Field>
      </div>
      <Toggle
        path={`${path}.required`}
        label="Required"
        checked={field.required === true}
        errors={errors}
        onChange={(on) => set('required', on)}
      />
      {isText && (
        <div class="grid-2">
          <TextField
            path={`${path}.placeholder`}
            label="Placeholder"
            errors={errors}
            value={field.placeholder}
            max={limits.shortText}
            onChange={(text) => set('placeholder', text)}
          />
          <TextField
            path={`${path}.pattern`}
            label="Pattern (regular expression)"
            errors={errors}
            hint="Checked on the server; no backreferences or lookaround."
            value={field.pattern}
            max={200}
            kind="code"
            onChange={(text) => set('pattern', text)}
          />
          <Field path={`${path}.minLength`} label="Shortest answer" errors={errors}>
            {(control) => (
              <NumberInput
                control={control}
                min={0}
                max={limits.text}
                value={numberText(field.minLength)}
                onInput={(text) => set('minLength', numberValue(text))}
              />
            )}
          </Field>
          <Field path={`${path}.maxLength`} label="Longest answer" errors={errors}>
            {(control) => (
              <NumberInput
                control={control}
                min={1}
                max={limits.text}
                value={numberText(field.maxLength)}
                onInput={(text) => set('maxLength', numberValue(text))}
              />
            )}
          </Field>
        </div>
      )}
      {type === 'select' && <OptionsField path={path} field={field} errors={errors} set={set} />}
      {type === 'checkbox' && (
        <Toggle
          path={`${path}.checked`}
          label="Ticked to start with"
          checked={field.checked === true}
          errors={errors}
          onChange={(on) => set('checked', on)}
        />
      )}
      {type === 'consent' && (
        <p class="field-hint">
          The label is the consent text stored with each lead; the box is never ticked for them.
        </p>
      )}
      {rowError && <p class="field-error">{rowError}</p>}
      <ItemActions index={index} count={count} name={label} keepLast onMove={onMove} onRemove={onRemove} />
    </fieldset>
  )
}

/** A select's options, typed one per line; the line is kept as typed while it is edited. */
function OptionsField({
  path,
  field,
  errors,
  set,
}: {
  path: string
  field: Record<string, unknown>
  errors: FieldErrors
  set: (key: string, value: unknown) => void
}) {
  const [text, setText] = useState(() => optionsText(field.options))
  return (
    <Field
      path={`${path}.options`}
      label="Options"
      errors={errors}
      hint="One per line. To store a different value than the label shown: value | label."
    >
      {(control) => (
        <textarea
          {...control}
          rows={4}
          value={text}
          onInput={(event) => {
            setText(event.currentTarget.value)
            set('options', optionsFrom(event.currentTarget.value))
          }}
        />
      )}
    </Field>
  )
}

/**
 * A lead form's settings: its fields (added, ordered, removed), where it shows, what it says, a gated offer,
 * spam protection and how leads are scored. Paths follow the API's, so its errors land on these fields.
 */
export function LeadFormFields({ config, errors, onChange }: ConfigEditorProps) {
  const fields = Array.isArray(config.fields) ? config.fields.map(object) : []
  const names = fields.map((field) => textOf(field.name))
  const set = (path: string, value: unknown) => onChange(setIn(config, path.split('.'), value))
  const setFields = (next: Record<string, unknown>[]) => set('fields', next)
  const [adding, setAdding] = useState<FieldType>('text')
  const offer = config.offer === undefined ? undefined : object(config.offer)
  const scoring = object(config.scoring)
  const rules = Array.isArray(scoring.rules) ? scoring.rules.map(object) : []
  const grades = object(scoring.grades)
  const steps = Math.max(1, ...fields.map((field) => (typeof field.step === 'number' ? field.step + 1 : 1)))
  const [stepText, setStepText] = useState(() => strings(config.stepTitles).join('\n'))
  const fieldsError = errorAt(errors, 'config.fields')

  return (
    <section class="card" aria-labelledby="lead-form-title">
      <h2 id="lead-form-title">Form</h2>
      <SelectField
        path="config.display"
        label="Where the form shows"
        errors={errors}
        labels={displayLabels}
        value={textOf(config.display) || 'inline'}
        onChange={(display) => set('display', display)}
      />

      <h3>Fields</h3>
      {fieldsError && (
        <p class="field-error" id={`${fieldId('config.fields')}-error`}>
          {fieldsError}
        </p>
      )}
      {fields.map((field, index) => (
        <FieldRow
          // Fields are edited in place: their position is their identity while the form is open.
          key={index}
          item={field}
          index={index}
          count={fields.length}
          errors={errors}
          onChange={(changed) => setFields(fields.map((f, i) => (i === index ? changed : f)))}
          onMove={(to) => setFields(moveItem(fields, index, to))}
          onRemove={() => setFields(fields.filter((_, i) => i !== index))}
        />
      ))}
      <div class="row">
        <label for="lead-add-type" class="visually-hidden">
          Type of the field to add
        </label>
        <select
          id="lead-add-type"
          value={adding}
          onChange={(event) => setAdding(event.currentTarget.value as FieldType)}
        >
          {keys(fieldTypeLabels).map((key) => (
            <option key={key} value={key}>
              {fieldTypeLabels[key]}
            </option>
          ))}
        </select>
        <button
          type="button"
          class="button button-small"
          disabled={fields.length >= 30}
          onClick={() => setFields([...fields, newField(adding, names)])}
        >
          Add field
        </button>
      </div>
      {steps > 1 && (
        <Field
          path="config.stepTitles"
          label="Step titles"
          errors={errors}
          hint={`One per line, for the form's ${steps} steps.`}
        >
          {(control) => (
            <textarea
              {...control}
              rows={Math.min(steps, 5)}
              value={stepText}
              onInput={(event) => {
                setStepText(event.currentTarget.value)
                set(
                  'stepTitles',
                  event.currentTarget.value
                    .split('\n')
                    .map((line) => line.trim())
                    .filter(Boolean),
                )
              }}
            />
          )}
        </Field>
      )}

      <h3>What it says</h3>
      <div class="grid-2">
        <TextField
          path="config.submitButtonText"
          label="Button text"
          errors={errors}
          value={config.submitButtonText}
          max={40}
          onChange={(text) => set('submitButtonText', text)}
        />
        <TextField
          path="config.privacyPolicyUrl"
          label="Privacy policy address"
          errors={errors}
          value={config.privacyPolicyUrl}
          max={limits.url}
          kind="url"
          onChange={(text) => set('privacyPolicyUrl', text)}
        />
      </div>
      <TextField
        path="config.successMessage"
        label="Thank-you message"
        errors={errors}
        value={config.successMessage}
        max={limits.text}
        multiline
        onChange={(text) => set('successMessage', text)}
      />
      <TextField
        path="config.redirectUrl"
        label="Then go to"
        errors={errors}
        value={config.redirectUrl}
        max={limits.url}
        hint="Optional: a page visitors are taken to after sending the form."
        kind="url"
        onChange={(text) => set('redirectUrl', text)}
      />

      <h3>Gated offer</h3>
      <Toggle
        path="config.offer"
        label="Hand out something in return (an e-book, a webinar seat…)"
        checked={offer !== undefined}
        errors={errors}
        onChange={(on) => set('offer', on ? { type: 'ebook' } : undefined)}
      />
      {offer && (
        <div class="grid-2">
          <SelectField
            path="config.offer.type"
            label="Offer type"
            errors={errors}
            labels={offerLabels}
            value={textOf(offer.type) || 'ebook'}
            onChange={(type) => set('offer.type', type)}
          />
          <TextField
            path="config.offer.title"
            label="Offer title"
            errors={errors}
            value={offer?.title}
            max={limits.shortText}
            onChange={(text) => set('offer.title', text)}
          />
          <TextField
            path="config.offer.description"
            label="Offer description"
            errors={errors}
            value={offer?.description}
            max={limits.text}
            multiline
            onChange={(text) => set('offer.description', text)}
          />
          <TextField
            path="config.offer.assetUrl"
            label="File to hand out"
            errors={errors}
            value={offer?.assetUrl}
            max={limits.url}
            hint="Given as a signed link that expires, only after the form is sent."
            kind="url"
            onChange={(text) => set('offer.assetUrl', text)}
          />
        </div>
      )}

      <h3>Spam protection and profiling</h3>
      <Toggle
        path="config.captcha"
        label="Ask for a Cloudflare Turnstile check"
        checked={config.captcha === true}
        errors={errors}
        onChange={(on) => set('captcha', on || undefined)}
      />
      {config.captcha === true && (
        <TextField
          path="config.captchaSiteKey"
          label="Turnstile site key"
          errors={errors}
          value={config.captchaSiteKey}
          max={100}
          onChange={(text) => set('captchaSiteKey', text)}
        />
      )}
      <Toggle
        path="config.progressiveProfiling"
        label="Progressive profiling: skip fields a returning lead has already answered"
        checked={config.progressiveProfiling === true}
        errors={errors}
        onChange={(on) => set('progressiveProfiling', on || undefined)}
      />

      <h3>Lead scoring</h3>
      <div class="grid-2">
        <Field path="config.scoring.pointsPerFilledField" label="Points per filled field" errors={errors}>
          {(control) => (
            <NumberInput
              control={control}
              min={0}
              max={100}
              value={numberText(scoring.pointsPerFilledField ?? 2)}
              onInput={(text) => set('scoring.pointsPerFilledField', numberValue(text))}
            />
          )}
        </Field>
        {(['a', 'b', 'c'] as const).map((grade) => (
          <Field
            key={grade}
            path={`config.scoring.grades.${grade}`}
            label={`Grade ${grade.toUpperCase()} from`}
            errors={errors}
          >
            {(control) => (
              <NumberInput
                control={control}
                min={1}
                max={1000}
                value={numberText(grades[grade] ?? scoringDefaults.grades[grade])}
                onInput={(text) =>
                  set('scoring.grades', {
                    ...scoringDefaults.grades,
                    ...grades,
                    [grade]: numberValue(text),
                  })
                }
              />
            )}
          </Field>
        ))}
      </div>
      {errorAt(errors, 'config.scoring.grades') && (
        <p class="field-error">{errorAt(errors, 'config.scoring.grades')}</p>
      )}
      {rules.map((rule, index) => (
        <RuleRow
          key={index}
          rule={rule}
          index={index}
          names={names}
          errors={errors}
          onChange={(changed) =>
            set(
              'scoring.rules',
              rules.map((r, i) => (i === index ? changed : r)),
            )
          }
          onRemove={() =>
            set(
              'scoring.rules',
              rules.filter((_, i) => i !== index),
            )
          }
        />
      ))}
      <button
        type="button"
        class="button button-small"
        disabled={rules.length >= 50}
        onClick={() =>
          set('scoring.rules', [
            ...rules,
            { field: names[0] ?? 'email', when: 'filled', values: [], points: 10 },
          ])
        }
      >
        Add scoring rule
      </button>
    </section>
  )
}

/** One scoring rule: a field, a condition, its values, and the points it adds (or takes away). */
function RuleRow({
  rule,
  index,
  names,
  errors,
  onChange,
  onRemove,
}: {
  rule: Record<string, unknown>
  index: number
  names: string[]
  errors: FieldErrors
  onChange: (rule: Record<string, unknown>) => void
  onRemove: () => void
}) {
  const path = `config.scoring.rules.${index}`
  const set = (key: string, value: unknown) => onChange({ ...rule, [key]: value })
  const when = (textOf(rule.when) || 'filled') as RuleWhen
  return (
    <fieldset class="plain field config-item" id={fieldId(path)} tabIndex={-1}>
      <legend>Rule {index + 1}</legend>
      <div class="grid-2">
        <Field path={`${path}.field`} label="When the field" errors={errors}>
          {(control) => (
            <select
              {...control}
              value={textOf(rule.field)}
              onChange={(event) => set('field', event.currentTarget.value)}
            >
              {[...new Set([...names, textOf(rule.field)])].filter(Boolean).map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <SelectField
          path={`${path}.when`}
          label="Condition"
          errors={errors}
          labels={whenLabels}
          value={when}
          onChange={(next) => set('when', next)}
        />
        {when !== 'filled' && (
          <ListField
            path={`${path}.values`}
            label="Values"
            errors={errors}
            hint="Separated by commas; case is ignored."
            value={rule.values}
            onChange={(values) => set('values', values)}
          />
        )}
        <Field path={`${path}.points`} label="Points" errors={errors}>
          {(control) => (
            <NumberInput
              control={control}
              min={-100}
              max={100}
              value={numberText(rule.points)}
              onInput={(text) => set('points', numberValue(text))}
            />
          )}
        </Field>
      </div>
      <button type="button" class="button button-small button-danger" onClick={onRemove}>
        Remove rule {index + 1}
      </button>
    </fieldset>
  )
}
