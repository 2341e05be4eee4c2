import type { Cost } from '../../schema/campaign'

/** A metric's sums over some range: how many (a fractional share for credit) and the summed values. */
export interface Sum {
  n: number
  value: number
}
export type Metrics = ReadonlyMap<string, Sum>

/** Rates and averages to four decimals: finer than any report needs, and free of float noise (1/3 + 1/3 + 1/3). */
export const round4 = (n: number) => Math.round(n * 10_000) / 10_000
const ratio = (part: number, whole: number) => (whole > 0 ? round4(part / whole) : 0)
const quartiles = [25, 50, 75, 100] as const

/**
 * The events every KPI reads, by name. Units send them (the SDK's built-ins, the video kit, engagement and
 * form widgets) and pages may too; a KPI whose events never arrive reads 0.
 */
export const kpiEvents = {
  impression: 'impression',
  viewable: 'viewable',
  click: 'click',
  close: 'close',
  play: 'play',
  quartile: (q: number) => `video_${q}`,
  reactions: ['like', 'react'],
  share: 'share',
  comment: 'comment',
  vote: 'vote',
  rsvp: 'rsvp',
  /** A visit that arrived through a link a visitor shared. */
  shareLanding: 'share_landing',
  formView: 'form_view',
  formStart: 'form_start',
  submit: 'submit',
  /** With `props.field`: the field a visitor left the form at; rolled up per field as `form_abandon:<field>`. */
  formAbandon: 'form_abandon',
  landing: 'landing',
  bounce: 'bounce',
  /** `value` is the visible seconds on the page. */
  timeOnPage: 'time_on_page',
  scroll: (q: number) => `scroll_${q}`,
} as const

/**
 * The rollup metric an event counts under: its name, and for a form field event the field too. A field name
 * longer than 64 characters (code points, as PostgreSQL's `length` counts them, not UTF-16 units) is not kept.
 */
export function metricOf(name: string, props: Record<string, unknown> | null | undefined): string {
  if (name === kpiEvents.formAbandon && typeof props?.field === 'string' && [...props.field].length <= 64) {
    return `${name}:${props.field}`
  }
  return name
}

/**
 * Every type's KPIs from one range's metric sums (the blueprint's lists), in one stable shape so a dashboard
 * reads the same fields for every campaign. `reach` is the range's unique visitors; `conversions` and `revenue`
 * are the credit under the chosen attribution model.
 */
export function kpisOf(metrics: Metrics, reach: number, credit: Sum, cost: Cost | null | undefined) {
  const n = (name: string) => metrics.get(name)?.n ?? 0
  const impressions = n(kpiEvents.impression)
  const viewable = n(kpiEvents.viewable)
  const clicks = n(kpiEvents.click)
  const plays = n(kpiEvents.play)
  const reactions = kpiEvents.reactions.reduce((sum, name) => sum + n(name), 0)
  const shares = n(kpiEvents.share)
  const comments = n(kpiEvents.comment)
  const votes = n(kpiEvents.vote)
  const formViews = n(kpiEvents.formView)
  const formStarts = n(kpiEvents.formStart)
  const submits = n(kpiEvents.submit)
  const dropOff = [...metrics.entries()]
    .filter(([name]) => name.startsWith(`${kpiEvents.formAbandon}:`))
    .map(([name, sum]) => ({ field: name.slice(kpiEvents.formAbandon.length + 1), abandons: sum.n }))
    .sort((a, b) => b.abandons - a.abandons || (a.field < b.field ? -1 : 1))
  const landings = n(kpiEvents.landing)
  const time = metrics.get(kpiEvents.timeOnPage)
  const conversions = round4(credit.n)
  const revenue = round4(credit.value)
  const spend = cost?.amount
  return {
    impressions,
    viewableImpressions: viewable,
    viewableRate: ratio(viewable, impressions),
    reach,
    frequency: reach > 0 ? Math.round((impressions / reach) * 100) / 100 : 0,
    clicks,
    ctr: ratio(clicks, impressions),
    closes: n(kpiEvents.close),
    video: {
      plays,
      ...Object.fromEntries(quartiles.map((q) => [`quartile${q}`, n(kpiEvents.quartile(q))])),
      completionRate: ratio(n(kpiEvents.quartile(100)), plays),
    } as {
      plays: number
      quartile25: number
      quartile50: number
      quartile75: number
      quartile100: number
      completionRate: number
    },
    interactions: {
      reactions,
      shares,
      comments,
      votes,
      engagements: reactions + shares + comments + votes,
      engagementRate: ratio(reactions + shares + comments + votes, impressions),
      reactionRate: ratio(reactions, impressions),
      shareRate: ratio(shares, impressions),
      commentRate: ratio(comments, impressions),
      shareLandings: n(kpiEvents.shareLanding),
      /** Visits brought by shares for each person reached. */
      amplification: ratio(n(kpiEvents.shareLanding), reach),
    },
    forms: {
      views: formViews,
      starts: formStarts,
      submits,
      startRate: ratio(formStarts, formViews),
      completionRate: ratio(submits, formStarts),
      abandonmentRate: formStarts > 0 ? round4(Math.max(0, formStarts - submits) / formStarts) : 0,
      dropOffByField: dropOff,
    },
    landing: {
      sessions: landings,
      bounceRate: ratio(n(kpiEvents.bounce), landings),
      averageTimeOnPage: time && time.n > 0 ? Math.round((time.value / time.n) * 10) / 10 : 0,
      ...Object.fromEntries(quartiles.map((q) => [`scroll${q}`, ratio(n(kpiEvents.scroll(q)), landings)])),
    } as {
      sessions: number
      bounceRate: number
      averageTimeOnPage: number
      scroll25: number
      scroll50: number
      scroll75: number
      scroll100: number
    },
    rsvps: n(kpiEvents.rsvp),
    conversions,
    revenue,
    aov: conversions > 0 ? round4(revenue / conversions) : 0,
    rpv: ratio(revenue, reach),
    cost: cost ?? null,
    roas: spend ? round4(revenue / spend) : null,
    cpa: spend !== undefined && conversions > 0 ? round4(spend / conversions) : null,
    cpl: spend !== undefined && submits > 0 ? round4(spend / submits) : null,
  }
}
export type Kpis = ReturnType<typeof kpisOf>
