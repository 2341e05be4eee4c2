// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { liftReadout } from '../../api/core/lift'
import type { CampaignType } from '../../schema/campaign'
import type { Analytics, Campaign } from '../api'
import { comparisonSentence, formatPValue } from '../experiment-readout'
import { emptyTotals } from '../testing/analytics'
import { json, renderInto, settle } from '../testing/render'
import { ResultsPage } from './results'

// uPlot draws on a canvas, which happy-dom has not: the drawing module stands in with what it was handed.
vi.mock('../charts/uplot-chart', () => ({
  LineChart: ({ chart }: { chart: { lines: { label: string; values: (number | null)[] }[] } }) => (
    <div class="drawn-line-chart" data-lines={JSON.stringify(chart.lines)} />
  ),
  BarChart: ({ bars }: { bars: { label: string; value: number }[] }) => (
    <div class="drawn-bar-chart" data-bars={JSON.stringify(bars.map((bar) => [bar.label, bar.value]))} />
  ),
}))

const arm = (visitors: number, converters: number) => ({
  visitors,
  converters,
  revenue: converters * 40,
  revenueSquares: converters * 1600,
})

function analytics(
  experiment: Partial<Analytics['experiment']> = {},
  type: CampaignType = 'awareness',
): Analytics {
  return {
    campaignId: 'c1',
    type,
    from: '2025-01-01T00:00:00.000Z',
    to: '2025-01-31T00:00:00.000Z',
    interval: 'day',
    model: 'last_touch',
    totals: emptyTotals({
      impressions: 300,
      viewableImpressions: 200,
      viewableRate: 0.6667,
      reach: 120,
      frequency: 2.5,
      clicks: 9,
      ctr: 0.03,
      conversions: 6,
      revenue: 240,
      aov: 40,
      rpv: 2,
    }),
    reachExact: true,
    series: [
      {
        t: '2025-01-30T00:00:00Z',
        impressions: 100,
        viewableImpressions: 60,
        clicks: 3,
        ctr: 0.03,
        conversions: 2,
        revenue: 80,
        reach: 50,
      },
      {
        t: '2025-01-31T00:00:00Z',
        impressions: 200,
        viewableImpressions: 140,
        clicks: 6,
        ctr: 0.03,
        conversions: 4,
        revenue: 160,
        reach: 90,
      },
    ],
    variantSeries: [
      {
        variantId: 'v1',
        series: [
          {
            t: '2025-01-30T00:00:00Z',
            impressions: 80,
            viewableImpressions: 50,
            clicks: 2,
            ctr: 0.025,
            conversions: 1,
            revenue: 40,
          },
          {
            t: '2025-01-31T00:00:00Z',
            impressions: 170,
            viewableImpressions: 120,
            clicks: 6,
            ctr: 0.0353,
            conversions: 2,
            revenue: 80,
          },
        ],
      },
      {
        variantId: 'v2',
        series: [
          {
            t: '2025-01-30T00:00:00Z',
            impressions: 20,
            viewableImpressions: 10,
            clicks: 1,
            ctr: 0.05,
            conversions: 1,
            revenue: 40,
          },
          {
            t: '2025-01-31T00:00:00Z',
            impressions: 30,
            viewableImpressions: 20,
            clicks: 0,
            ctr: 0,
            conversions: 1,
            revenue: 40,
          },
        ],
      },
    ],
    byVariant: [
      {
        variantId: 'v1',
        name: 'A',
        impressions: 250,
        viewableImpressions: 170,
        reach: 100,
        clicks: 8,
        ctr: 0.032,
        conversions: 3,
        revenue: 120,
        conversionRate: 0.03,
      },
      {
        variantId: 'v2',
        name: 'B',
        impressions: 50,
        viewableImpressions: 30,
        reach: 20,
        clicks: 1,
        ctr: 0.02,
        conversions: 3,
        revenue: 120,
        conversionRate: 0.15,
      },
    ],
    groupBy: 'variant',
    groups: [
      {
        key: 'v1',
        name: 'A',
        impressions: 250,
        viewableImpressions: 170,
        clicks: 8,
        ctr: 0.032,
        conversions: 3,
        revenue: 120,
      },
      {
        key: 'v2',
        name: 'B',
        impressions: 50,
        viewableImpressions: 30,
        clicks: 1,
        ctr: 0.02,
        conversions: 3,
        revenue: 120,
      },
    ],
    frequencyDistribution: [
      { impressions: 1, visitors: 80, orMore: false },
      { impressions: 2, visitors: 30, orMore: false },
      { impressions: 20, visitors: 10, orMore: true },
    ],
    experiment: {
      holdoutPercent: 10,
      bandit: null,
      srm: { chiSquare: 53.3, pValue: 0.0000000029, mismatch: true },
      control: 'v1',
      comparisons: [
        {
          variantId: 'v2',
          metric: 'conversionRate',
          difference: 0.12,
          ci95: { low: -0.003, high: 0.31 },
          lift: 4,
          significant: false,
        },
      ],
      lift: null,
      ...experiment,
    },
  }
}

