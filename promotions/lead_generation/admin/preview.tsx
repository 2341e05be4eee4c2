import { useEffect, useState } from 'preact/hooks'
import { object } from '../../../admin/config-fields'
import { Preview } from '../../../admin/preview'
import type { Config } from '../../../admin/promotion-type'
import type { Decision } from '../../../schema/serve'
import type { MountFormat } from '../../../sdk/kit/context'
import type { LeadField } from '../config'
import { publicLeadConfig } from '../public-config'
import { withDefaults } from './editor'

const emailOnly = [{ name: 'email', type: 'email', label: 'Email', required: true }]

/** A field with the schema's defaults (config.ts). */
function fieldWithDefaults(value: unknown, index: number): LeadField {
  const field = object(value)
  const type = typeof field.type === 'string' ? field.type : 'text'
  const filled: Record<string, unknown> = {
    required: false,
    step: 0,
    ...field,
    type,
    name: typeof field.name === 'string' && field.name ? field.name : `field_${index + 1}`,
    label: typeof field.label === 'string' && field.label ? field.label : `Field ${index + 1}`,
  }
  if (type === 'text' || type === 'email' || type === 'phone') {
    filled.minLength ??= 0
    filled.maxLength ??= 200
  }
  if (type === 'select' && !Array.isArray(filled.options)) filled.options = []
  if (type === 'checkbox' || type === 'consent') filled.checked = filled.checked === true
  if (typeof filled.step !== 'number') filled.step = 0
  // The API checks the rest when the campaign is saved; the widget draws whatever it is handed.
  return filled as LeadField
}

/**
 * The config as the serve answer would carry it, from the config as typed: the schema's defaults filled in
 * (editor.tsx), then what serving makes of it (public-config.ts, shared with the server): the fields in step order
 * with the steps numbered 0, 1, 2…, scoring and the gated asset's address left out; no captcha (the preview sends
 * nothing). Typed JSON that is not a form yet shows the default email field.
 */
export function previewConfig(config: Config): Config {
  const typed = Array.isArray(config.fields) && config.fields.length > 0 ? config.fields : emailOnly
  const { captchaSiteKey: _key, ...served } = publicLeadConfig(
    withDefaults({ ...config, fields: typed.map(fieldWithDefaults) }),
  )
  return { ...served, captcha: false }
}

/**
 * The form widget, loaded when a preview first needs it: its field checks bring zod's mini build, which the rest
 * of the admin does without, so it comes in its own chunk.
 */
let loading: Promise<MountFormat> | undefined
const loadWidget = () => {
  loading ??= import('../widget/index').then((widget) => widget.mount)
  return loading
}

/** The form as visitors see it: the lead form widget itself, in the admin's mock page, sending nothing. */
export function LeadGenerationPreview({ decision }: { decision: Decision }) {
  const [mount, setMount] = useState<{ draw: MountFormat }>()
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    let current = true
    loadWidget().then(
      (draw) => current && setMount({ draw }),
      () => {
        loading = undefined
        if (current) setFailed(true)
      },
    )
    return () => {
      current = false
    }
  }, [])
  if (mount)
    return <Preview decision={{ ...decision, config: previewConfig(decision.config) }} mount={mount.draw} />
  return (
    <section class="preview" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview</h2>
      {failed ? (
        <p class="alert alert-error" role="alert">
          The form’s preview could not be loaded. Reload the page to try again.
        </p>
      ) : (
        <p class="muted" role="status">
          Loading the form…
        </p>
      )}
    </section>
  )
}
