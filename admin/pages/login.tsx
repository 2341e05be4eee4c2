import { useState } from 'preact/hooks'
import { ApiError, api, type Session } from '../api'
import { useTitle } from '../title'

function messageFor(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.'
  if (error.status === 401) return 'That email and password do not match an account.'
  if (error.status === 429) return 'Too many attempts. Wait a minute, then try again.'
  return error.message
}

export function LoginPage({ onLogin }: { onLogin: (session: Session) => void }) {
  useTitle('Sign in')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)

  const submit = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setError('')
    try {
      onLogin(await api.login(email.trim(), password))
    } catch (caught) {
      setError(messageFor(caught))
      setBusy(false)
    }
  }

  return (
    <div class="login">
      <form class="card login-card" onSubmit={submit} aria-labelledby="login-title" aria-busy={busy}>
        <p class="brand" aria-hidden="true">
          Promo
        </p>
        <h1 id="login-title" tabIndex={-1}>
          Sign in to Promo
        </h1>
        {error && (
          <p class="alert alert-error" role="alert">
            {error}
          </p>
        )}
        <div class="field">
          <label for="login-email">Email</label>
          <input
            id="login-email"
            type="email"
            autocomplete="username"
            required
            value={email}
            onInput={(event) => setEmail(event.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="login-password">Password</label>
          <input
            id="login-password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(event) => setPassword(event.currentTarget.value)}
          />
        </div>
        <button type="submit" class="button button-primary button-block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  )
}