const campaign: Campaign = {
  id: 'c1',
  siteId: 's1',
  name: 'Spring',
  type: 'awareness',
  status: 'active',
  objective: null,
  priority: 0,
  weight: 1,
  placements: ['home-hero'],
  schedule: { timezone: 'UTC' },
  targeting: {},
  frequency: { countOn: 'viewable' },
  experiment: { holdoutPercent: 10 },
  pacing: null,
  cost: null,
  config: { format: 'hero' },
  variants: [],
  createdBy: null,
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-02T00:00:00Z',
}

function stub(body: Analytics | ((url: string) => Analytics)) {
  const fetch = vi.fn(async (url: string) =>
    url.startsWith('/api/v1/campaigns/c1/analytics')
      ? json(200, typeof body === 'function' ? body(url) : body)
      : json(200, campaign),
  )
  vi.stubGlobal('fetch', fetch)
  return fetch
}

function breakdownRows(container: HTMLElement): string[][] {
  const table = container.querySelector('[aria-labelledby="breakdown-title"] table')
  return [...(table?.querySelectorAll('tbody tr') ?? [])].map((row) =>
    [...row.children].map((cell) => cell.textContent ?? ''),
  )
}

let unmount = () => {}

afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
  history.replaceState(null, '', '/')
})

function tableRows(scope: Element | null | undefined): string[][] {
  return [...(scope?.querySelectorAll('tbody tr') ?? [])].map((row) =>
    [...row.children].map((cell) => cell.textContent ?? ''),
  )
}

function choose(select: HTMLSelectElement, value: string) {
  act(() => {
    select.value = value
    select.dispatchEvent(new Event('change', { bubbles: true }))
  })
}

