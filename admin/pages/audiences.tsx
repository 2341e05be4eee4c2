import { useEffect, useMemo, useState } from 'preact/hooks'
import { limits } from '../../schema/limits'
import type { SegmentRule } from '../../schema/segments'
import {
  ApiError,
  type Audience,
  type AudienceSize,
  api,
  audienceExportUrl,
  type CampaignAudience,
  type CustomAudience,
  type FieldProblem,
  type Site,
} from '../api'
import { TimeSeriesChart } from '../charts/chart'
import type { TimeChart } from '../charts/shape'
import { errorsFrom, Field, NumberInput } from '../field'
import { formatCount } from '../format'
import { ReadOnlyNote, useMay } from '../permissions'
import { SitePicker } from '../site-picker'
import { segmentSentence } from '../targeting/describe'
import { RuleBuilder } from '../targeting/rule-builder'
import { isBuildable, segmentDepth, segmentFields } from '../targeting/rules'
import { useTitle } from '../title'
import { typedNumber } from '../typed-number'

const exampleRule = '{ "field": "event", "name": "Purchase", "op": "gte", "count": 3 }'

interface SegmentForm {
  key: string
  name: string
  lookbackDays: string
  /** The rule as the builder holds it; undefined while it has no condition. */
  rule: SegmentRule | undefined
  /** The rule as typed JSON, while the marketer edits it as JSON; null in the builder. */
  ruleText: string | null
}

const emptySegment = (): SegmentForm => ({
  key: '',
  name: '',
  lookbackDays: '30',
  rule: undefined,
  ruleText: null,
})

/**
 * Problems inside the rule are all shown at the rule's textarea, each prefixed with where in the JSON it is
 * (`all.0.op: …`), since the marketer edits the rule as one text.
 */
export function segmentProblems(problems: FieldProblem[]): FieldProblem[] {
  return problems.map(({ path, message }) =>
    path.startsWith('rule.') ? { path: 'rule', message: `${path.slice(5)}: ${message}` } : { path, message },
  )
}

/** An audience's size per day as a one-line chart. */
export function sizeChart(size: AudienceSize, label: string): TimeChart {
  const t = size.series.map((point) => `${point.day}T00:00:00Z`)
  return {
    t,
    x: t.map((iso) => Math.floor(Date.parse(iso) / 1000)),
    lines: [{ label, values: size.series.map((point) => point.size) }],
    kind: 'count',
  }
}

/** When the scheduled run last refreshed an audience, in words. */
export function refreshedText(at: string | null | undefined): string {
  return at ? new Date(at).toLocaleString() : 'not yet'
}

/** The Meta and Google download links of one audience. */
function ExportLinks({ id, name }: { id: string; name: string }) {
  return (
    <span class="actions">
      <a class="button button-small" href={audienceExportUrl(id, 'meta')} download>
        Export for Meta <span class="visually-hidden">{name}</span>
      </a>{' '}
      <a class="button button-small" href={audienceExportUrl(id, 'google')} download>
        Export for Google <span class="visually-hidden">{name}</span>
      </a>
    </span>
  )
}

