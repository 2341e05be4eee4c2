import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import {
  ApiError,
  api,
  type CreatedWebhook,
  type FieldProblem,
  type Site,
  type Webhook,
} from '../../../admin/api'
import { errorAt, errorsFrom, Field } from '../../../admin/field'
import { formatDateTime } from '../../../admin/format'
import { ReadOnlyNote, useMay } from '../../../admin/permissions'
import { SitePicker } from '../../../admin/site-picker'
import { useTitle } from '../../../admin/title'
import type { LeadEventType } from '../../../api/services/followup/types'
import { DeliveryLog } from './delivery-log'

/** Every lead event a webhook can take; the Record keeps this list in step with the API's. */
const eventLabels: Record<LeadEventType, string> = {
  'lead.created': 'A new lead: the first submit of an email',
  'lead.updated': 'A returning lead: another submit of a known email',
}
const eventTypes = Object.keys(eventLabels) as LeadEventType[]

/** The signing secret of a webhook just created: the API never answers it again, so it is copied now. */
function SecretNotice({ webhook, onDone }: { webhook: CreatedWebhook; onDone: () => void }) {
  const code = useRef<HTMLElement>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  const [copied, setCopied] = useState<'yes' | 'no' | ''>('')

  useEffect(() => heading.current?.focus(), [webhook.id])

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(webhook.secret)
      setCopied('yes')
    } catch {
      const selection = window.getSelection()
      if (code.current && selection) selection.selectAllChildren(code.current)
      setCopied('no')
    }
  }

  return (
    <section class="card secret-notice" aria-labelledby="secret-title">
      <h2 id="secret-title" tabIndex={-1} ref={heading}>
        Signing secret for <span class="text-value">{webhook.url}</span>
      </h2>
      <p>
        <strong>This is the only time it is shown.</strong> Store it where the receiver can read it: each
        delivery carries <code>Promo-Signature: t=…,v1=…</code>, the HMAC-SHA256 of <code>t.body</code> with
        this secret. Lost, it cannot be read again: delete the webhook and create a new one.
      </p>
      <pre class="code">
        <code ref={code}>{webhook.secret}</code>
      </pre>
      <div class="row">
        <button type="button" class="button" onClick={copy}>
          Copy secret
        </button>
        <button type="button" class="button button-quiet" onClick={onDone}>
          I have stored it
        </button>
        <span class="muted" role="status">
          {copied === 'yes'
            ? 'Copied to the clipboard.'
            : copied === 'no'
              ? 'Selected: press Ctrl+C or ⌘C.'
              : ''}
        </span>
      </div>
    </section>
  )
}

interface IntegrationsPageProps {
  sites: Site[]
  site: Site | undefined
  onSiteChange: (siteId: string) => void
}

