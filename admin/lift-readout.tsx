import type { CampaignLift, Lift } from './api'
import { formatPValue } from './experiment-readout'
import { formatAmount, formatCount, formatRate } from './format'

/** Whose lift it is: one campaign against its holdout, or the whole site against its global holdout. */
export type LiftScope = 'campaign' | 'site'

const words = {
  campaign: {
    subject: 'Showing this campaign',
    shown: 'who saw it',
    held: 'held out from it',
    first: 'exposure',
  },
  site: {
    subject: 'Showing campaigns on this site',
    shown: 'who could see campaigns',
    held: 'held out from every campaign',
    first: 'page view',
  },
} as const

const minus = '\u2212'
const signed = (text: string, value: number) => (value < 0 ? `${minus}${text}` : text)
/** A whole count with a real minus sign. */
const wholeCount = (value: number) => signed(formatCount(Math.abs(Math.round(value))), Math.round(value))
const money = (value: number) => signed(formatAmount(Math.abs(value)), value)
const relativePercent = (value: number) =>
  `${value < 0 ? minus : '+'}${new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(Math.abs(value) * 100)}%`

/** The readout in sentences, most important first; every number is the API's, rounded for reading. */
export function liftSentences(lift: Lift, scope: LiftScope): string[] {
  const w = words[scope]
  const { exposed, holdout } = lift
  if (lift.verdict === 'not_enough') {
    return [
      `Not enough visitors yet to tell: ${formatCount(exposed.visitors)} ${w.shown} and ${formatCount(holdout.visitors)} ${w.held} so far, with ${formatCount(exposed.converters + holdout.converters)} conversions between them. The readout needs at least 100 visitors on each side and 10 conversions.`,
    ]
  }
  const sentences: string[] = []
  const conversions = lift.incrementalConversions
  const revenue = lift.incrementalRevenue
  if (conversions) {
    const interval = `95% interval ${wholeCount(conversions.ci95.low)} to ${wholeCount(conversions.ci95.high)}`
    const among = `among the ${formatCount(exposed.visitors)} visitors ${w.shown}`
    const money95 = revenue
      ? `, and ${money(revenue.value)} in revenue (95% interval ${money(revenue.ci95.low)} to ${money(revenue.ci95.high)})`
      : ''
    if (lift.verdict === 'added')
      sentences.push(
        `${w.subject} added ${wholeCount(conversions.value)} conversions (${interval}) ${among}${money95}.`,
      )
    else if (lift.verdict === 'reduced')
      sentences.push(
        `${w.subject} led to ${formatCount(Math.abs(Math.round(conversions.value)))} fewer conversions (${interval}) ${among}${money95}.`,
      )
    else
      sentences.push(
        `${w.subject} may have added ${wholeCount(conversions.value)} conversions (${interval}) ${among}${money95}, but the interval includes zero: it cannot be told apart from no effect yet.`,
      )
  }
  const rate = lift.conversionRate
  const relative =
    rate.relative !== null && rate.relativeCi95
      ? `, ${relativePercent(rate.relative)} (95% interval ${relativePercent(rate.relativeCi95.low)} to ${relativePercent(rate.relativeCi95.high)})`
      : ''
  sentences.push(
    `Conversion rate ${formatRate(exposed.conversionRate)} for visitors ${w.shown} against ${formatRate(holdout.conversionRate)} for those ${w.held}${relative}; revenue per visitor ${formatAmount(exposed.revenuePerVisitor)} against ${formatAmount(holdout.revenuePerVisitor)}.`,
  )
  if (lift.costPerIncrementalConversion !== null)
    sentences.push(`Each incremental conversion cost ${formatAmount(lift.costPerIncrementalConversion)}.`)
  return sentences
}

/** One sentence a variant: what its exposed visitors added against the one holdout. */
export function variantLiftSentence(variant: CampaignLift['byVariant'][number]): string {
  const conversions = variant.incrementalConversions
  if (variant.verdict === 'not_enough' || !conversions)
    return `${variant.name}: not enough visitors yet (${formatCount(variant.exposed.visitors)} saw it).`
  const interval = `95% interval ${wholeCount(conversions.ci95.low)} to ${wholeCount(conversions.ci95.high)}`
  const among = `among ${formatCount(variant.exposed.visitors)} visitors who saw it`
  if (variant.verdict === 'reduced')
    return `${variant.name}: led to ${formatCount(Math.abs(Math.round(conversions.value)))} fewer conversions (${interval}) ${among}.`
  if (variant.verdict === 'added')
    return `${variant.name}: added ${wholeCount(conversions.value)} conversions (${interval}) ${among}.`
  return `${variant.name}: may have added ${wholeCount(conversions.value)} conversions (${interval}) ${among}, not told apart from no effect yet.`
}

/** The split check's warning, or null when the split matches the holdout. */
export function splitWarning(lift: Lift, scope: LiftScope): string | null {
  if (!lift.srm.mismatch) return null
  const total = lift.exposed.visitors + lift.holdout.visitors
  const share = total > 0 ? lift.holdout.visitors / total : 0
  return `Split check failed (${formatPValue(lift.srm.pValue)}): ${formatRate(share)} of these visitors were ${words[scope].held} where ${lift.holdoutPercent}% was set. Something loses or adds visitors on one side (a cache, bots, a tracking gap): do not trust this readout until it is found.`
}

/** What showing a campaign (or every campaign) added, against its holdout, in sentences. */
export function LiftReadout({
  lift,
  scope,
  titleId = 'lift-title',
  Heading = 'h2',
  variants = [],
}: {
  lift: Lift
  scope: LiftScope
  /** A campaign's variants, each against the one holdout; listed when there are two or more. */
  variants?: CampaignLift['byVariant']
  titleId?: string
  /** h3 inside a section that has its own heading (the overview). */
  Heading?: 'h2' | 'h3'
}) {
  const warning = splitWarning(lift, scope)
  return (
    <section class="card" aria-labelledby={titleId}>
      <Heading id={titleId}>{scope === 'site' ? 'What campaigns add' : 'Lift'}</Heading>
      {warning && (
        <p class="alert alert-error" role="alert">
          {warning}
        </p>
      )}
      {liftSentences(lift, scope).map((sentence) => (
        <p key={sentence}>{sentence}</p>
      ))}
      {variants.length > 1 && lift.verdict !== 'not_enough' && (
        <ul class="lift-variants">
          {variants.map((variant) => (
            <li key={variant.variantId}>{variantLiftSentence(variant)}</li>
          ))}
        </ul>
      )}
      <p class="muted">
        Visitors are counted from their first {words[scope].first} in the range; a conversion counts when it
        comes within {lift.windowDays} days of it (the site’s click attribution window).{' '}
        {scope === 'site'
          ? `${lift.holdoutPercent}% of visitors are held out from every campaign.`
          : `${lift.holdoutPercent}% of the visitors it would be shown to are held out.`}
      </p>
    </section>
  )
}
