import { useEffect, useState } from 'preact/hooks'
import { type AccountSession, ApiError, api, type Session } from '../api'
import { errorsFrom, Field, type FieldErrors } from '../field'
import { formatDateTime } from '../format'
import { NewPasswordFields } from '../new-password'
import { useTitle } from '../title'

const failure = (error: unknown, fallback: string) => (error instanceof ApiError ? error.message : fallback)

/** A user agent in a few words: the browser and system a session signed in from. */
export function describeAgent(agent: string | null): string {
  if (!agent) return 'Unknown browser'
  const browser = /Edg\//.test(agent)
    ? 'Edge'
    : /Firefox\//.test(agent)
      ? 'Firefox'
      : /Chrome\//.test(agent)
        ? 'Chrome'
        : /Safari\//.test(agent)
          ? 'Safari'
          : 'Browser'
  const system = /iPhone|iPad/.test(agent)
    ? 'iOS'
    : /Android/.test(agent)
      ? 'Android'
      : /Mac OS X/.test(agent)
        ? 'macOS'
        : /Windows/.test(agent)
          ? 'Windows'
          : /Linux/.test(agent)
            ? 'Linux'
            : ''
  return system ? `${browser} on ${system}` : browser
}

export function AccountPage({ session }: { session: Session }) {
  useTitle('Account')
  const [sessions, setSessions] = useState<AccountSession[]>()
  const [error, setError] = useState('')
  const [notice, setNotice] = useState('')
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [repeat, setRepeat] = useState('')
  const [errors, setErrors] = useState<FieldErrors>(new Map())
  const [busy, setBusy] = useState(false)

  const load = () =>
    api.sessions().then(
      (answer) => setSessions(answer.data),
      (caught) => setError(failure(caught, 'Your sessions could not be loaded.')),
    )
  useEffect(() => void load(), [])

  const act = async (work: () => Promise<unknown>, done: string) => {
    setError('')
    setNotice('')
    try {
      await work()
      setNotice(done)
      await load()
    } catch (caught) {
      setError(failure(caught, 'That did not work. Try again.'))
    }
  }

  const changePassword = async (event: Event) => {
    event.preventDefault()
    setErrors(new Map())
    setError('')
    setNotice('')
    if (next !== repeat) {
      setErrors(new Map([['repeat', 'does not match the new password']]))
      return
    }
    setBusy(true)
    try {
      await api.changePassword(current, next)
      setCurrent('')
      setNext('')
      setRepeat('')
      setNotice('Password changed. Your other sessions were signed out.')
      await load()
    } catch (caught) {
      const problems = caught instanceof ApiError ? caught.fieldProblems : []
      if (problems.length) setErrors(errorsFrom(problems))
      else setError(failure(caught, 'The password could not be changed.'))
    } finally {
      setBusy(false)
    }
  }

  const others = sessions?.filter((s) => !s.current).length ?? 0

  return (
    <div class="page">
      <div class="page-header">
        <h1 tabIndex={-1}>Account</h1>
      </div>
      <p class="muted">
        Signed in as {session.user.email} ({session.user.role}) in {session.organization.name}.
      </p>
      {error && (
        <p class="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p class="alert" role="status">
          {notice}
        </p>
      )}

      <section class="card table-card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Sessions</h2>
        {!sessions ? (
          <p class="muted" role="status">
            Loading…
          </p>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Browser</th>
                <th scope="col">Signed in</th>
                <th scope="col">Last seen</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((item) => (
                <tr key={item.id}>
                  <th scope="row">
                    {describeAgent(item.userAgent)}
                    {item.current && <span class="muted"> (this session)</span>}
                  </th>
                  <td>{formatDateTime(item.createdAt)}</td>
                  <td>{item.lastSeenAt ? formatDateTime(item.lastSeenAt) : '—'}</td>
                  <td>
                    {!item.current && (
                      <button
                        type="button"
                        class="button button-small"
                        onClick={() =>
                          void act(() => api.revokeSession(item.id), 'That session was signed out.')
                        }
                      >
                        Sign out{' '}
                        <span class="visually-hidden">the session from {formatDateTime(item.createdAt)}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {others > 0 && (
          <button
            type="button"
            class="button"
            onClick={() =>
              void act(
                () => api.revokeOtherSessions(),
                `${others === 1 ? 'Your other session was' : `Your ${others} other sessions were`} signed out.`,
              )
            }
          >
            Sign out all other sessions
          </button>
        )}
      </section>

      <form
        class="card"
        noValidate
        onSubmit={changePassword}
        aria-labelledby="password-title"
        aria-busy={busy}
      >
        <h2 id="password-title">Change password</h2>
        <Field path="currentPassword" label="Current password" errors={errors}>
          {(control) => (
            <input
              {...control}
              type="password"
              autocomplete="current-password"
              value={current}
              onInput={(event) => setCurrent(event.currentTarget.value)}
            />
          )}
        </Field>
        <NewPasswordFields
          path="newPassword"
          label="New password"
          value={next}
          repeat={repeat}
          errors={errors}
          onValue={setNext}
          onRepeat={setRepeat}
        />
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? 'Changing…' : 'Change password'}
        </button>
      </form>
    </div>
  )
}