/** Webhooks: lead events POSTed, signed, to the site's own systems, with each webhook's delivery log. */
export function IntegrationsPage({ sites, site, onSiteChange }: IntegrationsPageProps) {
  useTitle('Integrations')
  const canWrite = useMay('write')
  const [webhooks, setWebhooks] = useState<Webhook[]>([])
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState('')
  const [notice, setNotice] = useState('')
  const [url, setUrl] = useState('')
  const [events, setEvents] = useState<LeadEventType[]>(eventTypes)
  const [problems, setProblems] = useState<FieldProblem[]>([])
  const [formError, setFormError] = useState('')
  const [busy, setBusy] = useState(false)
  const [created, setCreated] = useState<CreatedWebhook>()
  const [logOf, setLogOf] = useState<string>()
  const errors = useMemo(() => errorsFrom(problems), [problems])

  useEffect(() => {
    setCreated(undefined)
    setLogOf(undefined)
    if (!site) {
      setLoading(false)
      return
    }
    let current = true
    setLoading(true)
    setError('')
    api.listWebhooks(site.id).then(
      (page) => {
        if (!current) return
        setWebhooks(page.data)
        setLoading(false)
      },
      (caught) => {
        if (!current) return
        setError(caught instanceof ApiError ? caught.message : 'The webhooks could not be loaded.')
        setLoading(false)
      },
    )
    return () => {
      current = false
    }
  }, [site?.id])

  const toggle = (event: LeadEventType, on: boolean) =>
    setEvents((current) => eventTypes.filter((type) => (type === event ? on : current.includes(type))))

  const create = async (event: Event) => {
    event.preventDefault()
    if (!site) return
    setFormError('')
    setNotice('')
    if (events.length === 0) {
      setProblems([{ path: 'events', message: 'choose at least one event' }])
      return
    }
    setBusy(true)
    try {
      const answer = await api.createWebhook({ siteId: site.id, url: url.trim(), events })
      const { secret: _secret, ...webhook } = answer
      setWebhooks((current) => [...current, webhook])
      setCreated(answer)
      setUrl('')
      setEvents(eventTypes)
      setProblems([])
    } catch (caught) {
      const found = caught instanceof ApiError ? caught.fieldProblems : []
      setProblems(found)
      if (found.length === 0)
        setFormError(caught instanceof ApiError ? caught.message : 'The webhook could not be created.')
    } finally {
      setBusy(false)
    }
  }

  const remove = async (webhook: Webhook) => {
    if (!window.confirm(`Delete the webhook to ${webhook.url}? Its delivery log goes with it.`)) return
    setNotice('')
    setError('')
    try {
      await api.deleteWebhook(webhook.id)
      setWebhooks((current) => current.filter((other) => other.id !== webhook.id))
      if (logOf === webhook.id) setLogOf(undefined)
      if (created?.id === webhook.id) setCreated(undefined)
      setNotice(`Webhook to ${webhook.url} deleted.`)
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'The webhook could not be deleted.')
    }
  }

  const shownLog = webhooks.find((webhook) => webhook.id === logOf)
  const eventsError = errorAt(errors, 'events')

  return (
    <div class="page">
      <header class="page-header">
        <h1 tabIndex={-1}>Integrations</h1>
      </header>
      <div class="toolbar">
        <SitePicker sites={sites} site={site} onChange={onSiteChange} />
        <p class="muted" role="status">
          {loading ? 'Loading webhooks…' : notice}
        </p>
      </div>
      {error && (
        <p class="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {!site && <p class="alert">This organization has no site yet, so it has no webhooks.</p>}

      {created && <SecretNotice webhook={created} onDone={() => setCreated(undefined)} />}

      {site && !loading && (
        <section class="card table-card" aria-labelledby="webhooks-title">
          <h2 id="webhooks-title">Webhooks</h2>
          {webhooks.length === 0 ? (
            <p class="table-card-note muted">
              None yet. Add one below to receive each lead as a signed JSON POST.
            </p>
          ) : (
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Address</th>
                  <th scope="col">Events</th>
                  <th scope="col">Created</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {webhooks.map((webhook) => (
                  <tr key={webhook.id}>
                    <th scope="row" class="text-value">
                      {webhook.url}
                    </th>
                    <td>
                      {webhook.events.map((type) => (
                        <code key={type} class="tag">
                          {type}
                        </code>
                      ))}
                    </td>
                    <td>
                      <time dateTime={webhook.createdAt}>{formatDateTime(webhook.createdAt)}</time>
                    </td>
                    <td>
                      <div class="row row-tight">
                        <button
                          type="button"
                          class="button button-small"
                          aria-pressed={logOf === webhook.id}
                          onClick={() => setLogOf(logOf === webhook.id ? undefined : webhook.id)}
                        >
                          Deliveries <span class="visually-hidden">to {webhook.url}</span>
                        </button>
                        {canWrite && (
                          <button
                            type="button"
                            class="button button-small button-danger"
                            onClick={() => remove(webhook)}
                          >
                            Delete <span class="visually-hidden">{webhook.url}</span>
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}

      {shownLog && <DeliveryLog key={shownLog.id} webhook={shownLog} onClose={() => setLogOf(undefined)} />}

      {site && <ReadOnlyNote capability="write" />}
      {site && canWrite && (
        <form class="card" noValidate onSubmit={create} aria-labelledby="new-webhook-title" aria-busy={busy}>
          <h2 id="new-webhook-title">New webhook</h2>
          {formError && (
            <p class="alert alert-error" role="alert">
              {formError}
            </p>
          )}
          <Field
            path="url"
            label="Address (URL)"
            errors={errors}
            hint="An http(s) address of your system that answers 2xx. Each event is tried up to six times over about 15 minutes."
          >
            {(control) => (
              <input
                {...control}
                type="url"
                inputMode="url"
                spellcheck={false}
                placeholder="https://crm.example/hooks/promo"
                value={url}
                onInput={(event) => setUrl(event.currentTarget.value)}
              />
            )}
          </Field>
          <fieldset
            class={eventsError ? 'field plain field-invalid' : 'field plain'}
            aria-describedby={eventsError ? 'field-events-error' : undefined}
          >
            <legend>Events</legend>
            {eventTypes.map((type) => (
              <label key={type} class="checkbox">
                <input
                  type="checkbox"
                  checked={events.includes(type)}
                  onChange={(event) => toggle(type, event.currentTarget.checked)}
                />
                <span>
                  <code>{type}</code> · {eventLabels[type]}
                </span>
              </label>
            ))}
            {eventsError && (
              <p class="field-error" id="field-events-error">
                {eventsError}
              </p>
            )}
          </fieldset>
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create webhook'}
          </button>
        </form>
      )}
    </div>
  )
}
