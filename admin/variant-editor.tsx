import { limits } from '../schema/limits'
import type { CreativeField, VariantForm } from './campaign-form'
import { type ControlProps, Field, type FieldErrors, NumberInput } from './field'

export const creativeLabels: Record<CreativeField, string> = {
  headline: 'Headline',
  body: 'Body text',
  ctaText: 'Button text',
  ctaUrl: 'Button link',
  imageUrl: 'Image URL',
  imageAlt: 'Image description',
  backgroundColor: 'Background colour',
  textColor: 'Text colour',
}

const colorDefaults: Partial<Record<CreativeField, string>> = {
  backgroundColor: '#ffffff',
  textColor: '#111111',
}

/** The value a native colour input can hold (#rrggbb), from whatever is typed in the text box. */
function swatchValue(typed: string, fallback: string): string {
  const value = typed.trim()
  if (/^#[0-9a-fA-F]{6}$/.test(value)) return value.toLowerCase()
  if (/^#[0-9a-fA-F]{8}$/.test(value)) return value.slice(0, 7).toLowerCase()
  if (/^#[0-9a-fA-F]{3}$/.test(value)) {
    const [r = '0', g = '0', b = '0'] = value.slice(1)
    return `#${r}${r}${g}${g}${b}${b}`.toLowerCase()
  }
  return fallback
}

interface VariantEditorProps {
  index: number
  variant: VariantForm
  errors: FieldErrors
  showWeight: boolean
  /** The creative fields the type's unit shows; all of them when absent. */
  fields?: readonly CreativeField[]
  onChange: (variant: VariantForm) => void
}

/** One variant's name, weight and creative. Paths follow the API's, so its errors land on these fields. */
export function VariantEditor({ index, variant, errors, showWeight, fields, onChange }: VariantEditorProps) {
  const shows = (...names: CreativeField[]) => !fields || names.some((name) => fields.includes(name))
  const path = (field: string) => `variants.${index}.${field}`
  const setCreative = (field: CreativeField, value: string) =>
    onChange({ ...variant, creative: { ...variant.creative, [field]: value } })

  const text =
    (field: CreativeField, max: number, inputMode: 'text' | 'url' = 'text') =>
    (control: ControlProps) => (
      <input
        {...control}
        type="text"
        inputMode={inputMode}
        spellcheck={inputMode === 'text'}
        maxLength={max}
        value={variant.creative[field]}
        onInput={(event) => setCreative(field, event.currentTarget.value)}
      />
    )

  const color = (field: CreativeField) => (control: ControlProps) => (
    <div class="color-input">
      <input
        {...control}
        type="text"
        maxLength={9}
        placeholder="#1a2b3c"
        spellcheck={false}
        value={variant.creative[field]}
        onInput={(event) => setCreative(field, event.currentTarget.value)}
      />
      <input
        type="color"
        aria-label={`Pick ${creativeLabels[field].toLowerCase()}`}
        value={swatchValue(variant.creative[field], colorDefaults[field] ?? '#000000')}
        onInput={(event) => setCreative(field, event.currentTarget.value)}
      />
    </div>
  )

  return (
    <div class="variant-editor">
      <div class="grid-2">
        <Field path={path('name')} label="Variant name" errors={errors}>
          {(control) => (
            <input
              {...control}
              type="text"
              maxLength={limits.name}
              value={variant.name}
              onInput={(event) => onChange({ ...variant, name: event.currentTarget.value })}
            />
          )}
        </Field>
        {showWeight && (
          <Field
            path={path('weight')}
            label="Weight"
            errors={errors}
            hint="Share of traffic relative to the others."
          >
            {(control) => (
              <NumberInput
                control={control}
                min={0}
                max={10000}
                value={variant.weight}
                onInput={(weight) => onChange({ ...variant, weight })}
              />
            )}
          </Field>
        )}
      </div>
      <Field path={path('creative.headline')} label={creativeLabels.headline} errors={errors}>
        {text('headline', limits.shortText)}
      </Field>
      {shows('body') && (
        <Field
          path={path('creative.body')}
          label={creativeLabels.body}
          errors={errors}
          hint="Plain text, shown as written."
        >
          {(control) => (
            <textarea
              {...control}
              rows={3}
              maxLength={limits.text}
              value={variant.creative.body}
              onInput={(event) => setCreative('body', event.currentTarget.value)}
            />
          )}
        </Field>
      )}
      {shows('ctaText', 'ctaUrl') && (
        <div class="grid-2">
          <Field path={path('creative.ctaText')} label={creativeLabels.ctaText} errors={errors}>
            {text('ctaText', 40)}
          </Field>
          <Field
            path={path('creative.ctaUrl')}
            label={creativeLabels.ctaUrl}
            errors={errors}
            hint="https://…"
          >
            {text('ctaUrl', limits.url, 'url')}
          </Field>
        </div>
      )}
      {shows('imageUrl', 'imageAlt') && (
        <div class="grid-2">
          <Field
            path={path('creative.imageUrl')}
            label={creativeLabels.imageUrl}
            errors={errors}
            hint="https://…"
          >
            {text('imageUrl', limits.url, 'url')}
          </Field>
          <Field
            path={path('creative.imageAlt')}
            label={creativeLabels.imageAlt}
            errors={errors}
            hint="What the image shows, for people who cannot see it. Empty if it is decorative."
          >
            {text('imageAlt', limits.shortText)}
          </Field>
        </div>
      )}
      {shows('backgroundColor', 'textColor') && (
        <div class="grid-2">
          <Field
            path={path('creative.backgroundColor')}
            label={creativeLabels.backgroundColor}
            errors={errors}
          >
            {color('backgroundColor')}
          </Field>
          <Field path={path('creative.textColor')} label={creativeLabels.textColor} errors={errors}>
            {color('textColor')}
          </Field>
        </div>
      )}
    </div>
  )
}
