import type { ComponentChildren } from 'preact'
import { limits } from '../schema/limits'
import { browserTimeZone, type CampaignForm } from './campaign-form'
import { Field, type FieldErrors, NumberInput } from './field'

interface SettingsFieldsProps {
  form: CampaignForm
  errors: FieldErrors
  /** The unit fills a marked slot, so it needs placements. */
  inSlot: boolean
  /** Set when creating: the type picker, shown first. */
  typePicker?: ComponentChildren
  onChange: (patch: Partial<CampaignForm>) => void
}

/** Name, type, priority, placements and schedule: what every campaign has besides its config and creative. */
export function SettingsFields({ form, errors, inSlot, typePicker, onChange: update }: SettingsFieldsProps) {
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
        {typePicker}
        <div class="grid-2">
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
        {inSlot && (
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
