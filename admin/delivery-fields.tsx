import { type BanditChoice, type CapField, capFields, type DeliveryForm } from './delivery-form'
import { errorAt, Field, type FieldErrors, fieldId, NumberInput } from './field'

/** Labels, and the API's upper bounds (schema/campaign.ts `frequency`) for the inputs' `max`. */
const caps: Record<CapField, { label: string; max: number }> = {
  perHour: { label: 'Per hour', max: 1_000 },
  perDay: { label: 'Per day', max: 1_000 },
  perWeek: { label: 'Per week', max: 10_000 },
  lifetime: { label: 'Lifetime', max: 100_000 },
}

export const deliveryLabels: Record<string, string> = {
  'frequency.perHour': 'Views per hour',
  'frequency.perDay': 'Views per day',
  'frequency.perWeek': 'Views per week',
  'frequency.lifetime': 'Views in total',
  'frequency.minHoursBetween': 'Hours between views',
  'frequency.countOn': 'Count',
  'frequency.exemptFromFatigue': 'Show after another popup',
  frequency: 'Frequency caps',
  'experiment.holdoutPercent': 'Holdout',
  'experiment.bandit': 'Traffic split',
  'experiment.salt': 'Salt',
  experiment: 'Experiment',
  pacing: 'Impression goal',
}

const banditLabels: Record<BanditChoice, string> = {
  '': 'By variant weight',
  click: 'Bandit: more traffic to the variant with more clicks',
  conversion: 'Bandit: more traffic to the variant with more conversions',
}

interface DeliveryFieldsProps {
  delivery: DeliveryForm
  /** Popups interrupt the visit, so only they meet the one-per-session budget. */
  interruptive: boolean
  /** Both a start and an end are set, which an impression goal needs. */
  scheduled: boolean
  errors: FieldErrors
  onChange: (patch: Partial<DeliveryForm>) => void
}

/** Frequency caps, the experiment over the variants, and pacing toward an impression goal. */
export function DeliveryFields({ delivery, interruptive, scheduled, errors, onChange }: DeliveryFieldsProps) {
  const countOnError = errorAt(errors, 'frequency.countOn')
  const exemptError = errorAt(errors, 'frequency.exemptFromFatigue')
  return (
    <section class="card" aria-labelledby="delivery-title">
      <h2 id="delivery-title">Delivery</h2>
      <h3>Frequency caps</h3>
      <p class="muted">How often one visitor may see it. Leave a cap blank for no limit.</p>
      <div class="grid-4">
        {capFields.map((field) => (
          <Field key={field} path={`frequency.${field}`} label={caps[field].label} errors={errors}>
            {(control) => (
              <NumberInput
                control={control}
                value={delivery[field]}
                min={1}
                max={caps[field].max}
                onInput={(value) => onChange({ [field]: value })}
              />
            )}
          </Field>
        ))}
      </div>
      <div class="grid-2">
        <Field
          path="frequency.minHoursBetween"
          label="Hours between views"
          errors={errors}
          hint="At least this long between two views, e.g. 24."
        >
          {(control) => (
            <NumberInput
              control={control}
              value={delivery.minHoursBetween}
              min={0}
              max={8_760}
              step="any"
              onInput={(value) => onChange({ minHoursBetween: value })}
            />
          )}
        </Field>
        <fieldset class="plain field">
          <legend>Count a view when it is</legend>
          <div class="segmented">
            {(['viewable', 'serve'] as const).map((option, index) => (
              <label key={option}>
                <input
                  id={index === 0 ? fieldId('frequency.countOn') : undefined}
                  aria-describedby={countOnError ? 'field-frequency-countOn-error' : undefined}
                  type="radio"
                  name="frequency-countOn"
                  value={option}
                  checked={delivery.countOn === option}
                  onChange={() => onChange({ countOn: option })}
                />
                <span>{option === 'viewable' ? 'Seen (viewable)' : 'Served'}</span>
              </label>
            ))}
          </div>
          {countOnError && (
            <p class="field-error" id="field-frequency-countOn-error">
              {countOnError}
            </p>
          )}
        </fieldset>
      </div>
      {interruptive && (
        <>
          <div class="checkbox">
            <input
              id={fieldId('frequency.exemptFromFatigue')}
              type="checkbox"
              checked={delivery.exemptFromFatigue}
              aria-describedby="frequency-exempt-hint"
              onChange={(event) => onChange({ exemptFromFatigue: event.currentTarget.checked })}
            />
            <label for={fieldId('frequency.exemptFromFatigue')}>Show even after another popup</label>
          </div>
          <p class="field-hint" id="frequency-exempt-hint">
            A visitor meets one interrupting unit per session; this lets the popup past that limit.
          </p>
          {exemptError && <p class="field-error">{exemptError}</p>}
        </>
      )}

      <h3>Experiment</h3>
      <div class="grid-2">
        <Field
          path="experiment.holdoutPercent"
          label="Holdout (%)"
          errors={errors}
          hint="0 to 50. This share of visitors sees nothing, so lift can be measured against them."
        >
          {(control) => (
            <NumberInput
              control={control}
              value={delivery.holdoutPercent}
              min={0}
              max={50}
              step="any"
              onInput={(value) => onChange({ holdoutPercent: value })}
            />
          )}
        </Field>
        <Field
          path="experiment.bandit"
          label="Traffic split"
          errors={errors}
          hint="A bandit shifts traffic to the winning variant as results come in."
        >
          {(control) => (
            <select
              {...control}
              value={delivery.bandit}
              onChange={(event) => onChange({ bandit: event.currentTarget.value as BanditChoice })}
            >
              {(Object.keys(banditLabels) as BanditChoice[]).map((option) => (
                <option key={option} value={option}>
                  {banditLabels[option]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field
        path="experiment.salt"
        label="Salt"
        errors={errors}
        hint="Which visitor gets which variant follows from it. Change it to reshuffle them; blank uses the campaign’s id."
      >
        {(control) => (
          <input
            {...control}
            type="text"
            maxLength={64}
            spellcheck={false}
            value={delivery.salt}
            onInput={(event) => onChange({ salt: event.currentTarget.value })}
          />
        )}
      </Field>

      <h3>Pacing</h3>
      <Field
        path="pacing"
        label="Impression goal"
        errors={errors}
        hint={
          delivery.impressionGoal.trim() !== '' && !scheduled
            ? 'Set both a start and an end under Schedule: the goal is spread evenly between them.'
            : 'Spread evenly between the schedule’s start and end, which it needs. Blank delivers as fast as it can.'
        }
      >
        {(control) => (
          <NumberInput
            control={control}
            value={delivery.impressionGoal}
            min={1}
            max={1_000_000_000}
            onInput={(value) => onChange({ impressionGoal: value })}
          />
        )}
      </Field>
    </section>
  )
}
