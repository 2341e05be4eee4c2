import { errorAt, Field } from '../../../admin/field'
import type { Config, ConfigEditorProps } from '../../../admin/promotion-type'
import type { AwarenessConfig } from '../config'

type Format = AwarenessConfig['format']

/** Every banner format, labelled; the Record keeps it in step with the schema's list. */
export const formatLabels: Record<Format, string> = {
  hero: 'Hero banner (in a slot)',
  inline: 'Inline banner (in a slot)',
  sticky: 'Sticky bar',
  sticky_top: 'Bar pinned to the top',
  sticky_bottom: 'Bar pinned to the bottom',
  popup: 'Popup',
}
const formats = Object.keys(formatLabels) as Format[]

export function isFormat(value: unknown): value is Format {
  return typeof value === 'string' && (formats as string[]).includes(value)
}

/** The format a config shows in: its own when it is one the editor knows, else a hero banner. */
export function formatOf(config: Config): Format {
  return isFormat(config.format) ? config.format : 'hero'
}

export const awarenessLabels: Record<string, string> = {
  'config.format': 'Format',
  'config.dismissible': 'Visitors can close it',
}

/**
 * The banner's format and whether visitors can close it. The rest of the config (video, delays, trigger) is
 * kept as it is and sent back untouched.
 */
export function AwarenessFields({ config, errors, onChange }: ConfigEditorProps) {
  const dismissibleError = errorAt(errors, 'config.dismissible')
  return (
    <section class="card" aria-labelledby="format-title">
      <h2 id="format-title">Format</h2>
      <Field path="config.format" label="Format" errors={errors}>
        {(control) => (
          <select
            {...control}
            value={formatOf(config)}
            onChange={(event) => {
              const value = event.currentTarget.value
              if (isFormat(value)) onChange({ ...config, format: value })
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
      <div class="checkbox">
        <input
          id="field-config-dismissible"
          type="checkbox"
          checked={config.dismissible !== false}
          onChange={(event) => onChange({ ...config, dismissible: event.currentTarget.checked })}
        />
        <label for="field-config-dismissible">Visitors can close it</label>
      </div>
      {dismissibleError && <p class="field-error">{dismissibleError}</p>}
    </section>
  )
}
