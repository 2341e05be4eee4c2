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
import { BarsChart, TimeSeriesChart } from '../charts/chart'
import { chartableMetrics, type Funnel, frequencyBars, funnelBars, timeChart } from '../charts/shape'
import { type Range, rangeDates, ranges } from '../date-range'
import { ExperimentReadout, StatusNote } from '../experiment-readout'
import { experimentStatus } from '../experiment-status'
import { formatCount, formatDecimal, formatRate } from '../format'
import { KpiCards } from '../kpi-cards'
import { LiftReadout } from '../lift-readout'
import { adminTypeOf } from '../promotions'
import { funnelsFor, kpisFor, stepsFor } from '../results-kpis'
import { navigate, useLocation } from '../router'
import { useTitle } from '../title'

/** The API's attribution models (schema/attribution.ts), in the order a marketer meets them. */
const modelLabels: Record<AttributionModel, string> = {
  last_touch: 'Last touch',
  first_touch: 'First touch',
  linear: 'Linear',
  time_decay: 'Time decay',
  position_based: 'Position-based',
}
const models = Object.keys(modelLabels) as AttributionModel[]

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

/** The type's KPIs over the period, one line per variant, one metric at a time. */
function OverTime({
  analytics,
  metric,
  onMetric,
}: {
  analytics: Analytics
  metric: string
  onMetric: (key: string) => void
}) {
  const metrics = chartableMetrics(analytics, adminTypeOf(analytics.type)?.chartMetrics)
  const shown = metrics.find((option) => option.key === metric) ?? metrics[0]
  const chart = useMemo(() => (shown ? timeChart(analytics, shown) : undefined), [analytics, shown])
  if (!shown || !chart) return null
  return (
    <section class="card" aria-labelledby="series-title">
      <div class="section-header">
        <h2 id="series-title">Over time</h2>
        <div class="field field-inline">
          <label for="results-metric">Show</label>
          <select
            id="results-metric"
            value={shown.key}
            onChange={(event) => onMetric(event.currentTarget.value)}
          >
            {metrics.map((option) => (
              <option key={option.key} value={option.key}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <TimeSeriesChart
        chart={chart}
        caption={`${shown.label} by day (UTC)${chart.lines.length > 1 ? ', one line per variant' : ''}`}
      />
    </section>
  )
}

/** A funnel the campaign's type declares, as bars with each step's share. */
function FunnelChart({ funnel }: { funnel: Funnel }) {
  return (
    <section class="card" aria-labelledby={funnel.id}>
      <h2 id={funnel.id}>{funnel.title}</h2>
      {funnel.description && <p class="muted">{funnel.description}</p>}
      <BarsChart
        bars={funnelBars(funnel)}
        caption={`${funnel.title}: ${funnel.unit.toLowerCase()} at each step`}
        labelHeading="Step"
        valueHeading={funnel.unit}
      />
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
  return (
    <section class="card" aria-labelledby="frequency-title">
      <h2 id="frequency-title">How often people saw it</h2>
      <p class="muted">Over the campaign’s whole life, not only this period.</p>
      <BarsChart
        bars={frequencyBars(rows)}
        caption="People by the number of impressions they had"
        labelHeading="Impressions"
        valueHeading="People"
      />
    </section>
  )
}

/** A query parameter among the values it may take, else its default: an edited address never breaks the page. */
function pick<T extends string>(value: string | null, options: readonly T[], fallback: T): T {
  return options.find((option) => option === value) ?? fallback
}

const rangeNames = ranges.map(String) as `${Range}`[]
const defaultMetric = 'impressions'

export function ResultsPage({ id }: { id: string }) {
  const [campaign, setCampaign] = useState<Campaign>()
  // The period, the attribution model and the charted metric live in the address: a reload or a shared link
  // shows the same results, and back and forward step through the choices.
  const { pathname, search } = useLocation()
  const range = Number(pick(search.get('period'), rangeNames, '30')) as Range
  const model = pick(search.get('model'), models, 'last_touch')
  const metric = search.get('metric') ?? defaultMetric
  const setParam = (name: string, value: string, fallback: string) => {
    const params = new URLSearchParams(search)
    if (value === fallback) params.delete(name)
    else params.set(name, value)
    const query = params.toString()
    navigate(query ? `${pathname}?${query}` : pathname)
  }
  const setRange = (days: Range) => setParam('period', String(days), '30')
  const setModel = (option: AttributionModel) => setParam('model', option, 'last_touch')
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
          {analytics.series.length > 0 && (
            <OverTime
              analytics={analytics}
              metric={metric}
              onMetric={(key) => setParam('metric', key, defaultMetric)}
            />
          )}
          {funnelsFor(adminTypeOf(analytics.type), analytics.totals).map((funnel) => (
            <FunnelChart key={funnel.id} funnel={funnel} />
          ))}
          {stepsFor(adminTypeOf(analytics.type), analytics.totals).map((steps) => (
            <BarList key={steps.id} {...steps} />
          ))}
          {(analytics.byVariant.length > 1 || analytics.experiment.holdoutPercent > 0) && (
            <ExperimentReadout experiment={analytics.experiment} variants={analytics.byVariant}>
              <StatusNote status={experimentStatus(analytics.experiment, analytics.byVariant)} />
            </ExperimentReadout>
          )}
          {analytics.experiment.lift && (
            <LiftReadout
              lift={analytics.experiment.lift}
              scope="campaign"
              variants={analytics.experiment.lift.byVariant}
            />
          )}
          <BreakdownTable analytics={analytics} groupBy={groupBy} onChange={setGroupBy} />
          {analytics.frequencyDistribution.length > 0 && (
            <FrequencyDistribution rows={analytics.frequencyDistribution} />
          )}
        </div>
      )}
    </div>
  )
}
