import { useEffect, useState } from 'preact/hooks'
import { ApiError, api, type InvitationPreview, type Session } from '../api'
import { errorsFrom, Field, type FieldErrors } from '../field'
import { NewPasswordFields } from '../new-password'
import { useTitle } from '../title'

/**
 * `/admin/accept?token=…`, the page an invitation mail links to: who is invited where, then a name and a
 * password, which create the member and sign them in.
 */
export function AcceptPage({ token, onAccepted }: { token: string; onAccepted: (session: Session) => void }) {
  useTitle('Join your team')
  const [preview, setPreview] = useState<InvitationPreview>()
  const [problem, setProblem] = useState('')
  const [name, setName] = useState('')
  const [password, setPassword] = useState('')
  const [repeat, setRepeat] = useState('')
  const [errors, setErrors] = useState<FieldErrors>(new Map())
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    if (!token) {
      setProblem('This link has no invitation in it. Open the link from your invitation mail.')
      return
    }
    api
      .previewInvitation(token)
      .then(setPreview, (caught) =>
        setProblem(caught instanceof ApiError ? caught.message : 'The invitation could not be read.'),
      )
  }, [token])

  const submit = async (event: Event) => {
    event.preventDefault()
    setErrors(new Map())
    setError('')
    if (password !== repeat) {
      setErrors(new Map([['repeat', 'does not match the password']]))
      return
    }
    setBusy(true)
    try {
      onAccepted(await api.acceptInvitation(token, name.trim(), password))
    } catch (caught) {
      const problems = caught instanceof ApiError ? caught.fieldProblems : []
      if (problems.length) setErrors(errorsFrom(problems))
      else setError(caught instanceof ApiError ? caught.message : 'Something went wrong. Please try again.')
      setBusy(false)
    }
  }

  return (
    <div class="login">
      <form
        class="card login-card"
        noValidate
        onSubmit={submit}
        aria-labelledby="accept-title"
        aria-busy={busy}
      >
        <p class="brand" aria-hidden="true">
          Promo
        </p>
        <h1 id="accept-title" tabIndex={-1}>
          {preview ? `Join ${preview.organization}` : 'Join your team'}
        </h1>
        {problem && (
          <p class="alert alert-error" role="alert">
            {problem}
          </p>
        )}
        {!preview && !problem && (
          <p class="muted" role="status">
            Reading the invitation…
          </p>
        )}
        {preview && (
          <>
            <p>
              You are invited as <strong>{preview.role}</strong> with the email{' '}
              <strong>{preview.email}</strong>. Choose your name and a password.
            </p>
            {error && (
              <p class="alert alert-error" role="alert">
                {error}
              </p>
            )}
            <Field path="name" label="Your name" errors={errors}>
              {(control) => (
                <input
                  {...control}
                  type="text"
                  autocomplete="name"
                  maxLength={200}
                  value={name}
                  onInput={(event) => setName(event.currentTarget.value)}
                />
              )}
            </Field>
            <NewPasswordFields
              path="password"
              label="Password"
              value={password}
              repeat={repeat}
              errors={errors}
              onValue={setPassword}
              onRepeat={setRepeat}
            />
            <button type="submit" class="button button-primary button-block" disabled={busy}>
              {busy ? 'Joining…' : 'Join'}
            </button>
          </>
        )}
      </form>
    </div>
  )
}
