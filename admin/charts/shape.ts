import type { Analytics } from '../api'
import { formatAmount, formatCount, formatDay, formatRate } from '../format'

/** How a chart's values read: counts, fractions shown as percentages, or amounts. */
export type ValueKind = 'count' | 'rate' | 'amount'

/** A number each series bucket carries (`impressions`, `ctr`, or one a type adds), to chart over time. */
export interface ChartMetric {
  key: string
  label: string
  kind: ValueKind
}

/** What every campaign can chart over time, when its type names none of its own. */
export const defaultChartMetrics: readonly ChartMetric[] = [
  { key: 'impressions', label: 'Impressions', kind: 'count' },
  { key: 'viewableImpressions', label: 'Viewable impressions', kind: 'count' },
  { key: 'clicks', label: 'Clicks', kind: 'count' },
  { key: 'ctr', label: 'CTR', kind: 'rate' },
  { key: 'conversions', label: 'Conversions', kind: 'count' },
  { key: 'revenue', label: 'Revenue', kind: 'amount' },
]

export function formatValue(kind: ValueKind, value: number | null): string {
  if (value === null) return '–'
  if (kind === 'rate') return formatRate(value)
  if (kind === 'amount') return formatAmount(value)
  return formatCount(value)
}

export interface Line {
  label: string
  values: (number | null)[]
}

/** A chart's data with its x values: seconds since the epoch for a time series, positions for bars. */
export interface TimeChart {
  /** Bucket starts, in seconds (uPlot's unit). */
  x: number[]
  /** The bucket starts as the API sent them, for the table. */
  t: string[]
  lines: Line[]
  kind: ValueKind
}

const numberAt = (bucket: Record<string, unknown> | undefined, key: string): number | null => {
  const value = bucket?.[key]
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

/**
 * One metric over the period: one line per variant when there are several and the variants' series carry the
 * metric, else one line for the whole campaign.
 */
export function timeChart(analytics: Analytics, metric: ChartMetric): TimeChart {
  const t = analytics.series.map((point) => point.t)
  const x = t.map((iso) => Math.floor(Date.parse(iso) / 1000))
  const names = new Map(analytics.byVariant.map((variant) => [variant.variantId, variant.name]))
  const perVariant = analytics.variantSeries ?? []
  const overlay =
    perVariant.length > 1 &&
    perVariant.every(
      (variant) =>
        variant.series.length === t.length &&
        variant.series.every(
          (point, i) => point.t === t[i] && numberAt(point as Record<string, unknown>, metric.key) !== null,
        ),
    )
  const lines: Line[] = overlay
    ? perVariant.map((variant) => ({
        label: names.get(variant.variantId) ?? 'Variant',
        values: variant.series.map((point) => numberAt(point as Record<string, unknown>, metric.key)),
      }))
    : [
        {
          label: 'All variants',
          values: analytics.series.map((point) => numberAt(point as Record<string, unknown>, metric.key)),
        },
      ]
  return { x, t, lines, kind: metric.kind }
}

/** The metrics a campaign's series can chart: the type's own where their data came, else the shared ones. */
export function chartableMetrics(
  analytics: Analytics,
  declared: readonly ChartMetric[] | undefined,
): ChartMetric[] {
  const wanted = [...defaultChartMetrics, ...(declared ?? [])]
  const first = analytics.series[0] as Record<string, unknown> | undefined
  const seen = new Set<string>()
  return wanted.filter((metric) => {
    if (seen.has(metric.key)) return false
    seen.add(metric.key)
    return first === undefined || numberAt(first, metric.key) !== null
  })
}

/** A table's rows for a time chart: the day, then each line's value. */
export function timeRows(chart: TimeChart): string[][] {
  return chart.t.map((iso, i) => [
    formatDay(iso),
    ...chart.lines.map((line) => formatValue(chart.kind, line.values[i] ?? null)),
  ])
}

/** One bar of a bar chart: a funnel step, a frequency bucket. */
export interface Bar {
  label: string
  value: number
  /** The value as shown, e.g. "120 (60%)". */
  text: string
}

/** A step-by-step count a type declares (a form's views → starts → submits), drawn as bars. */
export interface Funnel {
  id: string
  title: string
  description?: string
  /** What the bars count ("Visitors"). */
  unit: string
  steps: { label: string; value: number }[]
}

/** A funnel's steps as bars, each with its share of the first step and of the step before. */
export function funnelBars(funnel: Funnel): Bar[] {
  const first = funnel.steps[0]?.value ?? 0
  return funnel.steps.map((step, i) => {
    if (i === 0) return { label: step.label, value: step.value, text: formatCount(step.value) }
    const previous = funnel.steps[i - 1]!.value
    const ofFirst = first > 0 ? step.value / first : 0
    const ofPrevious = previous > 0 ? step.value / previous : 0
    return {
      label: step.label,
      value: step.value,
      text: `${formatCount(step.value)} (${formatRate(ofFirst)} of the first step, ${formatRate(ofPrevious)} of the step before)`,
    }
  })
}

/** Visitors by how many impressions they had, the last bucket "20 or more", with each bucket's share. */
export function frequencyBars(rows: Analytics['frequencyDistribution']): Bar[] {
  const people = rows.reduce((sum, row) => sum + row.visitors, 0)
  return rows.map((row) => ({
    label: row.orMore ? `${row.impressions} or more` : String(row.impressions),
    value: row.visitors,
    text: `${formatCount(row.visitors)} (${formatRate(people > 0 ? row.visitors / people : 0)})`,
  }))
}
