import { useEffect, useState } from 'preact/hooks'
import type { Lead, Site } from '../../../admin/api'
import { GradeBadge } from '../../../admin/badge'
import { ListFooter, useCursorList } from '../../../admin/cursor-list'
import { formatCount, formatDateTime } from '../../../admin/format'
import { Link, navigate, root, useLocation } from '../../../admin/router'
import { SitePicker } from '../../../admin/site-picker'
import { useTitle } from '../../../admin/title'
import { leadsApi, leadsCsvUrl } from './api'
import { campaignName, useLeadCampaigns } from './lead-campaigns'
import {
  filterFormFrom,
  filterSearch,
  grades,
  hasFilters,
  isGrade,
  type LeadFilterForm,
  leadFiltersOf,
} from './lead-filters'
import { PrivacyPanel } from './privacy-panel'

const leads = leadsApi()

const pageSize = 50

interface LeadsPageProps {
  sites: Site[]
  site: Site | undefined
  onSiteChange: (siteId: string) => void
}

/** The site's leads, newest first: filtered by campaign, grade, capture day and email, exported as CSV. */
export function LeadsPage({ sites, site, onSiteChange }: LeadsPageProps) {
  useTitle('Leads')
  const { search } = useLocation()
  const form = filterFormFrom(search)
  const filters = leadFiltersOf(form, site?.id)
  const campaigns = useLeadCampaigns(site?.id)
  const [email, setEmail] = useState(form.q)
  const list = useCursorList<Lead>(
    JSON.stringify(filters),
    (cursor) => leads.listLeads({ ...filters, limit: pageSize, cursor }),
    'The leads could not be loaded.',
  )

  // Back and forward move the filters; the search box follows them.
  useEffect(() => setEmail(form.q), [form.q])

  const apply = (patch: Partial<LeadFilterForm>) =>
    navigate(`${root}/leads${filterSearch({ ...form, ...patch })}`, { replace: true })

  const searchEmail = (event: Event) => {
    event.preventDefault()
    apply({ q: email.trim() })
  }

  const filtered = hasFilters(form)

  return (
    <div class="page">
      <header class="page-header">
        <h1 tabIndex={-1}>Leads</h1>
        <a class="button" href={leadsCsvUrl(filters)} download>
          Export CSV
        </a>
      </header>

      <div class="toolbar">
        <SitePicker sites={sites} site={site} onChange={onSiteChange} />
      </div>

      <form class="card filters" aria-label="Filter leads" noValidate onSubmit={searchEmail}>
        <div class="field">
          <label for="lead-campaign">Campaign</label>
          <select
            id="lead-campaign"
            value={form.campaignId}
            onChange={(event) => apply({ campaignId: event.currentTarget.value })}
          >
            <option value="">All campaigns</option>
            {form.campaignId && !campaigns.some((campaign) => campaign.id === form.campaignId) && (
              <option value={form.campaignId}>{form.campaignId}</option>
            )}
            {campaigns.map((campaign) => (
              <option key={campaign.id} value={campaign.id}>
                {campaign.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="lead-grade">Grade</label>
          <select
            id="lead-grade"
            value={form.grade}
            onChange={(event) => {
              const grade = event.currentTarget.value
              apply({ grade: isGrade(grade) ? grade : '' })
            }}
          >
            <option value="">All grades</option>
            {grades.map((grade) => (
              <option key={grade} value={grade}>
                {grade}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="lead-from">Captured from</label>
          <input
            id="lead-from"
            type="date"
            value={form.from}
            max={form.to || undefined}
            onChange={(event) => apply({ from: event.currentTarget.value })}
          />
        </div>
        <div class="field">
          <label for="lead-to">Captured to</label>
          <input
            id="lead-to"
            type="date"
            value={form.to}
            min={form.from || undefined}
            onChange={(event) => apply({ to: event.currentTarget.value })}
          />
        </div>
        <div class="field filters-search">
          <label for="lead-email">Email starts with</label>
          <div class="row">
            <input
              id="lead-email"
              type="search"
              spellcheck={false}
              autoComplete="off"
              value={email}
              onInput={(event) => setEmail(event.currentTarget.value)}
            />
            <button type="submit" class="button">
              Search
            </button>
          </div>
        </div>
        <p class="field-hint filters-note">Days are UTC; both ends are included.</p>
        {filtered && (
          <button
            type="button"
            class="button button-quiet"
            onClick={() => navigate(`${root}/leads`, { replace: true })}
          >
            Clear filters
          </button>
        )}
      </form>

      {list.items.length > 0 ? (
        <div class="card table-card">
          <table class="table">
            <caption class="visually-hidden">
              {filtered ? 'Leads matching the filters' : 'All leads'}
              {site ? ` on ${site.name}` : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Grade</th>
                <th scope="col" class="numeric">
                  Score
                </th>
                <th scope="col">Campaign</th>
                <th scope="col" class="numeric">
                  Submissions
                </th>
                <th scope="col">First seen</th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((lead) => (
                <tr key={lead.id}>
                  <th scope="row">
                    <Link href={`${root}/leads/${encodeURIComponent(lead.id)}`}>{lead.email}</Link>
                  </th>
                  <td>
                    <GradeBadge grade={lead.grade} />
                  </td>
                  <td class="numeric">{formatCount(lead.score)}</td>
                  <td>{campaignName(campaigns, lead.lastCampaignId)}</td>
                  <td class="numeric">{formatCount(lead.submissionCount)}</td>
                  <td>
                    <time dateTime={lead.createdAt}>{formatDateTime(lead.createdAt)}</time>
                  </td>
                  <td>
                    <time dateTime={lead.updatedAt}>{formatDateTime(lead.updatedAt)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        !list.loading &&
        !list.error && (
          <div class="card empty">
            <h2>{filtered ? 'No leads match these filters' : 'No leads yet'}</h2>
            <p class="muted">
              {filtered
                ? 'Widen the dates, pick another campaign or grade, or clear the filters.'
                : 'Leads appear here when a visitor submits an active lead form.'}
            </p>
          </div>
        )
      )}

      <ListFooter list={list} loadingText="Loading leads…" />

      {site && <PrivacyPanel site={site} onErased={list.reload} />}
    </div>
  )
}