/** Members per day over the last 30 days of the chosen audience, with its size now and last refresh. */
function SizeOverTime({ id, name }: { id: string; name: string }) {
  const [size, setSize] = useState<AudienceSize>()
  const [error, setError] = useState('')
  useEffect(() => {
    let current = true
    setSize(undefined)
    setError('')
    api.audienceSize(id).then(
      (answer) => current && setSize(answer),
      (caught) =>
        current && setError(caught instanceof ApiError ? caught.message : 'The size could not be loaded.'),
    )
    return () => {
      current = false
    }
  }, [id])
  return (
    <section class="card" aria-labelledby="size-title">
      <h2 id="size-title">Size of “{name}” over time</h2>
      {error && (
        <p class="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {!size && !error && <p class="muted">Loading the size…</p>}
      {size && (
        <>
          <p>
            {formatCount(size.size)} members now; last refreshed {refreshedText(size.refreshedAt)}.
          </p>
          <TimeSeriesChart
            chart={sizeChart(size, 'Members')}
            caption={`Members of ${name} at the end of each day (UTC)`}
          />
        </>
      )}
    </section>
  )
}

interface AudiencesPageProps {
  sites: Site[]
  site: Site | undefined
  onSiteChange: (siteId: string) => void
}

/** The built-in segments every site has, and the site's own: listed, built from rules (or JSON), deleted. */
export function AudiencesPage({ sites, site, onSiteChange }: AudiencesPageProps) {
  useTitle('Audiences')
  const canWrite = useMay('write')
  const [audiences, setAudiences] = useState<Audience[]>([])
  const [campaignAudiences, setCampaignAudiences] = useState<CampaignAudience[]>([])
  const [charted, setCharted] = useState<{ id: string; name: string }>()
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState('')
  const [form, setForm] = useState<SegmentForm>(emptySegment)
  const [problems, setProblems] = useState<FieldProblem[]>([])
  const [formError, setFormError] = useState('')
  const [notice, setNotice] = useState('')
  const [busy, setBusy] = useState(false)
  const errors = useMemo(() => errorsFrom(problems), [problems])

  useEffect(() => {
    if (!site) {
      setLoading(false)
      return
    }
    let current = true
    setLoading(true)
    setError('')
    setCharted(undefined)
    Promise.all([api.listAudiences(site.id), api.listCampaignAudiences(site.id)]).then(
      ([page, own]) => {
        if (!current) return
        setAudiences(page.data)
        setCampaignAudiences(own.data)
        setLoading(false)
      },
      (caught) => {
        if (!current) return
        setError(caught instanceof ApiError ? caught.message : 'The audiences could not be loaded.')
        setLoading(false)
      },
    )
    return () => {
      current = false
    }
  }, [site?.id])

  const update = (patch: Partial<SegmentForm>) => setForm((current) => ({ ...current, ...patch }))
  const builtIns = audiences.filter((audience) => audience.builtIn)
  const custom = audiences.filter((audience): audience is CustomAudience => !audience.builtIn)

  const create = async (event: Event) => {
    event.preventDefault()
    if (!site) return
    setFormError('')
    setNotice('')
    let rule: unknown = form.rule
    if (form.ruleText !== null) {
      try {
        rule = JSON.parse(form.ruleText)
      } catch {
        setProblems([{ path: 'rule', message: 'is not valid JSON' }])
        return
      }
    } else if (!form.rule) {
      setProblems([{ path: 'rule', message: 'add at least one condition' }])
      return
    }
    setBusy(true)
    try {
      const created = await api.createAudience({
        siteId: site.id,
        key: form.key.trim(),
        name: form.name.trim(),
        lookbackDays: typedNumber(form.lookbackDays) ?? 30,
        rule,
      })
      setAudiences((current) => [...current, created])
      setForm(emptySegment())
      setProblems([])
      setNotice(`Segment “${created.name}” created.`)
    } catch (caught) {
      const given = caught instanceof ApiError ? caught.fieldProblems : []
      // In the builder each problem shows at its condition; in JSON, all at the one text box.
      const found = form.ruleText === null ? given : segmentProblems(given)
      setProblems(found)
      if (found.length === 0)
        setFormError(caught instanceof ApiError ? caught.message : 'The segment could not be created.')
    } finally {
      setBusy(false)
    }
  }

  const [ruleNotice, setRuleNotice] = useState('')
  const toggleJson = () => {
    setRuleNotice('')
    if (form.ruleText === null) {
      update({ ruleText: form.rule ? JSON.stringify(form.rule, null, 2) : '' })
      return
    }
    if (form.ruleText.trim() === '') {
      update({ rule: undefined, ruleText: null })
      return
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(form.ruleText)
    } catch {
      setRuleNotice('The JSON does not parse, so it stays here: fix it first.')
      return
    }
    if (!isBuildable(parsed, segmentFields)) {
      setRuleNotice('The builder cannot show this rule: fix it here, or create it to see what the API says.')
      return
    }
    update({ rule: parsed as SegmentRule, ruleText: null })
  }

  const remove = async (audience: CustomAudience) => {
    if (
      !window.confirm(`Delete the segment “${audience.name}”? Campaigns targeting it stop matching anyone.`)
    )
      return
    setNotice('')
    try {
      await api.deleteAudience(audience.id)
      setAudiences((current) => current.filter((other) => other.builtIn || other.id !== audience.id))
      setNotice(`Segment “${audience.name}” deleted.`)
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'The segment could not be deleted.')
    }
  }

  return (
    <div class="page">
      <header class="page-header">
        <h1 tabIndex={-1}>Audiences</h1>
      </header>
      <div class="toolbar">
        <SitePicker sites={sites} site={site} onChange={onSiteChange} />
        <p class="muted" role="status">
          {loading ? 'Loading audiences…' : notice}
        </p>
      </div>
      {error && (
        <p class="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {!site && <p class="alert">This organization has no site yet, so it has no audiences.</p>}

      {builtIns.length > 0 && (
        <section class="card table-card" aria-labelledby="built-in-title">
          <h2 id="built-in-title">Built-in segments</h2>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Segment</th>
                <th scope="col">Key</th>
                <th scope="col">Who is in it</th>
              </tr>
            </thead>
            <tbody>
              {builtIns.map((audience) => (
                <tr key={audience.key}>
                  <th scope="row">{audience.name}</th>
                  <td>
                    <code>{audience.key}</code>
                  </td>
                  <td>{audience.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      {site && !loading && (
        <section class="card table-card" aria-labelledby="custom-title">
          <h2 id="custom-title">Custom segments</h2>
          {custom.length === 0 ? (
            <p class="muted">None yet. Create one below from traits and event counts.</p>
          ) : (
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Segment</th>
                  <th scope="col">Key</th>
                  <th scope="col">Rule</th>
                  <th scope="col" class="numeric">
                    Lookback
                  </th>
                  <th scope="col" class="numeric">
                    Members
                  </th>
                  <th scope="col">Last refresh</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {custom.map((audience) => (
                  <tr key={audience.id}>
                    <th scope="row">{audience.name}</th>
                    <td>
                      <code>{audience.key}</code>
                    </td>
                    <td>
                      {segmentSentence(audience.rule)}
                      <details>
                        <summary>JSON</summary>
                        <code>{JSON.stringify(audience.rule)}</code>
                      </details>
                    </td>
                    <td class="numeric">{audience.lookbackDays} days</td>
                    <td class="numeric">{formatCount(audience.size ?? 0)}</td>
                    <td>{refreshedText(audience.refreshedAt)}</td>
                    <td>
                      <button
                        type="button"
                        class="button button-small"
                        onClick={() => setCharted({ id: audience.id, name: audience.name })}
                      >
                        Size over time <span class="visually-hidden">{audience.name}</span>
                      </button>{' '}
                      <ExportLinks id={audience.id} name={audience.name} />{' '}
                      {canWrite && (
                        <button type="button" class="button button-small" onClick={() => remove(audience)}>
                          Delete <span class="visually-hidden">{audience.name}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}

      {site && !loading && campaignAudiences.length > 0 && (
        <section class="card table-card" aria-labelledby="campaign-audiences-title">
          <h2 id="campaign-audiences-title">Campaign audiences</h2>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Campaign</th>
                <th scope="col">Who is in it</th>
                <th scope="col" class="numeric">
                  Members
                </th>
                <th scope="col">Last refresh</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {campaignAudiences.map((audience) => (
                <tr key={audience.campaignId}>
                  <th scope="row">
                    {audience.name} <span class="muted">({audience.status})</span>
                  </th>
                  <td>
                    <code>{String(audience.audience.kind)}</code>
                  </td>
                  <td class="numeric">{formatCount(audience.size)}</td>
                  <td>{refreshedText(audience.refreshedAt)}</td>
                  <td>
                    <button
                      type="button"
                      class="button button-small"
                      onClick={() => setCharted({ id: audience.campaignId, name: audience.name })}
                    >
                      Size over time <span class="visually-hidden">{audience.name}</span>
                    </button>{' '}
                    <ExportLinks id={audience.campaignId} name={audience.name} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      {site && charted && <SizeOverTime id={charted.id} name={charted.name} />}

      {site && <ReadOnlyNote capability="write" />}
      {site && canWrite && (
        <form class="card" noValidate onSubmit={create} aria-labelledby="new-segment-title" aria-busy={busy}>
          <h2 id="new-segment-title">New segment</h2>
          {formError && (
            <p class="alert alert-error" role="alert">
              {formError}
            </p>
          )}
          <div class="grid-2">
            <Field path="name" label="Name" errors={errors}>
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
            <Field
              path="key"
              label="Key"
              errors={errors}
              hint={
                <>
                  Lower case, digits and _. Target it with <code>segment in [key]</code>.
                </>
              }
            >
              {(control) => (
                <input
                  {...control}
                  type="text"
                  maxLength={64}
                  spellcheck={false}
                  value={form.key}
                  onInput={(event) => update({ key: event.currentTarget.value })}
                />
              )}
            </Field>
          </div>
          <fieldset class="plain segment-rule">
            <legend>Who is in it</legend>
            {form.ruleText === null ? (
              <>
                <p class="muted" aria-live="polite">
                  {form.rule
                    ? segmentSentence(form.rule)
                    : 'Add a condition on a trait or on how often an event was sent.'}
                </p>
                <RuleBuilder
                  value={form.rule}
                  onChange={(rule) => {
                    update({ rule })
                    setProblems((current) => current.filter((problem) => problem.path !== 'rule'))
                  }}
                  fields={segmentFields}
                  maxDepth={segmentDepth}
                  path="rule"
                  label="Who is in it"
                  errors={errors}
                />
              </>
            ) : (
              <Field
                path="rule"
                label="Rule (JSON)"
                errors={errors}
                hint={
                  <>
                    A trait or event-count condition, or <code>all</code> / <code>any</code> /{' '}
                    <code>not</code> groups of them, e.g. <code>{exampleRule}</code>
                  </>
                }
              >
                {(control) => (
                  <textarea
                    {...control}
                    rows={5}
                    spellcheck={false}
                    value={form.ruleText ?? ''}
                    onInput={(event) => update({ ruleText: event.currentTarget.value })}
                  />
                )}
              </Field>
            )}
            <div class="rule-row">
              <button type="button" class="button button-small button-quiet" onClick={toggleJson}>
                {form.ruleText === null ? 'Edit as JSON' : 'Back to the builder'}
              </button>
              {ruleNotice && (
                <span class="field-error" role="alert">
                  {ruleNotice}
                </span>
              )}
            </div>
          </fieldset>
          <Field
            path="lookbackDays"
            label="Lookback (days)"
            errors={errors}
            hint="1 to 365. Event counts cover this many days."
          >
            {(control) => (
              <NumberInput
                control={control}
                min={1}
                max={365}
                value={form.lookbackDays}
                onInput={(lookbackDays) => update({ lookbackDays })}
              />
            )}
          </Field>
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create segment'}
          </button>
        </form>
      )}
    </div>
  )
}
