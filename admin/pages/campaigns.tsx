import { useEffect, useRef, useState } from 'preact/hooks'
import { type CampaignStatus, campaignStatuses } from '../../schema/status'
import { ApiError, api, type Campaign, type Site } from '../api'
import { formatDateTime } from '../format'
import { ReadOnlyNote, useMay } from '../permissions'
import { adminTypes, typeLabel } from '../promotions'
import { Link, navigate, root, useLocation } from '../router'
import { useServedTypes } from '../served-types'
import { SiteOverview } from '../site-overview'
import { SitePicker } from '../site-picker'
import { Snippet } from '../snippet'
import { StatusBadge, statusLabels } from '../status'
import { useTitle } from '../title'

const pageSize = 50

function isStatus(value: string | null): value is CampaignStatus {
  return value !== null && (campaignStatuses as readonly string[]).includes(value)
}

interface CampaignsPageProps {
  sites: Site[]
  site: Site | undefined
  onSiteChange: (siteId: string) => void
}

interface ListState {
  campaigns: Campaign[]
  nextCursor: string | null
  loading: boolean
  error: string
}

export function CampaignsPage({ sites, site, onSiteChange }: CampaignsPageProps) {
  useTitle('Campaigns')
  const canWrite = useMay('write')
  const { search } = useLocation()
  const statusParam = search.get('status')
  const status = isStatus(statusParam) ? statusParam : undefined
  const [list, setList] = useState<ListState>({ campaigns: [], nextCursor: null, loading: true, error: '' })
  const served = useServedTypes()
  const notServed = (type: string) => served?.get(type) === false

  const latest = useRef(0)

  const load = async (cursor?: string) => {
    const request = ++latest.current
    setList((current) => ({ ...current, loading: true, error: '' }))
    try {
      const page = await api.listCampaigns({
        ...(site ? { siteId: site.id } : {}),
        ...(status ? { status } : {}),
        ...(cursor ? { cursor } : {}),
        limit: pageSize,
      })
      if (request !== latest.current) return
      setList((current) => ({
        campaigns: cursor ? [...current.campaigns, ...page.data] : page.data,
        nextCursor: page.nextCursor,
        loading: false,
        error: '',
      }))
    } catch (error) {
      if (request !== latest.current) return
      const message = error instanceof ApiError ? error.message : 'The campaigns could not be loaded.'
      setList((current) => ({ ...current, loading: false, error: message }))
    }
  }

  useEffect(() => {
    setList({ campaigns: [], nextCursor: null, loading: true, error: '' })
    void load()
  }, [site?.id, status])

  const filterBy = (value: string) => {
    navigate(value ? `${root}/campaigns?status=${value}` : `${root}/campaigns`, { replace: true })
  }

  return (
    <div class="page">
      <header class="page-header">
        <h1 tabIndex={-1}>Campaigns</h1>
        {canWrite && (
          <Link class="button button-primary" href={`${root}/campaigns/new`}>
            New campaign
          </Link>
        )}
      </header>
      <ReadOnlyNote capability="write" />

      <div class="toolbar">
        <SitePicker sites={sites} site={site} onChange={onSiteChange} />
        <div class="field field-inline">
          <label for="status-filter">Status</label>
          <select
            id="status-filter"
            value={status ?? ''}
            onChange={(event) => filterBy(event.currentTarget.value)}
          >
            <option value="">All statuses</option>
            {campaignStatuses.map((option) => (
              <option key={option} value={option}>
                {statusLabels[option]}
              </option>
            ))}
          </select>
        </div>
      </div>

      {site && <SiteOverview site={site} />}

      {list.error && (
        <div class="alert alert-error" role="alert">
          <span>{list.error}</span>{' '}
          <button type="button" class="button button-small" onClick={() => load()}>
            Retry
          </button>
        </div>
      )}

      {list.campaigns.length > 0 ? (
        <div class="card table-card">
          <table class="table">
            <caption class="visually-hidden">
              {status ? `${statusLabels[status]} campaigns` : 'All campaigns'}
              {site ? ` on ${site.name}` : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {list.campaigns.map((campaign) => (
                <tr key={campaign.id}>
                  <th scope="row">
                    <Link href={`${root}/campaigns/${encodeURIComponent(campaign.id)}`}>{campaign.name}</Link>
                  </th>
                  <td>
                    {typeLabel(campaign.type)}
                    {notServed(campaign.type) && <span class="muted"> (not shown by this server yet)</span>}
                  </td>
                  <td>
                    <StatusBadge status={campaign.status} />
                  </td>
                  <td>
                    <time dateTime={campaign.updatedAt}>{formatDateTime(campaign.updatedAt)}</time>
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
            <h2>{status ? `No ${statusLabels[status].toLowerCase()} campaigns` : 'No campaigns yet'}</h2>
            <p class="muted">
              {status
                ? 'Try another status, or show them all.'
                : canWrite
                  ? 'Create one of the campaign types below.'
                  : 'None yet: an editor, admin or owner creates them.'}
            </p>
          </div>
        )
      )}

      <p class="list-footer" role="status">
        {list.loading ? 'Loading campaigns…' : ''}
      </p>
      {list.nextCursor && !list.loading && (
        <button type="button" class="button" onClick={() => load(list.nextCursor ?? undefined)}>
          Show more
        </button>
      )}

      <section class="card" aria-labelledby="types-title">
        <h2 id="types-title">Campaign types</h2>
        <ul class="type-list">
          {Object.entries(adminTypes).map(([type, { label, description }]) => (
            <li key={type}>
              {canWrite ? (
                <Link href={`${root}/campaigns/new?type=${encodeURIComponent(type)}`}>
                  New {label.toLowerCase()}
                </Link>
              ) : (
                <strong>{label}</strong>
              )}{' '}
              <span class="muted">
                {description}
                {notServed(type) ? ' Not shown by this server yet.' : ''}
              </span>
            </li>
          ))}
        </ul>
      </section>

      {site ? (
        <Snippet site={site} />
      ) : (
        !list.loading && (
          <p class="alert" role="status">
            This organization has no site yet, so there is no script tag to install.
          </p>
        )
      )}
    </div>
  )
}
