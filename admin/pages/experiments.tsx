import { useEffect, useState } from 'preact/hooks'
import { type Analytics, type AnalyticsQuery, ApiError, api, type Campaign, type Site } from '../api'
import { rangeDates } from '../date-range'
import { ExperimentReadout, StatusNote } from '../experiment-readout'
import { experimentStatus } from '../experiment-status'
import { Link, root } from '../router'
import { SitePicker } from '../site-picker'
import { useTitle } from '../title'

const dayMs = 86_400_000
/** The API answers at most 400 days at once. */
const maxDays = 400
/** Pages of active campaigns read at most (100 each). */
const maxPages = 10

/** A campaign tests something when it splits its visitors between variants or holds some of them out. */
export function isExperiment(campaign: Campaign): boolean {
  return campaign.variants.length >= 2 || (campaign.experiment?.holdoutPercent ?? 0) > 0
}

/** Days from the campaign's creation to today (both counted), at most what the API answers. */
export function daysSince(createdAt: string, now = new Date()): number {
  const start = Date.parse(createdAt)
  if (!Number.isFinite(start)) return 30
  const startDay = Math.floor(start / dayMs)
  const today = Math.floor(now.getTime() / dayMs)
  return Math.min(maxDays, Math.max(1, today - startDay + 1))
}

async function activeCampaigns(siteId: string): Promise<Campaign[]> {
  const all: Campaign[] = []
  let cursor: string | undefined
  for (let page = 0; page < maxPages; page++) {
    const answer = await api.listCampaigns({ siteId, status: 'active', limit: 100, cursor })
    all.push(...answer.data)
    if (!answer.nextCursor) break
    cursor = answer.nextCursor
  }
  return all
}

type Row = { campaign: Campaign; analytics?: Analytics; error?: string }

function Readout({ row }: { row: Row }) {
  const { campaign, analytics, error } = row
  const titleId = `experiment-${campaign.id}`
  const title = (
    <Link href={`${root}/campaigns/${encodeURIComponent(campaign.id)}/results`}>{campaign.name}</Link>
  )
  if (!analytics) {
    return (
      <section class="card" aria-labelledby={titleId}>
        <h2 id={titleId}>{title}</h2>
        {error ? (
          <p class="alert alert-error">{error}</p>
        ) : (
          <p class="muted" role="status">
            Loading its results…
          </p>
        )}
      </section>
    )
  }
  return (
    <ExperimentReadout
      experiment={analytics.experiment}
      variants={analytics.byVariant}
      titleId={titleId}
      title={title}
    >
      <StatusNote status={experimentStatus(analytics.experiment, analytics.byVariant)} />
    </ExperimentReadout>
  )
}

interface ExperimentsPageProps {
  sites: Site[]
  site: Site | undefined
  onSiteChange: (siteId: string) => void
}

/**
 * Every running test of the site: each active campaign with two variants or more, or a holdout, read since it
 * was created (up to 400 days), with its status in plain words and its readout.
 */
export function ExperimentsPage({ sites, site, onSiteChange }: ExperimentsPageProps) {
  useTitle('Experiments')
  const [rows, setRows] = useState<Row[]>([])
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState('')

  useEffect(() => {
    if (!site) {
      setLoading(false)
      return
    }
    let current = true
    setLoading(true)
    setError('')
    setRows([])
    activeCampaigns(site.id).then(
      (campaigns) => {
        if (!current) return
        const tests = campaigns.filter(isExperiment)
        setRows(tests.map((campaign) => ({ campaign })))
        setLoading(false)
        for (const campaign of tests) {
          const query: AnalyticsQuery = {
            ...rangeDates(daysSince(campaign.createdAt)),
            interval: 'day',
            model: 'last_touch',
            groupBy: 'variant',
          }
          const settle = (patch: Partial<Row>) =>
            current &&
            setRows((list) =>
              list.map((row) => (row.campaign.id === campaign.id ? { ...row, ...patch } : row)),
            )
          api.analytics(campaign.id, query).then(
            (analytics) => settle({ analytics }),
            (caught) =>
              settle({
                error: caught instanceof ApiError ? caught.message : 'Its results could not be loaded.',
              }),
          )
        }
      },
      (caught) => {
        if (!current) return
        setError(caught instanceof ApiError ? caught.message : 'The campaigns could not be loaded.')
        setLoading(false)
      },
    )
    return () => {
      current = false
    }
  }, [site?.id])

  return (
    <div class="page">
      <h1 tabIndex={-1}>Experiments</h1>
      <p class="muted">
        Active campaigns that split visitors between variants or hold some out, read since each started.
      </p>
      <div class="toolbar">
        <SitePicker sites={sites} site={site} onChange={onSiteChange} />
        <p class="muted" role="status">
          {loading ? 'Loading experiments…' : ''}
        </p>
      </div>
      {error && (
        <p class="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {!site && <p class="card empty">Create a site first: experiments run on a site’s campaigns.</p>}
      {site && !loading && !error && rows.length === 0 && (
        <p class="card empty">
          No experiment is running on this site. Give an active campaign a second variant, or a holdout under
          its delivery settings, to start one.
        </p>
      )}
      {rows.map((row) => (
        <Readout key={row.campaign.id} row={row} />
      ))}
    </div>
  )
}
