import { formatCount, formatDecimal, formatRate, notAvailable } from '../../../admin/format'
import type { Kpi } from '../../../admin/kpi-cards'
import type { Totals } from '../../../admin/promotion-type'
import type { Steps } from '../../../admin/results-kpis'

/**
 * What the engagement server adds to a campaign's analytics totals (the engagement contract's KPIs). Each is
 * optional: an answer from a server without them still shows what it has.
 */
export interface EngagementTotals {
  /** (reactions + comments + shares) / impressions. */
  engagementRate?: number
  shareRate?: number
  /** Visits through shared links per share. */
  amplification?: number
  /** Voters per viewable impression. */
  pollParticipation?: number
  pollResults?: { id: string; label: string; votes: number }[]
  commentsByStatus?: { pending: number; published: number; rejected: number }
}

const extras = (t: Totals): EngagementTotals => t as Totals & EngagementTotals
const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : 0)
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined

/** The engagement KPI cards: the contract's rates, each with what it is out of. */
export function engagementKpis(t: Totals): Kpi[] {
  const e = t.interactions
  const x = extras(t)
  // The contract's definitions; where the server's answer carries the rate it is used as given.
  const engagementRate = num(x.engagementRate) ?? ratio(e.reactions + e.comments + e.shares, t.impressions)
  const shareRate = num(x.shareRate) ?? ratio(e.shares, t.impressions)
  const amplification = num(x.amplification) ?? ratio(e.shareLandings, e.shares)
  const participation = num(x.pollParticipation)
  return [
    {
      label: 'Engagements',
      value: formatCount(e.reactions + e.comments + e.shares + e.votes),
      detail: `${formatCount(e.reactions)} reactions, ${formatCount(e.comments)} comments, ${formatCount(e.shares)} shares, ${formatCount(e.votes)} votes`,
    },
    {
      label: 'Engagement rate',
      value: formatRate(engagementRate),
      detail: 'reactions, comments and shares per impression',
    },
    { label: 'Share rate', value: formatRate(shareRate), detail: 'shares per impression' },
    {
      label: 'Amplification',
      value: e.shares > 0 ? formatDecimal(amplification) : notAvailable,
      detail:
        e.shares > 0
          ? `visits through shared links per share (${formatCount(e.shareLandings)} in all)`
          : 'No shares yet',
    },
    {
      label: 'Poll participation',
      value: participation === undefined || e.votes === 0 ? notAvailable : formatRate(participation),
      detail: e.votes === 0 ? 'No votes yet' : 'voters per viewable impression',
    },
  ]
}

/** The poll's results by answer and the comments by status, each left out until it has something to show. */
export function engagementSteps(t: Totals): Steps[] {
  const x = extras(t)
  const lists: Steps[] = []
  const results = Array.isArray(x.pollResults) ? x.pollResults : []
  const votes = results.reduce((sum, option) => sum + (num(option.votes) ?? 0), 0)
  if (results.length > 0 && votes > 0) {
    lists.push({
      id: 'poll-title',
      title: 'Poll results',
      description: `How the ${formatCount(votes)} votes of this period split. Visitors may not see these.`,
      labelHeading: 'Answer',
      valueHeading: 'Votes',
      rows: results.map((option) => {
        const n = num(option.votes) ?? 0
        return {
          label: option.label || option.id,
          value: n,
          text: `${formatCount(n)} (${formatRate(ratio(n, votes))})`,
        }
      }),
    })
  }
  const byStatus = x.commentsByStatus
  if (byStatus && byStatus.pending + byStatus.published + byStatus.rejected > 0) {
    lists.push({
      id: 'comments-title',
      title: 'Comments',
      description: 'Comments of this period by where moderation left them.',
      labelHeading: 'Status',
      valueHeading: 'Comments',
      rows: [
        { label: 'Published', value: byStatus.published, text: formatCount(byStatus.published) },
        { label: 'Waiting for approval', value: byStatus.pending, text: formatCount(byStatus.pending) },
        { label: 'Rejected', value: byStatus.rejected, text: formatCount(byStatus.rejected) },
      ],
    })
  }
  return lists
}
