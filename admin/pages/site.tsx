import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { limits } from '../../schema/limits'
import {
  ApiError,
  api,
  type FieldProblem,
  type InstallCheck,
  type SecretKey,
  type Site,
  type SitePatch,
} from '../api'
import { CopyText } from '../copy-text'
import { type ControlProps, errorsFrom, Field, type FieldErrors, fieldId, NumberInput } from '../field'
import { formatDateTime } from '../format'
import { ReadOnlyNote, useMay } from '../permissions'
import { Link, root } from '../router'
import { Snippet } from '../snippet'
import { useTitle } from '../title'
import { typedNumber } from '../typed-number'
import { NewSecretKey } from './sites'

/** How often the install check asks again while the page is open. */
export const installPollMs = 5_000

const messageOf = (caught: unknown, fallback: string) =>
  caught instanceof ApiError ? caught.message : fallback

/** "12 s ago", "5 min ago", "3 h ago", "2 days ago": how long before `now` an ISO time was. */
export function timeAgo(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000))
  if (seconds < 5) return 'just now'
  if (seconds < 60) return `${seconds} s ago`
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`
  const days = Math.floor(seconds / 86_400)
  return `${days} ${days === 1 ? 'day' : 'days'} ago`
}

/** "Is the tag installed?": the latest event the site sent, asked again every few seconds while shown. */
function InstallStatus({ siteId }: { siteId: string }) {
  const [check, setCheck] = useState<{ answer: InstallCheck; at: number }>()
  const [failed, setFailed] = useState('')

  useEffect(() => {
    let current = true
    const ask = () => {
      if (document.visibilityState === 'hidden') return
      api.installCheck(siteId).then(
        (answer) => {
          if (!current) return
          setCheck({ answer, at: Date.now() })
          setFailed('')
        },
        (caught) => current && setFailed(messageOf(caught, 'The install check could not be read.')),
      )
    }
    ask()
    const timer = setInterval(ask, installPollMs)
    return () => {
      current = false
      clearInterval(timer)
    }
  }, [siteId])

  const last = check?.answer.lastEvent
  return (
    <section class="card" aria-labelledby="install-title">
      <h2 id="install-title">Is the tag installed?</h2>
      <p role="status" class={last ? 'install-state install-ok' : 'install-state'}>
        {!check ? (
          'Checking…'
        ) : last ? (
          <>
            <strong>Installed:</strong> last event {timeAgo(last.at, check.at)}
            {last.url ? (
              <>
                {' '}
                from <span class="text-value">{last.url}</span>
              </>
            ) : null}{' '}
            <span class="muted">({last.name})</span>
          </>
        ) : (
          'Waiting for the first event… Open a page of the site with the tag below in it.'
        )}
      </p>
      {failed && <p class="muted">{failed} Trying again in a few seconds.</p>}
      <p class="muted">
        Checked every {installPollMs / 1000} seconds while this page is open (last 30 days).
      </p>
    </section>
  )
}

/** The key pages carry, with its rotation behind a confirm step that says what it breaks. */
function PublishableKey({ site, onRotated }: { site: Site; onRotated: (site: Site) => void }) {
  const canManage = useMay('sites')
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  const [notice, setNotice] = useState('')
  const confirmButton = useRef<HTMLButtonElement>(null)
  const startButton = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    if (confirming) confirmButton.current?.focus()
  }, [confirming])

  const cancel = () => {
    setConfirming(false)
    requestAnimationFrame(() => startButton.current?.focus())
  }

  const rotate = async () => {
    setBusy(true)
    setError('')
    try {
      const updated = await api.rotatePublishableKey(site.id)
      onRotated(updated)
      setConfirming(false)
      setNotice('New publishable key made. Update the tag on every page now.')
      requestAnimationFrame(() => startButton.current?.focus())
    } catch (caught) {
      setError(messageOf(caught, 'The key could not be rotated.'))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section class="card" aria-labelledby="publishable-title">
      <h2 id="publishable-title">Publishable key</h2>
      <p>
        Pages carry it in the tag (<code>data-site</code>); it is public and only works from the allowed
        origins.
      </p>
      <CopyText text={site.publishableKey} label="Copy publishable key" />
      {error && (
        <p class="alert alert-error" role="alert">
          {error}
        </p>
      )}
      <p class="muted" role="status">
        {notice}
      </p>
      {confirming ? (
        <section class="confirm" aria-labelledby="rotate-confirm-title">
          <h3 id="rotate-confirm-title">Rotate the publishable key?</h3>
          <p>
            Every page that still has the old key in its tag stops showing campaigns and stops sending events
            at once, until its tag carries the new key. Cached pages keep the old one until they refresh.
          </p>
          <div class="row">
            <button
              type="button"
              class="button button-danger"
              ref={confirmButton}
              disabled={busy}
              onClick={rotate}
            >
              {busy ? 'Rotating…' : 'Rotate now'}
            </button>
            <button type="button" class="button button-quiet" onClick={cancel}>
              Cancel
            </button>
          </div>
        </section>
      ) : (
        canManage && (
          <button type="button" class="button" ref={startButton} onClick={() => setConfirming(true)}>
            Rotate key…
          </button>
        )
      )}
    </section>
  )
}

/** The site's secret keys: made with a name and shown once, listed by prefix, revoked after a confirm step. */
function SecretKeys({ siteId }: { siteId: string }) {
  const canManage = useMay('sites')
  const [keys, setKeys] = useState<SecretKey[]>()
  const [error, setError] = useState('')
  const [name, setName] = useState('')
  const [problems, setProblems] = useState<FieldProblem[]>([])
  const [busy, setBusy] = useState(false)
  const [created, setCreated] = useState<{ name: string | null; key: string }>()
  const [revoking, setRevoking] = useState<SecretKey>()
  const [notice, setNotice] = useState('')
  const errors = useMemo(() => errorsFrom(problems), [problems])
  const confirmButton = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    let current = true
    api.listSecretKeys(siteId).then(
      (list) => current && setKeys(list.data),
      (caught) => current && setError(messageOf(caught, 'The secret keys could not be loaded.')),
    )
    return () => {
      current = false
    }
  }, [siteId])

  useEffect(() => {
    if (revoking) confirmButton.current?.focus()
  }, [revoking])

  const create = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setError('')
    setNotice('')
    try {
      const { key, ...listed } = await api.createSecretKey(siteId, name.trim() || undefined)
      setKeys((current) => [{ ...listed, revokedAt: null }, ...(current ?? [])])
      setCreated({ name: listed.name, key })
      setName('')
      setProblems([])
    } catch (caught) {
      // The Settings form below has its own `name`: this one is shown as `keyName`.
      const found = (caught instanceof ApiError ? caught.fieldProblems : []).map((problem) =>
        problem.path === 'name' ? { ...problem, path: 'keyName' } : problem,
      )
      setProblems(found)
      if (found.length === 0) setError(messageOf(caught, 'The key could not be created.'))
    } finally {
      setBusy(false)
    }
  }

  const revoke = async (key: SecretKey) => {
    setBusy(true)
    setError('')
    try {
      await api.revokeSecretKey(siteId, key.id)
      const revokedAt = new Date().toISOString()
      setKeys((current) => current?.map((other) => (other.id === key.id ? { ...other, revokedAt } : other)))
      setNotice(`Key ${key.name ?? key.prefix} revoked: requests signed with it now get 401.`)
      setRevoking(undefined)
    } catch (caught) {
      setError(messageOf(caught, 'The key could not be revoked.'))
    } finally {
      setBusy(false)
    }
  }

  const label = (key: { name: string | null; prefix: string }) => key.name ?? `unnamed key ${key.prefix}`

  return (
    <section class="card" aria-labelledby="secret-keys-title">
      <h2 id="secret-keys-title">Secret keys</h2>
      <p>
        For your servers (conversions, the HTTP API); each one opens this site only. Give each a name that
        says where it is used, so you know which one to revoke.
      </p>
      <p>
        Conversions sent with a <code>test_event_code</code> are never counted: see them in{' '}
        <Link href={`${root}/test-events?siteId=${encodeURIComponent(siteId)}`}>Test events</Link>.
      </p>
      {created && (
        <NewSecretKey
          title={created.name ? `New secret key “${created.name}”` : 'New secret key'}
          secret={created.key}
          onDone={() => setCreated(undefined)}
        />
      )}
      {error && (
        <p class="alert alert-error" role="alert">
          {error}
        </p>
      )}
      <p class="muted" role="status">
        {keys ? notice : 'Loading keys…'}
      </p>
      {revoking && (
        <section class="confirm" aria-labelledby="revoke-confirm-title">
          <h3 id="revoke-confirm-title">Revoke “{label(revoking)}”?</h3>
          <p>
            Every server call made with this key is refused (401) from now on. This cannot be undone: a server
            that still needs access needs a new key.
          </p>
          <div class="row">
            <button
              type="button"
              class="button button-danger"
              ref={confirmButton}
              disabled={busy}
              onClick={() => revoke(revoking)}
            >
              Revoke key
            </button>
            <button type="button" class="button button-quiet" onClick={() => setRevoking(undefined)}>
              Cancel
            </button>
          </div>
        </section>
      )}
      {keys && keys.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a box that scrolls sideways on a phone takes the keyboard
        <section class="table-scroll" aria-label="Secret keys list" tabIndex={0}>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Created</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.id}>
                  <th scope="row">{key.name ?? <span class="muted">unnamed</span>}</th>
                  <td>
                    <code>{key.prefix}</code>
                  </td>
                  <td>{formatDateTime(key.createdAt)}</td>
                  <td>{key.revokedAt ? `Revoked ${formatDateTime(key.revokedAt)}` : 'Active'}</td>
                  <td>
                    {!key.revokedAt && canManage && (
                      <button
                        type="button"
                        class="button button-small"
                        onClick={() => {
                          setNotice('')
                          setRevoking(key)
                        }}
                      >
                        Revoke <span class="visually-hidden">{label(key)}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {keys && keys.length === 0 && <p class="muted">No secret key yet.</p>}
      <form class="row-form" noValidate onSubmit={create} aria-label="New secret key" hidden={!canManage}>
        <Field path="keyName" label="Name of the new key" errors={errors} hint="e.g. “Checkout server”">
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
        <button type="submit" class="button" disabled={busy}>
          Create secret key
        </button>
      </form>
    </section>
  )
}

/** A list of short texts (origins, hosts): one input per entry, each with its own error from the API. */
function ListEditor({
  path,
  legend,
  itemLabel,
  placeholder,
  hint,
  values,
  errors,
  onChange,
}: {
  path: string
  legend: string
  itemLabel: string
  placeholder: string
  hint: string
  values: string[]
  errors: FieldErrors
  onChange: (values: string[]) => void
}) {
  const whole = errors.get(path)
  const add = () => {
    onChange([...values, ''])
    requestAnimationFrame(() => document.getElementById(fieldId(`${path}.${values.length}`))?.focus())
  }
  const remove = (index: number) => {
    onChange(values.filter((_, i) => i !== index))
    requestAnimationFrame(() =>
      document
        .getElementById(fieldId(values.length > 1 ? `${path}.${Math.max(0, index - 1)}` : `${path}-add`))
        ?.focus(),
    )
  }
  return (
    <fieldset class="list-editor" aria-describedby={`${fieldId(path)}-hint`}>
      <legend>{legend}</legend>
      <p class="field-hint" id={`${fieldId(path)}-hint`}>
        {hint}
      </p>
      {whole && (
        <p class="field-error" id={`${fieldId(path)}-error`}>
          {whole}
        </p>
      )}
      {values.length === 0 && <p class="muted">None.</p>}
      {values.map((value, index) => (
        <div class="list-editor-row" key={index}>
          <Field path={`${path}.${index}`} label={`${itemLabel} ${index + 1}`} errors={errors}>
            {(control: ControlProps) => (
              <input
                {...control}
                type="text"
                inputMode="url"
                spellcheck={false}
                maxLength={limits.url}
                placeholder={placeholder}
                value={value}
                onInput={(event) =>
                  onChange(values.map((other, i) => (i === index ? event.currentTarget.value : other)))
                }
              />
            )}
          </Field>
          <button type="button" class="button button-small" onClick={() => remove(index)}>
            Remove <span class="visually-hidden">{`${itemLabel} ${index + 1}`}</span>
          </button>
        </div>
      ))}
      <button type="button" class="button button-small" id={fieldId(`${path}-add`)} onClick={add}>
        Add {itemLabel.toLowerCase()}
      </button>
    </fieldset>
  )
}

interface SettingsForm {
  name: string
  allowedOrigins: string[]
  contentImageHosts: string[]
  learnedContent: Site['learnedContent']
  globalHoldoutPercent: string
  clickWindowDays: string
  viewWindowDays: string
  halfLifeDays: string
  first: string
  middle: string
  last: string
  eventsDays: string
  leadsDays: string
  mailDays: string
  webhookDeliveriesDays: string
}

function formOf(site: Site): SettingsForm {
  const { attribution: a, retention: r } = site
  return {
    name: site.name,
    allowedOrigins: [...site.allowedOrigins],
    contentImageHosts: [...site.contentImageHosts],
    learnedContent: site.learnedContent,
    globalHoldoutPercent: String(site.globalHoldoutPercent),
    clickWindowDays: String(a.clickWindowDays),
    viewWindowDays: String(a.viewWindowDays),
    halfLifeDays: String(a.halfLifeDays),
    first: String(a.positionWeights.first),
    middle: String(a.positionWeights.middle),
    last: String(a.positionWeights.last),
    eventsDays: String(r.eventsDays),
    leadsDays: String(r.leadsDays),
    mailDays: String(r.mailDays),
    webhookDeliveriesDays: String(r.webhookDeliveriesDays),
  }
}

/** A number field's text for the API: blank is sent as typed, so the API names the field rather than defaulting it. */
const numberOf = (text: string) =>
  text.trim() === '' ? (text as unknown as number) : (typedNumber(text) as number)

function patchOf(form: SettingsForm): SitePatch {
  return {
    name: form.name.trim(),
    allowedOrigins: form.allowedOrigins.map((origin) => origin.trim()).filter(Boolean),
    contentImageHosts: form.contentImageHosts.map((host) => host.trim()).filter(Boolean),
    learnedContent: form.learnedContent,
    globalHoldoutPercent: numberOf(form.globalHoldoutPercent),
    attribution: {
      clickWindowDays: numberOf(form.clickWindowDays),
      viewWindowDays: numberOf(form.viewWindowDays),
      halfLifeDays: numberOf(form.halfLifeDays),
      positionWeights: {
        first: numberOf(form.first),
        middle: numberOf(form.middle),
        last: numberOf(form.last),
      },
    },
    retention: {
      eventsDays: numberOf(form.eventsDays),
      leadsDays: numberOf(form.leadsDays),
      mailDays: numberOf(form.mailDays),
      webhookDeliveriesDays: numberOf(form.webhookDeliveriesDays),
    },
  }
}

/**
 * Blank entries are dropped before saving, so the API's `allowedOrigins.2` counts kept entries: this maps it
 * back to the row the marketer sees.
 */
function rowProblems(problems: FieldProblem[], form: SettingsForm): FieldProblem[] {
  const rows = (list: string[]) => list.flatMap((value, index) => (value.trim() ? [index] : []))
  const kept = { allowedOrigins: rows(form.allowedOrigins), contentImageHosts: rows(form.contentImageHosts) }
  return problems.map(({ path, message }) => {
    const [list, index, ...rest] = path.split('.')
    if (
      (list === 'allowedOrigins' || list === 'contentImageHosts') &&
      index !== undefined &&
      /^\d+$/.test(index)
    ) {
      const row = kept[list][Number(index)]
      if (row !== undefined) return { path: [list, row, ...rest].join('.'), message }
    }
    return { path, message }
  })
}

const numberFields: {
  path: string
  key: keyof SettingsForm
  label: string
  min: number
  max: number
  step: number | 'any'
  hint: string
}[][] = [
  [
    {
      path: 'attribution.clickWindowDays',
      key: 'clickWindowDays',
      label: 'Click window (days)',
      min: 1,
      max: 90,
      step: 'any',
      hint: 'A conversion this long after a click is credited to it. 1 to 90.',
    },
    {
      path: 'attribution.viewWindowDays',
      key: 'viewWindowDays',
      label: 'View window (days)',
      min: 0,
      max: 30,
      step: 'any',
      hint: 'After a view without a click. 0 turns view-through credit off.',
    },
    {
      path: 'attribution.halfLifeDays',
      key: 'halfLifeDays',
      label: 'Time-decay half-life (days)',
      min: 0,
      max: 90,
      step: 'any',
      hint: 'For the time-decay model: a touch this much older counts half.',
    },
  ],
  [
    {
      path: 'retention.eventsDays',
      key: 'eventsDays',
      label: 'Raw events (days)',
      min: 30,
      max: 3650,
      step: 1,
      hint: 'Dashboards keep their totals whatever this says. 30 to 3650.',
    },
    {
      path: 'retention.leadsDays',
      key: 'leadsDays',
      label: 'Leads (days)',
      min: 1,
      max: 3650,
      step: 1,
      hint: 'Counted from a lead’s last submission.',
    },
    {
      path: 'retention.mailDays',
      key: 'mailDays',
      label: 'Sent mail (days)',
      min: 1,
      max: 3650,
      step: 1,
      hint: 'The outbox’s copies.',
    },
    {
      path: 'retention.webhookDeliveriesDays',
      key: 'webhookDeliveriesDays',
      label: 'Webhook delivery log (days)',
      min: 1,
      max: 3650,
      step: 1,
      hint: 'The record of each delivery.',
    },
  ],
]

const weightFields = [
  { key: 'first', label: 'First touch share' },
  { key: 'middle', label: 'Middle touches share' },
  { key: 'last', label: 'Last touch share' },
] as const

/** Name, origins, image hosts, learned content, attribution and retention: one form, one PATCH. */
function Settings({ site, onSaved }: { site: Site; onSaved: (site: Site) => void }) {
  const canManage = useMay('sites')
  const [form, setForm] = useState(() => formOf(site))
  const [problems, setProblems] = useState<FieldProblem[]>([])
  const [formError, setFormError] = useState('')
  const [notice, setNotice] = useState('')
  const [busy, setBusy] = useState(false)
  const errors = useMemo(() => errorsFrom(problems), [problems])
  const update = (patch: Partial<SettingsForm>) => setForm((current) => ({ ...current, ...patch }))
  const formRef = useRef<HTMLFormElement>(null)

  const save = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setFormError('')
    setNotice('')
    try {
      const saved = await api.updateSite(site.id, patchOf(form))
      setForm(formOf(saved))
      setProblems([])
      setNotice('Settings saved.')
      onSaved(saved)
    } catch (caught) {
      const found = caught instanceof ApiError ? rowProblems(caught.fieldProblems, form) : []
      setProblems(found)
      setFormError(
        found.length > 0
          ? `Not saved: ${found.length === 1 ? 'one field needs' : `${found.length} fields need`} a fix (marked below).`
          : messageOf(caught, 'The settings could not be saved.'),
      )
      // The first control marked invalid gets the focus; a problem of a whole group, its first control.
      const first = found[0]?.path
      if (first)
        requestAnimationFrame(() => {
          const form = formRef.current
          const target =
            form?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
            document.getElementById(fieldId(`${first}.0`)) ??
            document.getElementById(fieldId(`${first}.first`))
          target?.focus()
        })
    } finally {
      setBusy(false)
    }
  }

  const weightsError = errors.get('attribution.positionWeights')

  return (
    <form
      class="card site-settings"
      ref={formRef}
      noValidate
      onSubmit={save}
      aria-labelledby="settings-title"
      aria-busy={busy}
    >
      <h2 id="settings-title">Settings</h2>
      {formError && (
        <p class="alert alert-error" role="alert">
          {formError}
        </p>
      )}
      <fieldset class="plain" disabled={!canManage}>
        <Field path="name" label="Site name" errors={errors}>
          {(control) => (
            <input
              {...control}
              type="text"
              maxLength={limits.name}
              value={form.name}
              onInput={(event) => update({ name: event.currentTarget.value })}
            />
          )}
        </Field>
        <ListEditor
          path="allowedOrigins"
          legend="Allowed origins"
          itemLabel="Origin"
          placeholder="https://shop.example"
          hint="The scheme and host (and port) of every address the tag runs on, without a path. Requests from anywhere else are refused."
          values={form.allowedOrigins}
          errors={errors}
          onChange={(allowedOrigins) => update({ allowedOrigins })}
        />
        <ListEditor
          path="contentImageHosts"
          legend="Content image hosts"
          itemLabel="Image host"
          placeholder="cdn.shop.example"
          hint="Hosts the images of pages learned into the content catalog may come from, e.g. your CDN."
          values={form.contentImageHosts}
          errors={errors}
          onChange={(contentImageHosts) => update({ contentImageHosts })}
        />
        <Field
          path="learnedContent"
          label="Learned content"
          errors={errors}
          hint="When pages the tag reads into the content catalog are used: once several visitors saw the same, or only after you approve them."
        >
          {(control) => (
            <select
              {...control}
              value={form.learnedContent}
              onChange={(event) =>
                update({ learnedContent: event.currentTarget.value as Site['learnedContent'] })
              }
            >
              <option value="corroborated">Once several visitors saw it</option>
              <option value="approval">Only after my approval</option>
            </select>
          )}
        </Field>
        <Field
          path="globalHoldoutPercent"
          label="Global holdout (%)"
          errors={errors}
          hint="A share of visitors (0 to 50%) who see no campaign at all, always the same people: the overview then reads what all your campaigns together add."
        >
          {(control) => (
            <NumberInput
              control={control}
              min={0}
              max={50}
              step="any"
              value={form.globalHoldoutPercent}
              onInput={(value) => update({ globalHoldoutPercent: value })}
            />
          )}
        </Field>

        <fieldset class="plain">
          <legend>Attribution</legend>
          <p class="field-hint">
            Applies to conversions from now on; the results’ model picker chooses among the models.
          </p>
          <div class="grid-2">
            {numberFields[0]!.map((field) => (
              <Field key={field.path} path={field.path} label={field.label} errors={errors} hint={field.hint}>
                {(control) => (
                  <NumberInput
                    control={control}
                    min={field.min}
                    max={field.max}
                    step={field.step}
                    value={form[field.key] as string}
                    onInput={(value) => update({ [field.key]: value })}
                  />
                )}
              </Field>
            ))}
          </div>
          <fieldset class="plain">
            <legend>Position-based shares</legend>
            <p class="field-hint" id={`${fieldId('attribution.positionWeights')}-hint`}>
              How the position-based model splits a conversion: first, the touches between, last. They add up
              to 1.
            </p>
            {weightsError && (
              <p class="field-error" id={`${fieldId('attribution.positionWeights')}-error`}>
                {weightsError}
              </p>
            )}
            <div class="grid-2">
              {weightFields.map(({ key, label }) => (
                <Field key={key} path={`attribution.positionWeights.${key}`} label={label} errors={errors}>
                  {(control) => (
                    <NumberInput
                      control={control}
                      min={0}
                      max={1}
                      step="any"
                      value={form[key]}
                      onInput={(value) => update({ [key]: value })}
                    />
                  )}
                </Field>
              ))}
            </div>
          </fieldset>
        </fieldset>

        <fieldset class="plain">
          <legend>Retention</legend>
          <p class="field-hint">How long raw data is kept before the daily sweep deletes it.</p>
          <div class="grid-2">
            {numberFields[1]!.map((field) => (
              <Field key={field.path} path={field.path} label={field.label} errors={errors} hint={field.hint}>
                {(control) => (
                  <NumberInput
                    control={control}
                    min={field.min}
                    max={field.max}
                    step={field.step}
                    value={form[field.key] as string}
                    onInput={(value) => update({ [field.key]: value })}
                  />
                )}
              </Field>
            ))}
          </div>
        </fieldset>
      </fieldset>

      <div class="row" hidden={!canManage}>
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save settings'}
        </button>
        <span class="muted" role="status">
          {notice}
        </span>
      </div>
    </form>
  )
}

/** One site: is its tag installed, the tag itself, its keys and its settings. */
export function SitePage({ id, onSiteChange }: { id: string; onSiteChange: (site: Site) => void }) {
  const [site, setSite] = useState<Site>()
  const [error, setError] = useState<{ status: number; message: string }>()
  useTitle(site ? `${site.name} · Sites` : 'Site')

  useEffect(() => {
    let current = true
    api.getSite(id).then(
      (loaded) => current && setSite(loaded),
      (caught) =>
        current &&
        setError({
          status: caught instanceof ApiError ? caught.status : 0,
          message: messageOf(caught, 'The site could not be loaded.'),
        }),
    )
    return () => {
      current = false
    }
  }, [id])

  const changed = (updated: Site) => {
    setSite(updated)
    onSiteChange(updated)
  }

  return (
    <div class="page">
      <Link class="back" href={`${root}/sites`}>
        ← All sites
      </Link>
      <header class="page-header">
        <h1 tabIndex={-1}>{site ? site.name : error?.status === 404 ? 'Site not found' : 'Site'}</h1>
      </header>
      {error && (
        <p class="alert alert-error" role="alert">
          {error.status === 404 ? 'There is no such site in this organization.' : error.message}
        </p>
      )}
      {!site && !error && (
        <p class="muted" role="status">
          Loading…
        </p>
      )}
      {site && (
        <>
          <ReadOnlyNote capability="sites" />
          <InstallStatus siteId={site.id} />
          <Snippet site={site} />
          <PublishableKey site={site} onRotated={changed} />
          <SecretKeys siteId={site.id} />
          <Settings key={site.id} site={site} onSaved={changed} />
        </>
      )}
    </div>
  )
}
