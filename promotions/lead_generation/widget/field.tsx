import type { PublicLeadField } from './config'

interface FieldProps {
  field: PublicLeadField
  value: string | boolean
  error?: string | undefined
  onValue(name: string, value: string | boolean): void
  /** The empty choice of a select, in the form's words. */
  choose: string
}

/**
 * One field: its label, its control and the line for its error, which is always there (empty until there is an
 * error) so that an error appearing never moves what is below it. Labels and options are text, never markup.
 */
export function Field({ field, value, error, onValue, choose }: FieldProps) {
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
    // A live region: a message that appears while focus stays in its field is read out too.
    <p class="error" id={`e-${name}`} aria-live="polite" dir="auto">
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
  // Text fields start empty (see initialValues), never as a box's true or false.
  const text = value as string
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
          <option value="">{choose}</option>
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
          autocomplete={field.autocomplete}
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