describe('results', () => {
  it('shows reach per variant', async () => {
    stub(analytics())
    const view = renderInto(<ResultsPage id="c1" />)
    unmount = view.unmount
    await settle()

    const headings = [...view.container.querySelectorAll('[aria-labelledby="breakdown-title"] thead th')]
    expect(headings.map((th) => th.textContent)[1]).toBe('Reach')
    expect(breakdownRows(view.container).map((row) => [row[0], row[1]])).toEqual([
      ['A', '100'],
      ['B', '20'],
    ])
  })

  it('warns that the split cannot be trusted when the sample ratio is off, with its p-value', async () => {
    stub(analytics())
    const view = renderInto(<ResultsPage id="c1" />)
    unmount = view.unmount
    await settle()

    const readout = view.container.querySelector('[aria-labelledby="experiment-title"]')
    expect(readout?.textContent).toContain('10% of visitors see nothing')
    expect(readout?.textContent).toContain('By variant weight')
    const warning = readout?.querySelector('[role="alert"]')?.textContent
    expect(warning).toContain('Sample ratio mismatch (p < 0.0001)')
    expect(warning).toContain('do not trust these results')
    expect(readout?.querySelector('.experiment-status strong')?.textContent).toBe(
      'Sample ratio mismatch: check the setup',
    )
  })

  it('reads the campaign’s lift against its holdout in sentences', async () => {
    const lift = {
      ...liftReadout(arm(9000, 900), arm(1000, 50), 10, 900),
      windowDays: 7,
      byVariant: [],
      series: [],
    }
    stub(analytics({ lift }))
    const view = renderInto(<ResultsPage id="c1" />)
    unmount = view.unmount
    await settle()

    const readout = view.container.querySelector('[aria-labelledby="lift-title"]')
    expect(readout?.textContent).toContain('Showing this campaign added 450 conversions (95% interval')
    expect(readout?.textContent).toContain('Each incremental conversion cost 2.00.')
    expect(readout?.querySelector('[role="alert"]')).toBeNull()
  })

  it('reports a passed split check, and none under a bandit', async () => {
    stub(analytics({ srm: { chiSquare: 0.4, pValue: 0.53, mismatch: false } }))
    const passed = renderInto(<ResultsPage id="c1" />)
    unmount = passed.unmount
    await settle()
    expect(passed.container.querySelector('[role="alert"]')).toBeNull()
    expect(passed.container.textContent).toContain('Split check passed')
    expect(passed.container.textContent).toContain('p = 0.53')
    unmount()

    stub(analytics({ holdoutPercent: 0, bandit: { metric: 'click' }, srm: null }))
    const bandit = renderInto(<ResultsPage id="c1" />)
    unmount = bandit.unmount
    await settle()
    const readout = bandit.container.querySelector('[aria-labelledby="experiment-title"]')?.textContent
    expect(readout).toContain('None: every visitor it targets can see it')
    expect(readout).toContain('traffic shifts to the variant with more clicks')
    expect(readout).toContain('No split check: a bandit moves traffic on purpose')
  })

  it('formats p-values to two significant digits, with tiny ones as a bound', () => {
    expect(formatPValue(0.0004321)).toBe('p = 0.00043')
    expect(formatPValue(0)).toBe('p < 0.0001')
    expect(formatPValue(1)).toBe('p = 1.0')
  })

  it('reads each variant against the control in plain words, with its 95% interval', () => {
    const base = { variantId: 'v2', metric: 'conversionRate', lift: null } as const
    expect(
      comparisonSentence('A', 'B', {
        ...base,
        difference: 0.012,
        ci95: { low: -0.003, high: 0.027 },
        significant: false,
      }),
    ).toBe('B converts 1.2 points better than A (95% interval \u22120.3 to +2.7): not yet conclusive')
    expect(
      comparisonSentence('A', 'C', {
        ...base,
        difference: -0.025,
        ci95: { low: -0.04, high: -0.01 },
        significant: true,
      }),
    ).toBe('C converts 2.5 points worse than A (95% interval \u22124.0 to \u22121.0): conclusive')
    expect(
      comparisonSentence('A', 'B', {
        ...base,
        difference: 0.0001,
        ci95: { low: -0.02, high: 0.02 },
        significant: false,
      }),
    ).toBe('B converts about as well as A (95% interval \u22122.0 to +2.0): not yet conclusive')
    expect(comparisonSentence('A', 'B', { ...base, difference: null, ci95: null, significant: false })).toBe(
      'B cannot be compared with A yet: one of them has reached nobody.',
    )
  })

  it('shows each variant’s conversion rate and the comparison with the control by name', async () => {
    stub(analytics())
    const view = renderInto(<ResultsPage id="c1" />)
    unmount = view.unmount
    await settle()

    const readout = view.container.querySelector('[aria-labelledby="experiment-title"]')
    const rows = [...(readout?.querySelectorAll('tbody tr') ?? [])].map((row) =>
      [...row.children].map((cell) => cell.textContent),
    )
    expect(rows).toEqual([
      ['A (control)', '100', '3', '3%'],
      ['B', '20', '3', '15%'],
    ])
    expect(readout?.querySelector('li')?.textContent).toBe(
      'B converts 12.0 points better than A (95% interval \u22120.3 to +31.0): not yet conclusive',
    )
  })

  it('shows the KPIs of the campaign’s type, with — and the reason where no cost is set', async () => {
    stub(analytics({}, 'remarketing'))
    const view = renderInto(<ResultsPage id="c1" />)
    unmount = view.unmount
    await settle()

    const cards = [...view.container.querySelectorAll('[aria-label="Key results"] .kpi')].map((card) =>
      [...card.children].map((part) => part.textContent),
    )
    expect(cards.map(([label]) => label)).toEqual([
      'Impressions',
      'Reach',
      'Clicks',
      'CTR',
      'Audience size',
      'Reach in audience',
      'Recovery rate',
      'Conversions',
      'Revenue',
      'ROAS',
      'Cost per acquisition',
    ])
    expect(cards.find(([label]) => label === 'ROAS')).toEqual(['ROAS', '—', 'Add the cost under Settings'])
    expect(view.container.querySelector('[aria-labelledby="video-title"]')).toBeNull()
  })

  it('offers the same query as a CSV download, following the period, model and breakdown', async () => {
    const fetch = stub((url) => {
      const groupBy = new URL(url, 'http://admin.test').searchParams.get('groupBy')
      if (groupBy !== 'device') return analytics()
      const device = analytics().groups![0]!
      return { ...analytics(), groupBy: 'device', groups: [{ ...device, key: 'mobile', name: undefined }] }
    })
    const view = renderInto(<ResultsPage id="c1" />)
    unmount = view.unmount
    await settle()

    const link = () => view.container.querySelector<HTMLAnchorElement>('a[download]')
    expect(link()?.textContent).toBe('Download CSV')
    const first = new URL(link()!.getAttribute('href')!, 'http://admin.test')
    expect(first.pathname).toBe('/api/v1/campaigns/c1/analytics')
    expect(Object.fromEntries(first.searchParams)).toMatchObject({
      interval: 'day',
      model: 'last_touch',
      groupBy: 'variant',
      format: 'csv',
    })

    const model = view.container.querySelector<HTMLSelectElement>('#results-model')!
    act(() => {
      model.value = 'linear'
      model.dispatchEvent(new Event('change', { bubbles: true }))
    })
    const device = view.container.querySelector<HTMLInputElement>(
      'input[name="results-breakdown"][value="device"]',
    )!
    act(() => {
      device.checked = true
      device.dispatchEvent(new Event('change', { bubbles: true }))
    })
    await settle()

    const asked = String(fetch.mock.calls.at(-1)?.[0])
    expect(link()?.getAttribute('href')).toBe(`${asked}&format=csv`)
    expect(asked).toContain('model=linear')
    expect(asked).toContain('groupBy=device')
    expect(breakdownRows(view.container)).toEqual([['Mobile', '250', '170', '8', '3.2%', '3']])
  })

  it('shows how often people saw it as a table too, the last bucket as “or more”', async () => {
    stub(analytics())
    const view = renderInto(<ResultsPage id="c1" />)
    unmount = view.unmount
    await settle()

    const list = view.container.querySelector('[aria-labelledby="frequency-title"]')
    const rows = [...(list?.querySelectorAll('tbody tr') ?? [])].map((row) =>
      [...row.children].slice(0, 2).map((cell) => cell.textContent),
    )
    expect(rows).toEqual([
      ['1', '80 (66.67%)'],
      ['2', '30 (25%)'],
      ['20 or more', '10 (8.33%)'],
    ])
  })
})

