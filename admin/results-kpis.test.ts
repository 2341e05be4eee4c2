import { describe, expect, it } from 'vitest'
import { campaignTypes } from '../schema/campaign'
import { adminTypeOf } from './promotions'
import { funnelsFor, kpisFor as kpisOfType, stepsFor as stepsOfType } from './results-kpis'
import { emptyTotals } from './testing/analytics'

const kpisFor = (type: string, totals: Parameters<typeof kpisOfType>[1]) =>
  kpisOfType(adminTypeOf(type), totals)
const stepsFor = (type: string, totals: Parameters<typeof stepsOfType>[1]) =>
  stepsOfType(adminTypeOf(type), totals)

const labels = (type: string, totals = emptyTotals()) => kpisFor(type, totals).map((kpi) => kpi.label)

describe('results KPIs', () => {
  it('gives every type the common four first, then its own, each once', () => {
    for (const type of campaignTypes) {
      const shown = labels(type)
      expect(shown.slice(0, 4)).toEqual(['Impressions', 'Reach', 'Clicks', 'CTR'])
      expect(shown.length).toBeGreaterThan(4)
      expect(new Set(shown).size).toBe(shown.length)
    }
  })

  it('reads each type by what it is for', () => {
    expect(labels('awareness').slice(4)).toEqual(['Viewable rate', 'Frequency', 'Video plays'])
    expect(labels('traffic').slice(4)).toEqual(['Landing sessions', 'Bounce rate', 'Time on page'])
    expect(labels('engagement').slice(4)).toEqual([
      'Engagements',
      'Engagement rate',
      'Share rate',
      'Amplification',
      'Poll participation',
    ])
    expect(labels('lead_generation').slice(4)).toEqual([
      'Form views',
      'Leads',
      'Abandonment',
      'Cost per lead',
    ])
    expect(labels('sales').slice(4)).toEqual([
      'Revenue',
      'Add-to-cart rate',
      'Checkout rate',
      'Purchase conversion rate',
      'Cart abandonment rate',
      'Average order value',
      'Revenue per visitor',
      'ROAS',
      'Cost per acquisition',
      'Codes revealed',
      'Codes redeemed',
      'Discount given',
    ])
    expect(labels('remarketing').slice(4)).toEqual([
      'Audience size',
      'Reach in audience',
      'Recovery rate',
      'Conversions',
      'Revenue',
      'ROAS',
      'Cost per acquisition',
    ])
    expect(labels('offer_event')).toContain('RSVPs')
  })

  it('shows — with the reason, never a division by nothing, for cost ratios', () => {
    const byLabel = (totals = emptyTotals()) =>
      new Map(kpisFor('remarketing', totals).map((kpi) => [kpi.label, kpi]))

    const noCost = byLabel(emptyTotals({ conversions: 4, revenue: 200, aov: 50 }))
    expect(noCost.get('ROAS')).toMatchObject({ value: '—', detail: 'Add the cost under Settings' })
    expect(noCost.get('Cost per acquisition')).toMatchObject({ value: '—' })

    const nothingSold = byLabel(emptyTotals({ cost: { amount: 100, currency: 'EUR' }, roas: 0, cpa: null }))
    expect(nothingSold.get('Cost per acquisition')).toMatchObject({
      value: '—',
      detail: 'No conversions yet',
    })

    const paid = byLabel(
      emptyTotals({ conversions: 4, revenue: 400, cost: { amount: 100, currency: 'EUR' }, roas: 4, cpa: 25 }),
    )
    expect(paid.get('ROAS')?.value).toBe('4×')
    expect(paid.get('Cost per acquisition')?.value).toBe(
      new Intl.NumberFormat(undefined, { style: 'currency', currency: 'EUR' }).format(25),
    )
    const cpl = kpisFor('lead_generation', emptyTotals()).find((kpi) => kpi.label === 'Cost per lead')
    expect(cpl).toMatchObject({ value: '—', detail: 'Add the cost under Settings' })
  })

  it('adds the step lists and funnels a type reads once they have data: video, scroll depth, the form and its drop-off', () => {
    expect(stepsFor('awareness', emptyTotals())).toEqual([])
    const video = stepsFor(
      'awareness',
      emptyTotals({
        video: {
          plays: 200,
          quartile25: 150,
          quartile50: 100,
          quartile75: 60,
          quartile100: 40,
          completionRate: 0.2,
        },
      }),
    )
    expect(video.map((steps) => steps.rows.map((row) => `${row.label}: ${row.text}`))).toEqual([
      ['Started: 200', '25%: 150 (75%)', '50%: 100 (50%)', '75%: 60 (30%)', '100%: 40 (20%)'],
    ])

    const forms = { ...emptyTotals().forms, views: 100, starts: 40, submits: 10 }
    const lead = stepsFor(
      'lead_generation',
      emptyTotals({ forms: { ...forms, dropOffByField: [{ field: 'phone', abandons: 20 }] } }),
    )
    expect(lead.map((steps) => steps.title)).toEqual(['Drop-off by field'])
    expect(lead[0]?.rows).toEqual([{ label: 'phone', value: 20, text: '20' }])
    // The form itself is a funnel, drawn as a chart: views → starts → submits.
    expect(funnelsFor(adminTypeOf('lead_generation'), emptyTotals({ forms }))).toEqual([
      {
        id: 'form-title',
        title: 'Form',
        description: 'From seeing the form to sending it.',
        unit: 'Visitors',
        steps: [
          { label: 'Saw it', value: 100 },
          { label: 'Started', value: 40 },
          { label: 'Sent', value: 10 },
        ],
      },
    ])
    expect(funnelsFor(adminTypeOf('lead_generation'), emptyTotals())).toEqual([])
    // Another type's funnels are not this one's business.
    expect(stepsFor('sales', emptyTotals({ forms: { ...forms, dropOffByField: [] } }))).toEqual([])
    expect(funnelsFor(adminTypeOf('sales'), emptyTotals({ forms }))).toEqual([])
  })
})
