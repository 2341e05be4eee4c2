import { useEffect, useState } from 'preact/hooks'
import { ApiError, type Lead, type LeadDetail, type Submission } from '../../../admin/api'
import { GradeBadge } from '../../../admin/badge'
import { formatCount, formatDateTime } from '../../../admin/format'
import { Link, root } from '../../../admin/router'
import { useTitle } from '../../../admin/title'
import { leadsApi } from './api'
import { campaignName, type LeadCampaign, useLeadCampaigns } from './lead-campaigns'

const leads = leadsApi()

function leadLoadMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return 'The lead could not be loaded.'
  if (error.status === 404)
    return 'This lead does not exist: it was erased, or it belongs to another organization.'
  return error.message
}

/** The UTM parameters a source can carry, in the order a marketer reads them. */
const utmFields = [
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
] as const satisfies readonly (keyof Lead['source']['utm'])[]

const valueText = (value: string | boolean) => (value === true ? 'Yes' : value === false ? 'No' : value)

function FieldsTable({ fields, label }: { fields: Lead['fields']; label: string }) {
  const entries = Object.entries(fields)
  if (entries.length === 0) return <p class="muted">No fields.</p>
  return (
    <table class="table table-compact">
      <caption class="visually-hidden">{label}</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name}>
            <th scope="row">
              <code>{name}</code>
            </th>
            <td class="text-value">{valueText(value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** Consent as the form sent it: the exact words beside the box, kept with their spacing. */
function Consent({ consent }: { consent: Lead['consent'] }) {
  if (!consent)
    return <p class="muted">This submit said nothing about consent (the form has no consent box).</p>
  return (
    <>
      <dl class="facts">
        <div>
          <dt>Given</dt>
          <dd>{consent.granted ? 'Yes' : 'No'}</dd>
        </div>
        <div>
          <dt>At</dt>
          <dd>
            <time dateTime={consent.at}>{formatDateTime(consent.at)}</time>
          </dd>
        </div>
      </dl>
      {consent.text === null ? (
        <p class="muted">No consent text was stored.</p>
      ) : (
        <blockquote class="consent-text">{consent.text}</blockquote>
      )}
    </>
  )
}

/** Where a submit came from: the page, its referrer and the UTM parameters of the page's address. */
function Source({ source }: { source: Lead['source'] }) {
  const utm = utmFields.filter((field) => source.utm[field])
  return (
    <dl class="facts">
      <div class="fact-wide">
        <dt>Page</dt>
        <dd class="text-value">{source.url ?? '—'}</dd>
      </div>
      <div>
        <dt>Referrer</dt>
        <dd class="text-value">{source.referrer ?? '—'}</dd>
      </div>
      {utm.length === 0 ? (
        <div>
          <dt>UTM</dt>
          <dd>None</dd>
        </div>
      ) : (
        utm.map((field) => (
          <div key={field}>
            <dt>
              <code>{field}</code>
            </dt>
            <dd class="text-value">{source.utm[field]}</dd>
          </div>
        ))
      )}
    </dl>
  )
}

function SubmissionCard({
  submission,
  index,
  campaigns,
}: {
  submission: Submission
  index: number
  campaigns: LeadCampaign[]
}) {
  const title = `submission-${submission.id}`
  return (
    <article class="submission" aria-labelledby={title}>
      <h3 id={title}>
        {index + 1}. <time dateTime={submission.createdAt}>{formatDateTime(submission.createdAt)}</time>
        {' · '}
        {campaignName(campaigns, submission.campaignId)}
      </h3>
      <dl class="facts">
        <div>
          <dt>Score of this submit</dt>
          <dd>{formatCount(submission.score)}</dd>
        </div>
        <div>
          <dt>Visitor</dt>
          <dd class="text-value">{submission.anonymousId ?? '—'}</dd>
        </div>
      </dl>
      <h4>Fields</h4>
      <FieldsTable fields={submission.fields} label={`Fields of submission ${index + 1}`} />
      <h4>Consent</h4>
      <Consent consent={submission.consent} />
      <h4>Source</h4>
      <Source source={submission.source} />
    </article>
  )
}

/** One lead: its merged fields, score, consent and source, and every submission as it was made. */
export function LeadPage({ id }: { id: string }) {
  const [lead, setLead] = useState<LeadDetail>()
  const [error, setError] = useState('')
  const campaigns = useLeadCampaigns(lead?.siteId)
  useTitle(lead ? lead.email : 'Lead')

  useEffect(() => {
    let current = true
    leads.getLead(id).then(
      (found) => current && setLead(found),
      (caught) => current && setError(leadLoadMessage(caught)),
    )
    return () => {
      current = false
    }
  }, [id])

  return (
    <div class="page">
      <Link class="back" href={`${root}/leads`}>
        ← Leads
      </Link>
      <header class="page-header">
        <div class="title-row">
          <h1 tabIndex={-1}>{lead ? lead.email : 'Lead'}</h1>
          {lead && <GradeBadge grade={lead.grade} />}
        </div>
      </header>
      {error && (
        <p class="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {!lead && !error && (
        <p class="muted" role="status">
          Loading the lead…
        </p>
      )}
      {lead && (
        <>
          <section class="card" aria-labelledby="lead-summary-title">
            <h2 id="lead-summary-title">Summary</h2>
            <dl class="facts">
              <div>
                <dt>Score</dt>
                <dd>{formatCount(lead.score)}</dd>
              </div>
              <div>
                <dt>Submissions</dt>
                <dd>{formatCount(lead.submissionCount)}</dd>
              </div>
              <div>
                <dt>First seen</dt>
                <dd>
                  <time dateTime={lead.createdAt}>{formatDateTime(lead.createdAt)}</time>
                </dd>
              </div>
              <div>
                <dt>Last seen</dt>
                <dd>
                  <time dateTime={lead.updatedAt}>{formatDateTime(lead.updatedAt)}</time>
                </dd>
              </div>
              <div>
                <dt>First campaign</dt>
                <dd>{campaignName(campaigns, lead.firstCampaignId)}</dd>
              </div>
              <div>
                <dt>Last campaign</dt>
                <dd>{campaignName(campaigns, lead.lastCampaignId)}</dd>
              </div>
            </dl>
          </section>
          <section class="card" aria-labelledby="lead-fields-title">
            <h2 id="lead-fields-title">Fields</h2>
            <p class="muted">Every submit's values merged, the newest winning.</p>
            <FieldsTable fields={lead.fields} label="Fields of the lead" />
          </section>
          <section class="card" aria-labelledby="lead-consent-title">
            <h2 id="lead-consent-title">Consent</h2>
            <Consent consent={lead.consent} />
          </section>
          <section class="card" aria-labelledby="lead-source-title">
            <h2 id="lead-source-title">Source</h2>
            <p class="muted">Where the first submit was made.</p>
            <Source source={lead.source} />
          </section>
          <section class="card" aria-labelledby="lead-submissions-title">
            <h2 id="lead-submissions-title">Submissions ({formatCount(lead.submissions.length)})</h2>
            {lead.submissions.map((submission, index) => (
              <SubmissionCard
                key={submission.id}
                submission={submission}
                index={index}
                campaigns={campaigns}
              />
            ))}
          </section>
        </>
      )}
    </div>
  )
}
