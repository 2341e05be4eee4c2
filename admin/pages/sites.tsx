import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { limits } from '../../schema/limits'
import { ApiError, api, type CreatedSite, type FieldProblem, type Site } from '../api'
import { CopyText } from '../copy-text'
import { errorsFrom, Field } from '../field'
import { formatDateTime } from '../format'
import { ReadOnlyNote, useMay } from '../permissions'
import { Link, root } from '../router'
import { useTitle } from '../title'

export const sitePath = (id: string) => `${root}/sites/${encodeURIComponent(id)}`

/** A secret key just made: the API never answers it again, so it is copied now or never. */
export function NewSecretKey({
  title,
  secret,
  onDone,
}: {
  title: string
  secret: string
  onDone: () => void
}) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [secret])
  return (
    <section class="card secret-notice" aria-labelledby="new-key-title">
      <h2 id="new-key-title" tabIndex={-1} ref={heading}>
        {title}
      </h2>
      <p>
        <strong>Copy it now: you will not see it again.</strong> Promo keeps only a fingerprint of it. Your
        server sends it as <code>Authorization: Bearer sk_…</code>; never put it in a page. Lost, it cannot be
        read back: create another and revoke this one.
      </p>
      <CopyText text={secret} label="Copy secret key" />
      <div class="row">
        <button type="button" class="button button-quiet" onClick={onDone}>
          I have stored it
        </button>
      </div>
    </section>
  )
}

interface SitesPageProps {
  sites: Site[]
  onSitesChange: (sites: Site[]) => void
}

/** The organization's sites, each opening its own page (origins, keys, install), and a form for a new one. */
export function SitesPage({ sites, onSitesChange }: SitesPageProps) {
  useTitle('Sites')
  const canManage = useMay('sites')
  const [name, setName] = useState('')
  const [problems, setProblems] = useState<FieldProblem[]>([])
  const [formError, setFormError] = useState('')
  const [busy, setBusy] = useState(false)
  const [created, setCreated] = useState<CreatedSite>()
  const errors = useMemo(() => errorsFrom(problems), [problems])

  const create = async (event: Event) => {
    event.preventDefault()
    setFormError('')
    setBusy(true)
    try {
      const site = await api.createSite({ name: name.trim() })
      const { secretKey: _shownOnce, ...listed } = site
      onSitesChange([...sites, listed])
      setCreated(site)
      setName('')
      setProblems([])
    } catch (caught) {
      const found = caught instanceof ApiError ? caught.fieldProblems : []
      setProblems(found)
      if (found.length === 0)
        setFormError(caught instanceof ApiError ? caught.message : 'The site could not be created.')
    } finally {
      setBusy(false)
    }
  }

  return (
    <div class="page">
      <header class="page-header">
        <h1 tabIndex={-1}>Sites</h1>
      </header>
      {created && (
        <>
          <NewSecretKey
            title={`“${created.name}” is ready: its first secret key`}
            secret={created.secretKey}
            onDone={() => setCreated(undefined)}
          />
          <p>
            Next: <Link href={sitePath(created.id)}>add its allowed origins and install its tag</Link>.
          </p>
        </>
      )}
      <section class="card table-card" aria-labelledby="sites-title">
        <h2 id="sites-title">Your sites</h2>
        {sites.length === 0 ? (
          <p class="muted">No site yet. Create one below to get its tag and keys.</p>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Site</th>
                <th scope="col">Allowed origins</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {sites.map((site) => (
                <tr key={site.id}>
                  <th scope="row">
                    <Link href={sitePath(site.id)}>{site.name}</Link>
                  </th>
                  <td>
                    {site.allowedOrigins.length === 0 ? (
                      <span class="muted">none yet</span>
                    ) : (
                      site.allowedOrigins.join(', ')
                    )}
                  </td>
                  <td>{formatDateTime(site.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <ReadOnlyNote capability="sites" />
      <form
        class="card"
        noValidate
        onSubmit={create}
        aria-labelledby="new-site-title"
        aria-busy={busy}
        hidden={!canManage}
      >
        <h2 id="new-site-title">New site</h2>
        {formError && (
          <p class="alert alert-error" role="alert">
            {formError}
          </p>
        )}
        <Field path="name" label="Name" errors={errors} hint="How the admin names it, e.g. “Shop (EU)”.">
          {(control) => (
            <input
              {...control}
              type="text"
              maxLength={limits.name}
              value={name}
              onInput={(event) => setName(event.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create site'}
        </button>
      </form>
    </div>
  )
}
