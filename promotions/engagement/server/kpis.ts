import { sql } from 'drizzle-orm'
import { kpiEvents, type Metrics, round4 } from '../../../api/analytics/kpis'
import { rowsOf } from '../../../api/db'
import type { TypeAnalytics } from '../../../api/types'
import { engagementConfig } from '../config'

const ratio = (part: number, whole: number) => (whole > 0 ? round4(part / whole) : 0)

/**
 * Engagement's own rates from one set of rollup sums (the range, a variant or a bucket). Every accepted action
 * is one KPI event (store.ts), so a visitor's first like, each reaction they chose, each share, comment and
 * their one vote are each counted once; `share_landing` is a visit that came through a shared link.
 */
export function engagementKpis(metrics: Metrics | undefined) {
  const n = (name: string) => metrics?.get(name)?.n ?? 0
  const impressions = n(kpiEvents.impression)
  const viewable = n(kpiEvents.viewable)
  const reactions = kpiEvents.reactions.reduce((sum, name) => sum + n(name), 0)
  const comments = n(kpiEvents.comment)
  const shares = n(kpiEvents.share)
  const landings = n(kpiEvents.shareLanding)
  const voters = n(kpiEvents.vote)
  return {
    /** (reactions + comments + shares) / impressions. */
    engagementRate: ratio(reactions + comments + shares, impressions),
    shareRate: ratio(shares, impressions),
    /** Visits through shared links per share. */
    amplification: ratio(landings, shares),
    /** Voters per viewable impression. */
    pollParticipation: ratio(voters, viewable),
  }
}

const statuses = ['pending', 'published', 'rejected'] as const

/**
 * Adds engagement's KPIs to a campaign's analytics answer: the rates in the totals, in every series bucket and
 * for every variant, and, from the stored votes and comments of the range, the poll's results by option and the
 * comments by status (totals and per variant).
 */
export async function engagementAnalytics({ db, campaign, range, metrics, answer }: TypeAnalytics) {
  const parsed = engagementConfig.safeParse(campaign.config)
  const options = parsed.success ? (parsed.data.poll?.options ?? []) : []
  const within = sql`site_id = ${campaign.siteId} and campaign_id = ${campaign.id}
    and created_at >= ${range.from.toISOString()}::timestamptz and created_at < ${range.to.toISOString()}::timestamptz`
  const [votes, comments] = await Promise.all([
    db.execute(sql`
      select variant_id, o.option, count(*) as n from engagement_votes,
        jsonb_array_elements_text(options) as o(option)
      where ${within} group by variant_id, o.option`),
    db.execute(sql`
      select variant_id, status, count(*) as n from engagement_comments where ${within} group by variant_id, status`),
  ])
  const voteRows = rowsOf<{ variant_id: string | null; option: string; n: number | string }>(votes)
  const commentRows = rowsOf<{ variant_id: string | null; status: string; n: number | string }>(comments)
  const pollResults = (variantId?: string) =>
    options.map((option) => ({
      id: option.id,
      label: option.label,
      votes: voteRows
        .filter((r) => r.option === option.id && (variantId === undefined || r.variant_id === variantId))
        .reduce((sum, r) => sum + Number(r.n), 0),
    }))
  const commentsByStatus = (variantId?: string) =>
    Object.fromEntries(
      statuses.map((status) => [
        status,
        commentRows
          .filter((r) => r.status === status && (variantId === undefined || r.variant_id === variantId))
          .reduce((sum, r) => sum + Number(r.n), 0),
      ]),
    ) as Record<(typeof statuses)[number], number>

  Object.assign(answer.totals, engagementKpis(metrics.total), {
    pollResults: pollResults(),
    commentsByStatus: commentsByStatus(),
  })
  for (const bucket of answer.series) Object.assign(bucket, engagementKpis(metrics.byBucket.get(bucket.t)))
  for (const variant of answer.byVariant) {
    Object.assign(variant, engagementKpis(metrics.byVariant.get(variant.variantId)), {
      pollResults: pollResults(variant.variantId),
      commentsByStatus: commentsByStatus(variant.variantId),
    })
  }
}
