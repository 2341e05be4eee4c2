import type { LeadField } from './config'

interface FieldProps {
  field: LeadField
  value: string | boolean
  error?: string | undefined
  onValue(name: string, value: string | boolean): void
}

/** What browsers may fill in, by field name; email and phone fields go by their type. */
const autofill: Record<string, string> = {
  name: 'name',
  full_name: 'name',
  first_name: 'given-name',
  last_name: 'family-name',
  company: 'organization',
}

/**
 * One field: its label, its control and the line for its error, which is always there (empty until there is an
 * error) so that an error appearing never moves what is below it. Labels and options are text, never markup.
 */
export function Field({ field, value, error, onValue }: FieldProps) {
  const { name, label } = field
  const control = {
    id: `f-${name}`,
    name,
    required: field.required,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': `e-${name}`,
  }
  const caption = (
    <label for={control.id} dir="auto">
      {label}
      {field.required && <span aria-hidden="true"> *</span>}
    </label>
  )
  const errorLine = (
    <p class="error" id={`e-${name}`} dir="auto">
      {error}
    </p>
  )
  if ('checked' in field) {
    return (
      <>
        <div class="check">
          <input
            {...control}
            type="checkbox"
            checked={value === true}
            onChange={(event) => onValue(name, event.currentTarget.checked)}
          />
          {caption}
        </div>
        {errorLine}
      </>
    )
  }
  const text = typeof value === 'string' ? value : ''
  return (
    <>
      {caption}
      {field.type === 'select' ? (
        <select
          {...control}
          class="field"
          value={text}
          onChange={(event) => onValue(name, event.currentTarget.value)}
        >
          <option value="">Choose…</option>
          {field.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...control}
          class="field"
          // Preact types each input type's attributes apart; text, email and tel take the same ones here.
          type={(field.type === 'phone' ? 'tel' : field.type) as 'text'}
          autocomplete={field.type === 'phone' ? 'tel' : field.type === 'email' ? 'email' : autofill[name]}
          maxLength={field.maxLength}
          placeholder={field.placeholder}
          value={text}
          onInput={(event) => onValue(name, event.currentTarget.value)}
          dir="auto"
        />
      )}
      {errorLine}
    </>
  )
}
