import { limits } from '../schema/limits'
import {
  browserTimeZone,
  type CampaignForm,
  type Format,
  formats,
  isFormat,
  needsPlacements,
} from './campaign-form'
import { errorAt, Field, type FieldErrors, NumberInput } from './field'

const formatLabels: Record<Format, string> = {
  hero: 'Hero banner (in a slot)',
  inline: 'Inline banner (in a slot)',
  sticky: 'Sticky bar',
  sticky_top: 'Bar pinned to the top',
  sticky_bottom: 'Bar pinned to the bottom',
  popup: 'Popup',
}

interface SettingsFieldsProps {
  form: CampaignForm
  errors: FieldErrors
  onChange: (patch: Partial<CampaignForm>) => void
}

/** Name, format, priority, placements, closability and schedule: everything about a campaign but its creative. */
export function SettingsFields({ form, errors, onChange: update }: SettingsFieldsProps) {
  return (
    <>
      <section class="card" aria-labelledby="basics-title">
        <h2 id="basics-title">Basics</h2>
        <Field path="name" label="Name" errors={errors} hint="Only your team sees it.">
          {(control) => (
            <input
              {...control}
              type="text"
              maxLength={limits.name}
              value={form.name}
              onInput={(event) => update({ name: event.currentTarget.value })}
            />
          )}
        </Field>
        <div class="grid-2">
          <Field path="config.format" label="Format" errors={errors}>
            {(control) => (
              <select
                {...control}
                value={form.format}
                onChange={(event) => {
                  const value = event.currentTarget.value
                  if (isFormat(value)) update({ format: value })
                }}
              >
                {formats.map((format) => (
                  <option key={format} value={format}>
                    {formatLabels[format]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            path="priority"
            label="Priority"
            errors={errors}
            hint="0 to 1000. The higher one wins when two campaigns compete for a place."
          >
            {(control) => (
              <NumberInput
                control={control}
                min={0}
                max={1000}
                value={form.priority}
                onInput={(priority) => update({ priority })}
              />
            )}
          </Field>
        </div>
        {needsPlacements(form.format) && (
          <Field
            path="placements"
            label="Placements"
            errors={errors}
            hint={
              <>
                Slot names, comma separated, e.g. <code>home-hero, blog-inline</code>. The site marks each one
                with <code>data-promo-slot</code>.
              </>
            }
          >
            {(control) => (
              <input
                {...control}
                type="text"
                spellcheck={false}
                value={form.placements}
                onInput={(event) => update({ placements: event.currentTarget.value })}
              />
            )}
          </Field>
        )}
        <div class="checkbox">
          <input
            id="field-config-dismissible"
            type="checkbox"
            checked={form.dismissible}
            onChange={(event) => update({ dismissible: event.currentTarget.checked })}
          />
          <label for="field-config-dismissible">Visitors can close it</label>
        </div>
        {errorAt(errors, 'config.dismissible') && (
          <p class="field-error">{errorAt(errors, 'config.dismissible')}</p>
        )}
      </section>

      <section class="card" aria-labelledby="schedule-title">
        <h2 id="schedule-title">Schedule</h2>
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
                onInput={(event) => update({ start: event.currentTarget.value })}
              />
            )}
          </Field>
          <Field path="schedule.end" label="End" errors={errors}>
            {(control) => (
              <input
                {...control}
                type="datetime-local"
                value={form.end}
                onInput={(event) => update({ end: event.currentTarget.value })}
              />
            )}
          </Field>
        </div>
      </section>
    </>
  )
}
