import { useEffect, useMemo, useState } from 'preact/hooks'
import type { AttributionModel } from '../../schema/attribution'
import {
  type Analytics,
  type AnalyticsQuery,
  ApiError,
  analyticsCsvUrl,
  api,
  type Breakdown,
  type Brief,
  type Campaign,
} from '../api'
import { BarList } from '../bar-list'
import { CampaignHeader, campaignLoadMessage } from '../campaign-header'
import { type Range, rangeDates, ranges } from '../date-range'
import { ExperimentReadout } from '../experiment-readout'
import { formatCount, formatDay, formatDecimal, formatRate } from '../format'
import { KpiCards } from '../kpi-cards'
import { adminTypeOf } from '../promotions'
import { kpisFor, stepsFor } from '../results-kpis'
import { useTitle } from '../title'

/** The API's attribution models (schema/attribution.ts), in the order a marketer meets them. */
const modelLabels: Record<AttributionModel, string> = {
  last_touch: 'Last touch',
  first_touch: 'First touch',
  linear: 'Linear',
  time_decay: 'Time decay',
  position_based: 'Position-based',
}

const breakdownLabels: Record<Breakdown, string> = {
  variant: 'Variant',
  device: 'Device',
  country: 'Country',
}

let countryNames: Intl.DisplayNames | undefined

/** A two-letter country code as its name where the browser knows it; anything else as sent. */
function countryName(code: string): string {
  try {
    countryNames ??= new Intl.DisplayNames(undefined, { type: 'region' })
    return (/^[A-Z]{2}$/.test(code) && countryNames.of(code)) || code
  } catch {
    return code
  }
}

function rowLabel(groupBy: Breakdown, key: string, name: string | undefined): string {
  if (groupBy === 'variant') return name ?? key
  if (!key || key === 'unknown') return 'Unknown'
  if (groupBy === 'country') return countryName(key)
  return key.charAt(0).toUpperCase() + key.slice(1)
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

function MetricCells({ row }: { row: Brief }) {
  return (
    <>
      <td class="numeric">{formatCount(row.impressions)}</td>
      <td class="numeric">{formatCount(row.viewableImpressions)}</td>
      <td class="numeric">{formatCount(row.clicks)}</td>
      <td class="numeric">{formatRate(row.ctr)}</td>
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
              <MetricCells row={point} />
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

interface BreakdownProps {
  analytics: Analytics
  groupBy: Breakdown
  onChange: (groupBy: Breakdown) => void
}

/** The period's numbers split by variant, device or country; variants also show whom they reached. */
function BreakdownTable({ analytics, groupBy, onChange }: BreakdownProps) {
  // While another breakdown loads, the table keeps showing the one it has.
  const shown = analytics.groupBy ?? 'variant'
  const byVariant = shown === 'variant'
  const reach = new Map(analytics.byVariant.map((variant) => [variant.variantId, variant.reach]))
  const rows =
    analytics.groups ?? analytics.byVariant.map((variant) => ({ ...variant, key: variant.variantId }))
  return (
    <section class="card table-card" aria-labelledby="breakdown-title">
      <div class="section-header">
        <h2 id="breakdown-title">By {breakdownLabels[shown].toLowerCase()}</h2>
        <fieldset class="segmented">
          <legend class="visually-hidden">Break down by</legend>
          {(Object.keys(breakdownLabels) as Breakdown[]).map((option) => (
            <label key={option}>
              <input
                type="radio"
                name="results-breakdown"
                value={option}
                checked={groupBy === option}
                onChange={() => onChange(option)}
              />
              <span>{breakdownLabels[option]}</span>
            </label>
          ))}
        </fieldset>
      </div>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">{breakdownLabels[shown]}</th>
            {byVariant && (
              <th scope="col" class="numeric">
                Reach
              </th>
            )}
            <MetricHeadings />
            <th scope="col" class="numeric">
              Conversions
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{rowLabel(shown, row.key, row.name)}</th>
              {byVariant && <td class="numeric">{formatCount(reach.get(row.key) ?? 0)}</td>}
              <MetricCells row={row} />
              <td class="numeric">{formatDecimal(row.conversions)}</td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={byVariant ? 7 : 6} class="muted">
                Nothing in this period yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  )
}

function FrequencyDistribution({ rows }: { rows: Analytics['frequencyDistribution'] }) {
  const people = rows.reduce((sum, row) => sum + row.visitors, 0)
  return (
    <BarList
      id="frequency-title"
      title="How often people saw it"
      description="Over the campaign’s whole life, not only this period."
      labelHeading="Impressions"
      valueHeading="People"
      rows={rows.map((row) => ({
        label: row.orMore ? `${row.impressions} or more` : String(row.impressions),
        value: row.visitors,
        text: `${formatCount(row.visitors)} (${formatRate(people > 0 ? row.visitors / people : 0)})`,
      }))}
    />
  )
}

export function ResultsPage({ id }: { id: string }) {
  const [campaign, setCampaign] = useState<Campaign>()
  const [range, setRange] = useState<Range>(30)
  const [model, setModel] = useState<AttributionModel>('last_touch')
  const [groupBy, setGroupBy] = useState<Breakdown>('variant')
  const [analytics, setAnalytics] = useState<Analytics>()
  const [loading, setLoading] = useState(true)
  const [campaignError, setCampaignError] = useState('')
  const [error, setError] = useState('')
  useTitle(campaign ? `Results: ${campaign.name}` : 'Results')

  const query = useMemo<AnalyticsQuery>(
    () => ({ ...rangeDates(range), interval: 'day', model, groupBy }),
    [range, model, groupBy],
  )

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
    api.analytics(id, query).then(
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
  }, [id, query])

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
        <div class="field field-inline">
          <label for="results-model">Attribution</label>
          <select
            id="results-model"
            value={model}
            onChange={(event) => setModel(event.currentTarget.value as AttributionModel)}
          >
            {(Object.keys(modelLabels) as AttributionModel[]).map((option) => (
              <option key={option} value={option}>
                {modelLabels[option]}
              </option>
            ))}
          </select>
        </div>
        <p class="muted" role="status">
          {loading ? 'Loading results…' : ''}
        </p>
        <a class="button button-small toolbar-end" href={analyticsCsvUrl(id, query)} download>
          Download CSV
        </a>
      </div>
      {(campaignError || error) && (
        <p class="alert alert-error" role="alert">
          {campaignError || error}
        </p>
      )}
      {analytics && (
        <div class={loading ? 'results results-stale' : 'results'}>
          <KpiCards label="Key results" kpis={kpisFor(adminTypeOf(analytics.type), analytics.totals)} />
          {analytics.totals.impressions === 0 && (
            <p class="card empty">
              No impressions in this period yet. They appear here once the campaign is active and the script
              tag is on the site.
            </p>
          )}
          {stepsFor(adminTypeOf(analytics.type), analytics.totals).map((steps) => (
            <BarList key={steps.id} {...steps} />
          ))}
          {(analytics.byVariant.length > 1 || analytics.experiment.holdoutPercent > 0) && (
            <ExperimentReadout experiment={analytics.experiment} variants={analytics.byVariant} />
          )}
          <BreakdownTable analytics={analytics} groupBy={groupBy} onChange={setGroupBy} />
          {analytics.frequencyDistribution.length > 0 && (
            <FrequencyDistribution rows={analytics.frequencyDistribution} />
          )}
          {analytics.series.length > 0 && <Series series={analytics.series} />}
        </div>
      )}
    </div>
  )
}