describe('results of a type from the registry', () => {
  it('shows an engagement campaign’s own KPI cards, poll results and comments by status', async () => {
    const base = analytics({}, 'engagement')
    stub({
      ...base,
      totals: {
        ...base.totals,
        interactions: {
          ...base.totals.interactions,
          reactions: 12,
          comments: 6,
          shares: 4,
          votes: 20,
          shareLandings: 10,
        },
        ...{
          engagementRate: 0.0733,
          shareRate: 0.0133,
          amplification: 2.5,
          pollParticipation: 0.1,
          pollResults: [
            { id: 'red', label: 'Red <i>hot</i>', votes: 15 },
            { id: 'blue', label: 'Blue', votes: 5 },
          ],
          commentsByStatus: { pending: 3, published: 6, rejected: 1 },
        },
      },
    })
    const view = renderInto(<ResultsPage id="c1" />)
    unmount = view.unmount
    await settle()

    const cards = [...view.container.querySelectorAll('.kpi')].map((card) => [
      card.querySelector('dt')?.textContent,
      card.querySelector('dd')?.textContent,
    ])
    expect(cards.slice(4)).toEqual([
      ['Engagements', '42'],
      ['Engagement rate', '7.33%'],
      ['Share rate', '1.33%'],
      ['Amplification', '2.5'],
      ['Poll participation', '10%'],
    ])
    const poll = view.container.querySelector('[aria-labelledby="poll-title"]')
    expect(poll?.textContent).toContain('Red <i>hot</i>')
    expect(poll?.querySelector('i')).toBeNull()
    expect(poll?.textContent).toContain('15 (75%)')
    const comments = view.container.querySelector('[aria-labelledby="comments-title"]')
    expect(comments?.textContent).toContain('Waiting for approval')
  })
})

