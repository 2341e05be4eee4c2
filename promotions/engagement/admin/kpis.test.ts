import { describe, expect, it } from 'vitest'
import { emptyTotals } from '../../../admin/testing/analytics'
import { type EngagementTotals, engagementKpis, engagementSteps } from './kpis'

const engagement = (counts: Partial<ReturnType<typeof emptyTotals>['interactions']>) => ({
  ...emptyTotals().interactions,
  ...counts,
})

describe('engagement KPIs', () => {
  it('reads the contract’s rates from the analytics answer', () => {
    const totals = {
      ...emptyTotals({
        impressions: 1000,
        viewableImpressions: 800,
        interactions: engagement({ reactions: 30, comments: 10, shares: 20, votes: 40, shareLandings: 50 }),
      }),
      engagementRate: 0.06,
      shareRate: 0.02,
      amplification: 2.5,
      pollParticipation: 0.05,
    } satisfies EngagementTotals
    const cards = new Map(engagementKpis(totals).map((kpi) => [kpi.label, kpi]))
    expect(cards.get('Engagements')?.value).toBe('100')
    expect(cards.get('Engagement rate')?.value).toBe('6%')
    expect(cards.get('Share rate')?.value).toBe('2%')
    expect(cards.get('Amplification')?.value).toBe('2.5')
    expect(cards.get('Amplification')?.detail).toContain('per share (50 in all)')
    expect(cards.get('Poll participation')?.value).toBe('5%')
  })

  it('computes the rates by the contract from the counts when the answer lacks them, and says what is missing', () => {
    const totals = emptyTotals({
      impressions: 200,
      interactions: engagement({ reactions: 6, comments: 2, shares: 4, shareLandings: 6 }),
    })
    const cards = new Map(engagementKpis(totals).map((kpi) => [kpi.label, kpi]))
    // (6 + 2 + 4) / 200; votes are not part of the rate.
    expect(cards.get('Engagement rate')?.value).toBe('6%')
    expect(cards.get('Amplification')?.value).toBe('1.5')
    expect(cards.get('Poll participation')).toMatchObject({ value: '—', detail: 'No votes yet' })
    const none = new Map(engagementKpis(emptyTotals()).map((kpi) => [kpi.label, kpi]))
    expect(none.get('Amplification')).toMatchObject({ value: '—', detail: 'No shares yet' })
  })

  it('lists the poll’s results by answer and the comments by status, once they have data', () => {
    expect(engagementSteps(emptyTotals())).toEqual([])
    const totals = {
      ...emptyTotals(),
      pollResults: [
        { id: 'red', label: 'Red', votes: 3 },
        { id: 'blue', label: '<b>Blue</b>', votes: 1 },
      ],
      commentsByStatus: { pending: 2, published: 5, rejected: 1 },
    } satisfies EngagementTotals
    const [poll, comments] = engagementSteps(totals)
    expect(poll?.rows.map((row) => [row.label, row.text])).toEqual([
      ['Red', '3 (75%)'],
      ['<b>Blue</b>', '1 (25%)'],
    ])
    expect(comments?.rows.map((row) => [row.label, row.value])).toEqual([
      ['Published', 5],
      ['Waiting for approval', 2],
      ['Rejected', 1],
    ])
  })
})
