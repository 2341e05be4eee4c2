import type { Analytics } from './api'
import type { BarListProps } from './bar-list'
import type { Funnel } from './charts/shape'
import {
  formatAmount,
  formatCount,
  formatDecimal,
  formatDuration,
  formatMoney,
  formatRate,
  notAvailable,
} from './format'
import type { Kpi } from './kpi-cards'
import type { AdminType } from './promotion-type'

type Totals = Analytics['totals']

const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0)
const noCost = 'Add the cost under Settings'

/** Divided by the campaign's cost: "—" with the reason while there is no cost or nothing to divide. */
function perCost(label: string, value: number | null, t: Totals, nothingYet: string): Kpi {
  if (!t.cost) return { label, value: notAvailable, detail: noCost }
  if (value === null) return { label, value: notAvailable, detail: nothingYet }
  return { label, value: formatMoney(value, t.cost.currency) }
}

/** KPI cards types share, by name; a type picks its own through `kpiCards`. */
export const cards = {
  impressions: (t: Totals): Kpi => ({ label: 'Impressions', value: formatCount(t.impressions) }),
  reach: (t: Totals): Kpi => ({ label: 'Reach', value: formatCount(t.reach), detail: 'people' }),
  clicks: (t: Totals): Kpi => ({ label: 'Clicks', value: formatCount(t.clicks) }),
  ctr: (t: Totals): Kpi => ({ label: 'CTR', value: formatRate(t.ctr), detail: 'clicks per impression' }),
  viewableRate: (t: Totals): Kpi => ({
    label: 'Viewable rate',
    value: formatRate(t.viewableRate),
    detail: `${formatCount(t.viewableImpressions)} viewable impressions`,
  }),
  frequency: (t: Totals): Kpi => ({
    label: 'Frequency',
    value: formatDecimal(t.frequency),
    detail: 'impressions per person',
  }),
  videoPlays: (t: Totals): Kpi => ({
    label: 'Video plays',
    value: formatCount(t.video.plays),
    ...(t.video.plays > 0 ? { detail: `${formatRate(t.video.completionRate)} watched to the end` } : {}),
  }),
  landingSessions: (t: Totals): Kpi => ({
    label: 'Landing sessions',
    value: formatCount(t.landing.sessions),
  }),
  bounceRate: (t: Totals): Kpi => ({
    label: 'Bounce rate',
    value: t.landing.sessions > 0 ? formatRate(t.landing.bounceRate) : notAvailable,
    detail: 'of landing sessions',
  }),
  timeOnPage: (t: Totals): Kpi => ({
    label: 'Time on page',
    value: t.landing.sessions > 0 ? formatDuration(t.landing.averageTimeOnPage) : notAvailable,
    detail: 'average, while visible',
  }),
  formViews: (t: Totals): Kpi => ({ label: 'Form views', value: formatCount(t.forms.views) }),
  leads: (t: Totals): Kpi => ({
    label: 'Leads',
    value: formatCount(t.forms.submits),
    detail: `${formatRate(share(t.forms.submits, t.forms.views))} of form views`,
  }),
  abandonment: (t: Totals): Kpi => ({
    label: 'Abandonment',
    value: t.forms.starts > 0 ? formatRate(t.forms.abandonmentRate) : notAvailable,
    detail: 'of started forms left unsent',
  }),
  cpl: (t: Totals): Kpi => perCost('Cost per lead', t.cpl, t, 'No leads yet'),
  rsvps: (t: Totals): Kpi => ({ label: 'RSVPs', value: formatCount(t.rsvps) }),
  conversions: (t: Totals): Kpi => ({
    label: 'Conversions',
    value: formatDecimal(t.conversions),
    detail: `${formatRate(share(t.conversions, t.reach))} of people reached`,
  }),
  revenue: (t: Totals): Kpi => ({ label: 'Revenue', value: formatAmount(t.revenue) }),
  aov: (t: Totals): Kpi =>
    t.conversions > 0
      ? { label: 'Average order value', value: formatAmount(t.aov) }
      : { label: 'Average order value', value: notAvailable, detail: 'No conversions yet' },
  rpv: (t: Totals): Kpi => ({
    label: 'Revenue per visitor',
    value: t.reach > 0 ? formatAmount(t.rpv) : notAvailable,
    detail: 'per person reached',
  }),
  roas: (t: Totals): Kpi => {
    if (!t.cost) return { label: 'ROAS', value: notAvailable, detail: noCost }
    if (t.roas === null) return { label: 'ROAS', value: notAvailable, detail: 'The cost is 0' }
    return {
      label: 'ROAS',
      value: `${formatDecimal(t.roas)}×`,
      detail: `revenue over a cost of ${formatMoney(t.cost.amount, t.cost.currency)}`,
    }
  },
  cpa: (t: Totals): Kpi => perCost('Cost per acquisition', t.cpa, t, 'No conversions yet'),
} satisfies Record<string, (totals: Totals) => Kpi>

