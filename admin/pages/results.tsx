import { useEffect, useState } from 'preact/hooks'
import { type Analytics, ApiError, api, type Campaign } from '../api'
import { CampaignHeader, campaignLoadMessage } from '../campaign-header'
import { ExperimentReadout } from '../experiment-readout'
import { formatCount, formatDay, formatRate } from '../format'
import { useTitle } from '../title'

const ranges = [7, 30, 90] as const
type Range = (typeof ranges)[number]
const dayMs = 86_400_000

/** Whole UTC days, today included, so the series buckets line up with the API's days. */
export function rangeDates(days: number, now = new Date()): { from: string; to: string } {
  const startOfToday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  return {
    from: new Date(startOfToday - (days - 1) * dayMs).toISOString(),
    to: new Date(startOfToday + dayMs).toISOString(),
  }
}

function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0
}

function Kpis({ totals }: { totals: Analytics['totals'] }) {
  const items = [
    ['Impressions', formatCount(totals.impressions)],
    ['Viewable impressions', formatCount(totals.viewableImpressions)],
    ['Viewable rate', formatRate(totals.viewableRate)],
    ['Reach', formatCount(totals.reach)],
    ['Clicks', formatCount(totals.clicks)],
    ['CTR', formatRate(totals.ctr)],
  ] as const
  return (
    <dl class="kpis">
      {items.map(([label, value]) => (
        <div class="card kpi" key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  )
}

/** The four metric columns both tables share. */
function MetricHeadings() {
  return (
    <>
      <th scope="col" class="numeric">
        Impressions
      </th>
      <th scope="col" class="numeric">
        Viewable
      </th>
      <th scope="col" class="numeric">
        Clicks
      </th>
      <th scope="col" class="numeric">
        CTR
      </th>
    </>
  )
}

function Series({ series }: { series: Analytics['series'] }) {
  const peak = Math.max(1, ...series.map((point) => point.impressions))
  return (
    <section class="card table-card" aria-labelledby="series-title">
      <h2 id="series-title">By day</h2>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Day (UTC)</th>
            <MetricHeadings />
            <th scope="col" class="bar-column">
              <span class="visually-hidden">Impressions and viewable impressions, as bars</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {series.map((point) => (
            <tr key={point.t}>
              <th scope="row">
                <time dateTime={point.t}>{formatDay(point.t)}</time>
              </th>
              <td class="numeric">{formatCount(point.impressions)}</td>
              <td class="numeric">{formatCount(point.viewableImpressions)}</td>
              <td class="numeric">{formatCount(point.clicks)}</td>
              <td class="numeric">{formatRate(share(point.clicks, point.impressions))}</td>
              <td class="bar-column" aria-hidden="true">
                <div class="bar">
                  <div class="bar-fill" style={{ width: `${(point.impressions / peak) * 100}%` }} />
                  <div
                    class="bar-fill bar-viewable"
                    style={{ width: `${(point.viewableImpressions / peak) * 100}%` }}
                  />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

function ByVariant({ variants }: { variants: Analytics['byVariant'] }) {
  return (
    <section class="card table-card" aria-labelledby="variants-title">
      <h2 id="variants-title">By variant</h2>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Variant</th>
            <th scope="col" class="numeric">
              Reach
            </th>
            <MetricHeadings />
          </tr>
        </thead>
        <tbody>
          {variants.map((variant) => (
            <tr key={variant.variantId}>
              <th scope="row">{variant.name}</th>
              <td class="numeric">{formatCount(variant.reach)}</td>
              <td class="numeric">{formatCount(variant.impressions)}</td>
              <td class="numeric">{formatCount(variant.viewableImpressions)}</td>
              <td class="numeric">{formatCount(variant.clicks)}</td>
              <td class="numeric">{formatRate(variant.ctr)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

export function ResultsPage({ id }: { id: string }) {
  const [campaign, setCampaign] = useState<Campaign>()
  const [range, setRange] = useState<Range>(30)
  const [analytics, setAnalytics] = useState<Analytics>()
  const [loading, setLoading] = useState(true)
  const [campaignError, setCampaignError] = useState('')
  const [error, setError] = useState('')
  useTitle(campaign ? `Results: ${campaign.name}` : 'Results')

  useEffect(() => {
    let current = true
    api.getCampaign(id).then(
      (loaded) => current && setCampaign(loaded),
      (caught) => current && setCampaignError(campaignLoadMessage(caught)),
    )
    return () => {
      current = false
    }
  }, [id])

  useEffect(() => {
    let current = true
    setLoading(true)
    api.analytics(id, { ...rangeDates(range), interval: 'day' }).then(
      (loaded) => {
        if (!current) return
        setAnalytics(loaded)
        setError('')
        setLoading(false)
      },
      (caught) => {
        if (!current) return
        setError(caught instanceof ApiError ? caught.message : 'The results could not be loaded.')
        setLoading(false)
      },
    )
    return () => {
      current = false
    }
  }, [id, range])

  return (
    <div class="page">
      <CampaignHeader id={id} campaign={campaign} current="results" onChange={setCampaign} />
      <div class="toolbar">
        <div class="field field-inline">
          <label for="results-range">Period</label>
          <select
            id="results-range"
            value={String(range)}
            onChange={(event) => setRange(Number(event.currentTarget.value) as Range)}
          >
            {ranges.map((days) => (
              <option key={days} value={String(days)}>
                Last {days} days
              </option>
            ))}
          </select>
        </div>
        <p class="muted" role="status">
          {loading ? 'Loading results…' : ''}
        </p>
      </div>
      {(campaignError || error) && (
        <p class="alert alert-error" role="alert">
          {campaignError || error}
        </p>
      )}
      {analytics && (
        <div class={loading ? 'results results-stale' : 'results'}>
          <Kpis totals={analytics.totals} />
          {analytics.totals.impressions === 0 && (
            <p class="card empty">
              No impressions in this period yet. They appear here once the campaign is active and the script
              tag is on the site.
            </p>
          )}
          {analytics.series.length > 0 && <Series series={analytics.series} />}
          {analytics.byVariant.length > 1 && <ByVariant variants={analytics.byVariant} />}
          {(analytics.byVariant.length > 1 || analytics.experiment.holdoutPercent > 0) && (
            <ExperimentReadout experiment={analytics.experiment} />
          )}
        </div>
      )}
    </div>
  )
}
