import { describe, expect, it } from 'vitest'
import type { Analytics } from '../api'
import { emptyTotals } from '../testing/analytics'
import {
  chartableMetrics,
  defaultChartMetrics,
  frequencyBars,
  funnelBars,
  timeChart,
  timeRows,
} from './shape'

const brief = (impressions: number, clicks: number) => ({
  impressions,
  viewableImpressions: impressions,
  clicks,
  ctr: impressions > 0 ? clicks / impressions : 0,
  conversions: 0,
  revenue: 0,
})

function analytics(overrides: Partial<Analytics> = {}): Analytics {
  return {
    campaignId: 'c1',
    type: 'awareness',
    from: '2025-01-01T00:00:00.000Z',
    to: '2025-01-03T00:00:00.000Z',
    interval: 'day',
    model: 'last_touch',
    totals: emptyTotals(),
    reachExact: true,
    series: [
      { t: '2025-01-01T00:00:00Z', ...brief(10, 1), reach: 8 },
      { t: '2025-01-02T00:00:00Z', ...brief(30, 3), reach: 20 },
    ],
    byVariant: [
      { variantId: 'v1', name: 'Blue', reach: 10, conversionRate: 0, ...brief(15, 1) },
      { variantId: 'v2', name: 'Green', reach: 18, conversionRate: 0, ...brief(25, 3) },
    ],
    variantSeries: [
      {
        variantId: 'v1',
        series: [
          { t: '2025-01-01T00:00:00Z', ...brief(4, 0) },
          { t: '2025-01-02T00:00:00Z', ...brief(11, 1) },
        ],
      },
      {
        variantId: 'v2',
        series: [
          { t: '2025-01-01T00:00:00Z', ...brief(6, 1) },
          { t: '2025-01-02T00:00:00Z', ...brief(19, 2) },
        ],
      },
    ],
    frequencyDistribution: [],
    experiment: { holdoutPercent: 0, bandit: null, srm: null, control: 'v1', comparisons: [], lift: null },
    ...overrides,
  }
}

const impressions = defaultChartMetrics[0]!

describe('timeChart', () => {
  it('gives one line per variant, by name, over the buckets in seconds', () => {
    const chart = timeChart(analytics(), impressions)
    expect(chart.x).toEqual([Date.UTC(2025, 0, 1) / 1000, Date.UTC(2025, 0, 2) / 1000])
    expect(chart.lines).toEqual([
      { label: 'Blue', values: [4, 11] },
      { label: 'Green', values: [6, 19] },
    ])
    expect(timeRows(chart)).toEqual([
      [expect.stringContaining('2025'), '4', '6'],
      [expect.stringContaining('2025'), '11', '19'],
    ])
  })

  it('falls back to one line for the campaign with a single variant, or a metric only the campaign’s series has', () => {
    const single = analytics({ variantSeries: analytics().variantSeries.slice(0, 1) })
    expect(timeChart(single, impressions).lines).toEqual([{ label: 'All variants', values: [10, 30] }])

    const withRate = analytics({
      series: analytics().series.map((point, i) => ({ ...point, engagementRate: [0.1, 0.2][i] })),
    })
    const rate = { key: 'engagementRate', label: 'Engagement rate', kind: 'rate' } as const
    const chart = timeChart(withRate, rate)
    expect(chart.lines).toEqual([{ label: 'All variants', values: [0.1, 0.2] }])
    expect(timeRows(chart).map((row) => row[1])).toEqual(['10%', '20%'])
  })
})

describe('chartableMetrics', () => {
  it('offers the shared metrics and a type’s own once its series carry them, each once', () => {
    const own = [
      { key: 'engagementRate', label: 'Engagement rate', kind: 'rate' as const },
      { key: 'clicks', label: 'Clicks again', kind: 'count' as const },
    ]
    expect(chartableMetrics(analytics(), own).map((m) => m.key)).toEqual(
      defaultChartMetrics.map((m) => m.key),
    )
    const withRate = analytics({
      series: analytics().series.map((point) => ({ ...point, engagementRate: 0.1 })),
    })
    expect(chartableMetrics(withRate, own).map((m) => m.key)).toEqual([
      ...defaultChartMetrics.map((m) => m.key),
      'engagementRate',
    ])
  })
})

describe('bars', () => {
  it('reads a funnel step against the first step and the step before, without dividing by zero', () => {
    const bars = funnelBars({
      id: 'f',
      title: 'Checkout',
      unit: 'Visitors',
      steps: [
        { label: 'Cart', value: 0 },
        { label: 'Paid', value: 0 },
      ],
    })
    expect(bars.map((bar) => bar.text)).toEqual(['0', '0 (0% of the first step, 0% of the step before)'])
  })

  it('labels the last frequency bucket “or more” and gives each bucket its share of people', () => {
    expect(
      frequencyBars([
        { impressions: 1, visitors: 3, orMore: false },
        { impressions: 20, visitors: 1, orMore: true },
      ]),
    ).toEqual([
      { label: '1', value: 3, text: '3 (75%)' },
      { label: '20 or more', value: 1, text: '1 (25%)' },
    ])
  })
})
