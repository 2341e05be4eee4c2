// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Analytics, Campaign } from '../api'
import { formatPValue } from '../experiment-readout'
import { json, renderInto, settle } from '../test-render'
import { ResultsPage } from './results'

function analytics(experiment: Partial<Analytics['experiment']> = {}): Analytics {
  return {
    totals: {
      impressions: 300,
      viewableImpressions: 200,
      viewableRate: 0.6667,
      reach: 120,
      clicks: 9,
      ctr: 0.03,
    },
    series: [],
    byVariant: [
      {
        variantId: 'v1',
        name: 'A',
        impressions: 250,
        viewableImpressions: 170,
        reach: 100,
        clicks: 8,
        ctr: 0.032,
      },
      {
        variantId: 'v2',
        name: 'B',
        impressions: 50,
        viewableImpressions: 30,
        reach: 20,
        clicks: 1,
        ctr: 0.02,
      },
    ],
    experiment: {
      holdoutPercent: 10,
      bandit: null,
      srm: { chiSquare: 53.3, pValue: 0.0000000029, mismatch: true },
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
  config: { format: 'hero' },
  variants: [],
  createdBy: null,
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-02T00:00:00Z',
}

function stub(body: Analytics) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) =>
      url.startsWith('/api/v1/campaigns/c1/analytics') ? json(200, body) : json(200, campaign),
    ),
  )
}

function variantRows(container: HTMLElement): string[][] {
  const table = container.querySelector('[aria-labelledby="variants-title"] table')
  return [...(table?.querySelectorAll('tbody tr') ?? [])].map((row) =>
    [...row.children].map((cell) => cell.textContent ?? ''),
  )
}

let unmount = () => {}

afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
})

describe('results', () => {
  it('shows reach per variant', async () => {
    stub(analytics())
    const view = renderInto(<ResultsPage id="c1" />)
    unmount = view.unmount
    await settle()

    const headings = [...view.container.querySelectorAll('[aria-labelledby="variants-title"] thead th')]
    expect(headings.map((th) => th.textContent)[1]).toBe('Reach')
    expect(variantRows(view.container).map((row) => [row[0], row[1]])).toEqual([
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
})