/** A funnel or list for the bar list component. */
export type Steps = BarListProps

const ofWhole = (part: number, whole: number) => `${formatCount(part)} (${formatRate(share(part, whole))})`

/** Funnels read step by step, by name; each is left out until it has data. */
export const stepLists = {
  video: (t: Totals): Steps | undefined => {
    const { plays } = t.video
    if (plays === 0) return undefined
    return {
      id: 'video-title',
      title: 'Video',
      description: 'How far the people who pressed play watched.',
      labelHeading: 'Watched',
      valueHeading: 'Plays',
      rows: [
        { label: 'Started', value: plays, text: formatCount(plays) },
        ...([25, 50, 75, 100] as const).map((q) => {
          const n = t.video[`quartile${q}`]
          return { label: `${q}%`, value: n, text: ofWhole(n, plays) }
        }),
      ],
    }
  },
  scroll: (t: Totals): Steps | undefined => {
    if (t.landing.sessions === 0) return undefined
    return {
      id: 'scroll-title',
      title: 'Scroll depth',
      description: `How far down the landing page its ${formatCount(t.landing.sessions)} sessions scrolled.`,
      labelHeading: 'Scrolled',
      valueHeading: 'Sessions',
      max: 1,
      rows: ([25, 50, 75, 100] as const).map((q) => {
        const rate = t.landing[`scroll${q}`]
        return { label: `${q}%`, value: rate, text: formatRate(rate) }
      }),
    }
  },
  dropOff: (t: Totals): Steps | undefined => {
    if (t.forms.dropOffByField.length === 0) return undefined
    return {
      id: 'drop-off-title',
      title: 'Drop-off by field',
      description: 'The field visitors were at when they left the form unsent.',
      labelHeading: 'Field',
      valueHeading: 'Left here',
      rows: t.forms.dropOffByField.map(({ field, abandons }) => ({
        label: field,
        value: abandons,
        text: formatCount(abandons),
      })),
    }
  },
} satisfies Record<string, (totals: Totals) => Steps | undefined>

type Card = keyof typeof cards
type StepList = keyof typeof stepLists

const common: Card[] = ['impressions', 'reach', 'clicks', 'ctr']

/** A type's KPI cards chosen from the shared ones by name, for its entry in admin/promotions.ts. */
export function kpiCards(...names: Card[]): (totals: Totals) => Kpi[] {
  return (totals) => names.map((name) => cards[name](totals))
}

/** A type's step lists chosen from the shared ones by name; those without data are left out. */
export function stepListsOf(...names: StepList[]): (totals: Totals) => Steps[] {
  return (totals) => names.flatMap((name) => stepLists[name](totals) ?? [])
}

/** The headline numbers for a campaign of this type: the common ones, then its own (PRODUCT.md). */
export function kpisFor(type: AdminType | undefined, totals: Totals): Kpi[] {
  return [...common.map((name) => cards[name](totals)), ...(type?.kpis?.(totals) ?? [])]
}

/** The step-by-step lists this type reads, those with data. */
export function stepsFor(type: AdminType | undefined, totals: Totals): Steps[] {
  return type?.steps?.(totals) ?? []
}

/** Funnels drawn as bar charts, by name; each is left out until its first step has data. */
export const funnelLists = {
  form: (t: Totals): Funnel | undefined => {
    const { views, starts, submits } = t.forms
    if (views === 0) return undefined
    return {
      id: 'form-title',
      title: 'Form',
      description: 'From seeing the form to sending it.',
      unit: 'Visitors',
      steps: [
        { label: 'Saw it', value: views },
        { label: 'Started', value: starts },
        { label: 'Sent', value: submits },
      ],
    }
  },
} satisfies Record<string, (totals: Totals) => Funnel | undefined>

type FunnelList = keyof typeof funnelLists

/** A type's funnels chosen from the shared ones by name; those without data are left out. */
export function funnelsOf(...names: FunnelList[]): (totals: Totals) => Funnel[] {
  return (totals) => names.flatMap((name) => funnelLists[name](totals) ?? [])
}

/** The funnels this type reads, those with data. */
export function funnelsFor(type: AdminType | undefined, totals: Totals): Funnel[] {
  return type?.funnels?.(totals) ?? []
}
