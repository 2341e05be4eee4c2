import { useEffect, useState } from 'preact/hooks'
import {
  ApiError,
  api,
  type CreatedInvitation,
  type Member,
  type Role,
  type Session,
  type Team,
} from '../api'
import { errorsFrom, Field, type FieldErrors } from '../field'
import { formatDateTime } from '../format'
import { useTitle } from '../title'

/** The roles, most trusted first, with what each may do (the server's table, api/core/roles.ts, in words). */
export const roleInfo: { role: Role; label: string; can: string }[] = [
  { role: 'owner', label: 'Owner', can: 'Everything, including owners' },
  { role: 'admin', label: 'Admin', can: 'Everything but changing or removing an owner' },
  { role: 'editor', label: 'Editor', can: 'Campaigns, audiences and content; not sites, keys or the team' },
  { role: 'viewer', label: 'Viewer', can: 'Reads only' },
]

const labelOf = (role: Role) => roleInfo.find((info) => info.role === role)?.label ?? role

/** The roles `mine` may give: an owner any, an admin all but owner, others none (as the server decides). */
export function assignable(mine: Role): Role[] {
  if (mine === 'owner') return roleInfo.map((info) => info.role)
  if (mine === 'admin') return roleInfo.map((info) => info.role).filter((role) => role !== 'owner')
  return []
}

const failure = (error: unknown, fallback: string) => (error instanceof ApiError ? error.message : fallback)

export function TeamPage({ session }: { session: Session }) {
  useTitle('Team')
  const mine = session.user.role
  const canManage = assignable(mine).length > 0
  const [team, setTeam] = useState<Team>()
  const [error, setError] = useState('')
  const [notice, setNotice] = useState('')
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('editor')
  const [errors, setErrors] = useState<FieldErrors>(new Map())
  const [created, setCreated] = useState<CreatedInvitation>()
  const [busy, setBusy] = useState(false)

  const load = () =>
    api.team().then(
      (answer) => setTeam(answer),
      (caught) => setError(failure(caught, 'The team could not be loaded.')),
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

  const invite = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setErrors(new Map())
    setError('')
    setCreated(undefined)
    try {
      const answer = await api.invite(email.trim(), role)
      setCreated(answer)
      setEmail('')
      await load()
    } catch (caught) {
      if (caught instanceof ApiError && caught.fieldProblems.length)
        setErrors(errorsFrom(caught.fieldProblems))
      else setError(failure(caught, 'The invitation could not be sent.'))
    } finally {
      setBusy(false)
    }
  }

  const changeRole = (member: Member, next: Role) =>
    act(() => api.setRole(member.id, next), `${member.name || member.email} is now ${labelOf(next)}.`)
  const remove = (member: Member) => {
    if (!window.confirm(`Remove ${member.name || member.email} from the team?`)) return
    void act(() => api.removeMember(member.id), `${member.name || member.email} was removed.`)
  }

  return (
    <div class="page">
      <div class="page-header">
        <h1 tabIndex={-1}>Team</h1>
      </div>
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

      <section class="card table-card" aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        {!team ? (
          <p class="muted" role="status">
            Loading…
          </p>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {team.members.map((member) => {
                const editable =
                  canManage && assignable(mine).includes(member.role) && member.id !== session.user.id
                return (
                  <tr key={member.id}>
                    <th scope="row">
                      {member.name}
                      {member.id === session.user.id && <span class="muted"> (you)</span>}
                    </th>
                    <td>{member.email}</td>
                    <td>
                      {editable ? (
                        <select
                          aria-label={`Role of ${member.name || member.email}`}
                          value={member.role}
                          onChange={(event) => void changeRole(member, event.currentTarget.value as Role)}
                        >
                          {assignable(mine).map((option) => (
                            <option key={option} value={option}>
                              {labelOf(option)}
                            </option>
                          ))}
                        </select>
                      ) : (
                        labelOf(member.role)
                      )}
                    </td>
                    <td>
                      {editable && (
                        <button type="button" class="button button-small" onClick={() => remove(member)}>
                          Remove <span class="visually-hidden">{member.name || member.email}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        )}
      </section>

      {team && team.invitations.length > 0 && (
        <section class="card table-card" aria-labelledby="invitations-title">
          <h2 id="invitations-title">Pending invitations</h2>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {team.invitations.map((invitation) => (
                <tr key={invitation.id}>
                  <th scope="row">{invitation.email}</th>
                  <td>{labelOf(invitation.role)}</td>
                  <td>{formatDateTime(invitation.expiresAt)}</td>
                  <td>
                    {canManage && (
                      <button
                        type="button"
                        class="button button-small"
                        onClick={() =>
                          void act(
                            () => api.withdrawInvitation(invitation.id),
                            `The invitation to ${invitation.email} was withdrawn.`,
                          )
                        }
                      >
                        Withdraw <span class="visually-hidden">the invitation to {invitation.email}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      {canManage && (
        <form class="card" noValidate onSubmit={invite} aria-labelledby="invite-title" aria-busy={busy}>
          <h2 id="invite-title">Invite someone</h2>
          <div class="grid-2">
            <Field path="email" label="Email" errors={errors}>
              {(control) => (
                <input
                  {...control}
                  type="email"
                  autocomplete="off"
                  maxLength={254}
                  value={email}
                  onInput={(event) => setEmail(event.currentTarget.value)}
                />
              )}
            </Field>
            <Field path="role" label="Role" errors={errors}>
              {(control) => (
                <select
                  {...control}
                  value={role}
                  onChange={(event) => setRole(event.currentTarget.value as Role)}
                >
                  {assignable(mine).map((option) => (
                    <option key={option} value={option}>
                      {labelOf(option)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? 'Inviting…' : 'Send invitation'}
          </button>
          {created && (
            <div class="alert invite-link" role="status">
              <p>
                Invitation {created.mail.status === 'sent' ? 'mailed' : 'written to the outbox'} for{' '}
                {created.email}. The link works once, for 7 days; it is shown only now:
              </p>
              <label for="invite-link">Invitation link</label>
              <input id="invite-link" type="text" readOnly value={created.acceptUrl} />
            </div>
          )}
        </form>
      )}

      <section class="card table-card" aria-labelledby="roles-title">
        <h2 id="roles-title">What each role may do</h2>
        <table class="table">
          <tbody>
            {roleInfo.map((info) => (
              <tr key={info.role}>
                <th scope="row">{info.label}</th>
                <td>{info.can}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  )
}