describe('results charts', () => {
  it('draws the chosen metric over time with one line per variant, and the same numbers as a table', async () => {
    stub(analytics())
    const view = renderInto(<ResultsPage id="c1" />)
    unmount = view.unmount
    await settle()

    const section = view.container.querySelector('[aria-labelledby="series-title"]')!
    const drawn = section.querySelector<HTMLElement>('.drawn-line-chart')
    expect(JSON.parse(drawn?.dataset.lines ?? '[]')).toEqual([
      { label: 'A', values: [80, 170] },
      { label: 'B', values: [20, 30] },
    ])
    expect([...section.querySelectorAll('.chart-legend li')].map((li) => li.textContent)).toEqual(['A', 'B'])
    expect(section.querySelector('details summary')?.textContent).toBe('Show the numbers as a table')
    expect([...section.querySelectorAll('details thead th')].map((th) => th.textContent)).toEqual([
      'Day (UTC)',
      'A',
      'B',
    ])
    expect(tableRows(section).map((row) => row.slice(1))).toEqual([
      ['80', '20'],
      ['170', '30'],
    ])

    choose(section.querySelector<HTMLSelectElement>('#results-metric')!, 'ctr')
    await settle()
    expect(location.search).toBe('?metric=ctr')
    expect(
      tableRows(view.container.querySelector('[aria-labelledby="series-title"]')).map((row) => row.slice(1)),
    ).toEqual([
      ['2.5%', '5%'],
      ['3.53%', '0%'],
    ])
  })

  it('keeps the period and the attribution model in the address, and follows back and forward', async () => {
    history.replaceState(null, '', '/admin/campaigns/c1/results?period=7&model=linear')
    const fetch = stub(analytics())
    const view = renderInto(<ResultsPage id="c1" />)
    unmount = view.unmount
    await settle()

    const asked = () => new URL(String(fetch.mock.calls.at(-1)?.[0]), 'http://admin.test').searchParams
    expect(view.container.querySelector<HTMLSelectElement>('#results-range')?.value).toBe('7')
    expect(view.container.querySelector<HTMLSelectElement>('#results-model')?.value).toBe('linear')
    expect(asked().get('model')).toBe('linear')
    const days = (Date.parse(asked().get('to')!) - Date.parse(asked().get('from')!)) / 86_400_000
    expect(days).toBe(7)

    choose(view.container.querySelector<HTMLSelectElement>('#results-model')!, 'first_touch')
    await settle()
    expect(location.search).toBe('?period=7&model=first_touch')
    expect(asked().get('model')).toBe('first_touch')

    // Back: the address says linear again, and so do the picker and the request.
    act(() => {
      history.replaceState(null, '', '/admin/campaigns/c1/results?period=7&model=linear')
      window.dispatchEvent(new PopStateEvent('popstate'))
    })
    await settle()
    expect(view.container.querySelector<HTMLSelectElement>('#results-model')?.value).toBe('linear')
    expect(asked().get('model')).toBe('linear')

    // The defaults leave the address clean; an edited address falls back to them.
    choose(view.container.querySelector<HTMLSelectElement>('#results-range')!, '30')
    choose(view.container.querySelector<HTMLSelectElement>('#results-model')!, 'last_touch')
    expect(location.search).toBe('')
    act(() => {
      history.replaceState(null, '', '/admin/campaigns/c1/results?period=12&model=nonsense')
      window.dispatchEvent(new PopStateEvent('popstate'))
    })
    await settle()
    expect(view.container.querySelector<HTMLSelectElement>('#results-range')?.value).toBe('30')
    expect(asked().get('model')).toBe('last_touch')
  })

  it('draws a lead form’s funnel from its views, starts and submits, as its type declares', async () => {
    const base = analytics({}, 'lead_generation')
    stub({
      ...base,
      totals: {
        ...base.totals,
        forms: { ...base.totals.forms, views: 200, starts: 80, submits: 20 },
      },
    })
    const view = renderInto(<ResultsPage id="c1" />)
    unmount = view.unmount
    await settle()

    const funnel = view.container.querySelector('[aria-labelledby="form-title"]')
    expect(funnel?.querySelector('h2')?.textContent).toBe('Form')
    expect(JSON.parse(funnel?.querySelector<HTMLElement>('.drawn-bar-chart')?.dataset.bars ?? '[]')).toEqual([
      ['Saw it', 200],
      ['Started', 80],
      ['Sent', 20],
    ])
    expect(tableRows(funnel)).toEqual([
      ['Saw it', '200'],
      ['Started', '80 (40% of the first step, 40% of the step before)'],
      ['Sent', '20 (10% of the first step, 25% of the step before)'],
    ])
  })

  it('draws no funnel for a type that declares none, and none before the form is seen', async () => {
    stub(analytics({}, 'lead_generation'))
    const view = renderInto(<ResultsPage id="c1" />)
    unmount = view.unmount
    await settle()
    expect(view.container.querySelector('[aria-labelledby="form-title"]')).toBeNull()
  })

  it('draws how often people saw it as bars', async () => {
    stub(analytics())
    const view = renderInto(<ResultsPage id="c1" />)
    unmount = view.unmount
    await settle()
    const section = view.container.querySelector('[aria-labelledby="frequency-title"]')
    expect(JSON.parse(section?.querySelector<HTMLElement>('.drawn-bar-chart')?.dataset.bars ?? '[]')).toEqual(
      [
        ['1', 80],
        ['2', 30],
        ['20 or more', 10],
      ],
    )
  })
})
