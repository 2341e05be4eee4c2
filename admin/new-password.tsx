import { Field, type FieldErrors } from './field'

interface NewPasswordProps {
  /** The API's path for the password (`password`, `newPassword`); the second box is always `repeat`. */
  path: string
  label: string
  value: string
  repeat: string
  errors: FieldErrors
  onValue: (value: string) => void
  onRepeat: (value: string) => void
}

/** A new password typed twice, as browsers' password managers expect it (`new-password`). */
export function NewPasswordFields({
  path,
  label,
  value,
  repeat,
  errors,
  onValue,
  onRepeat,
}: NewPasswordProps) {
  return (
    <>
      <Field path={path} label={label} errors={errors} hint="At least 10 characters.">
        {(control) => (
          <input
            {...control}
            type="password"
            autocomplete="new-password"
            maxLength={200}
            value={value}
            onInput={(event) => onValue(event.currentTarget.value)}
          />
        )}
      </Field>
      <Field path="repeat" label={`${label} again`} errors={errors}>
        {(control) => (
          <input
            {...control}
            type="password"
            autocomplete="new-password"
            maxLength={200}
            value={repeat}
            onInput={(event) => onRepeat(event.currentTarget.value)}
          />
        )}
      </Field>
    </>
  )
}
