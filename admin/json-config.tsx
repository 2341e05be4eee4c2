import type { FieldErrors } from './field'
import { fieldId } from './field'

interface JsonConfigProps {
  text: string
  errors: FieldErrors
  onChange: (text: string) => void
}

/** Every API problem inside `config`, with the path inside the config it is about. */
function configProblems(errors: FieldErrors): { where: string; message: string }[] {
  const found: { where: string; message: string }[] = []
  for (const [path, message] of errors) {
    if (path === 'config') found.push({ where: '', message })
    else if (path.startsWith('config.')) found.push({ where: path.slice('config.'.length), message })
  }
  return found
}

/**
 * A type without its own editor: its whole `config` as JSON. The API validates it against the type's schema
 * on save, and each problem is listed under the box with the path inside the config it is about.
 */
export function JsonConfigEditor({ text, errors, onChange }: JsonConfigProps) {
  const id = fieldId('config')
  const problems = configProblems(errors)
  return (
    <section class="card" aria-labelledby="config-title">
      <h2 id="config-title">Configuration</h2>
      <div class={problems.length > 0 ? 'field field-invalid' : 'field'}>
        <label for={id}>Configuration (JSON)</label>
        <textarea
          id={id}
          class="code-input"
          rows={14}
          spellcheck={false}
          aria-invalid={problems.length > 0}
          aria-describedby={`${id}-hint${problems.length > 0 ? ` ${id}-error` : ''}`}
          value={text}
          onInput={(event) => onChange(event.currentTarget.value)}
        />
        <p class="field-hint" id={`${id}-hint`}>
          The admin has no form for this type yet: its settings are edited as JSON, and checked when you save.
          PRODUCT.md lists each field.
        </p>
        {problems.length > 0 && (
          <ul class="field-error" id={`${id}-error`}>
            {problems.map(({ where, message }) => (
              <li key={`${where}:${message}`}>
                {where ? <code>{where}</code> : null}
                {where ? ': ' : ''}
                {message}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  )
}
