import type { ComponentChildren } from 'preact'
import type { Analytics, Comparison } from './api'
import type { ExperimentStatus } from './experiment-status'
import { formatCount, formatDecimal, formatRate } from './format'

/** A p-value as a reader checks it against a threshold: two significant digits, tiny ones as a bound. */
export function formatPValue(p: number): string {
  if (!Number.isFinite(p)) return 'p unknown'
  return p < 0.0001 ? 'p < 0.0001' : `p = ${p.toPrecision(2)}`
}

const metricWords = { click: 'clicks', conversion: 'conversions' } as const

const onePlace = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 })

/** A difference of rates in percentage points, without its sign. */
function points(fraction: number): string {
  return onePlace.format(Math.abs(fraction) * 100)
}

/** An interval end in points with its sign, the minus a real one: "+2.7", "−0.3". */
function signedPoints(fraction: number): string {
  const size = points(fraction)
  if (size === onePlace.format(0)) return size
  return `${fraction < 0 ? '\u2212' : '+'}${size}`
}

/** One variant against the control in plain words: the difference, its 95% interval, and whether it is settled. */
export function comparisonSentence(control: string, variant: string, comparison: Comparison): string {
  const { difference, ci95, significant } = comparison
  if (difference === null || ci95 === null) {
    return `${variant} cannot be compared with ${control} yet: one of them has reached nobody.`
  }
  const size = points(difference)
  const how =
    size === onePlace.format(0)
      ? `converts about as well as ${control}`
      : `converts ${size} points ${difference > 0 ? 'better' : 'worse'} than ${control}`
  const interval = `95% interval ${signedPoints(ci95.low)} to ${signedPoints(ci95.high)}`
  return `${variant} ${how} (${interval}): ${significant ? 'conclusive' : 'not yet conclusive'}`
}

type Variants = Analytics['byVariant']

/** Each variant's conversion rate, then every other variant against the first (the control). */
function Conversions({ experiment, variants }: { experiment: Analytics['experiment']; variants: Variants }) {
  const nameOf = (id: string) => variants.find((variant) => variant.variantId === id)?.name ?? 'a variant'
  const control = experiment.control ? nameOf(experiment.control) : 'the control'
  return (
    <>
      <h3>Conversion rate</h3>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Variant</th>
            <th scope="col" class="numeric">
              People reached
            </th>
            <th scope="col" class="numeric">
              Conversions
            </th>
            <th scope="col" class="numeric">
              Conversion rate
            </th>
          </tr>
        </thead>
        <tbody>
          {variants.map((variant) => (
            <tr key={variant.variantId}>
              <th scope="row">
                {variant.name}
                {variant.variantId === experiment.control && <span class="muted"> (control)</span>}
              </th>
              <td class="numeric">{formatCount(variant.reach)}</td>
              <td class="numeric">{formatDecimal(variant.conversions)}</td>
              <td class="numeric">{formatRate(variant.conversionRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {experiment.comparisons.length > 0 && (
        <ul class="comparisons">
          {experiment.comparisons.map((comparison) => (
            <li key={comparison.variantId}>
              {comparisonSentence(control, nameOf(comparison.variantId), comparison)}
            </li>
          ))}
        </ul>
      )}
    </>
  )
}

/**
 * The experiment's set-up, whether its split can be trusted (the sample-ratio-mismatch check), and how the
 * variants convert against the control.
 */
export function ExperimentReadout({
  experiment,
  variants,
  titleId = 'experiment-title',
  title = 'Experiment',
  children,
}: {
  experiment: Analytics['experiment']
  variants: Variants
  /** The heading's id, unique on the page (the Experiments page shows several readouts). */
  titleId?: string
  title?: ComponentChildren
  /** Shown under the heading: the plain-language status. */
  children?: ComponentChildren
}) {
  const { holdoutPercent, bandit, srm } = experiment
  return (
    <section class="card" aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      {children}
      <dl class="facts">
        <div>
          <dt>Holdout</dt>
          <dd>
            {holdoutPercent > 0
              ? `${holdoutPercent}% of visitors see nothing, to measure lift against`
              : 'None: every visitor it targets can see it'}
          </dd>
        </div>
        <div>
          <dt>Traffic split</dt>
          <dd>
            {bandit
              ? `Bandit: traffic shifts to the variant with more ${metricWords[bandit.metric]}`
              : 'By variant weight'}
          </dd>
        </div>
      </dl>
      {srm?.mismatch && (
        <p class="alert alert-error" role="alert">
          <strong>Sample ratio mismatch ({formatPValue(srm.pValue)}).</strong> The visitors each variant
          reached are too far from the configured weights for chance. Something loses or adds visitors on one
          side (a redirect, bots, a tracking gap): do not trust these results until it is found.
        </p>
      )}
      {srm && !srm.mismatch && (
        <p class="muted">
          Split check passed: the visitors each variant reached match its weight ({formatPValue(srm.pValue)}).
        </p>
      )}
      {!srm && bandit && <p class="muted">No split check: a bandit moves traffic on purpose.</p>}
      {variants.length > 1 && <Conversions experiment={experiment} variants={variants} />}
    </section>
  )
}

/** The experiment's status in plain words (admin/experiment-status.ts), as a banner over its readout. */
export function StatusNote({ status }: { status: ExperimentStatus }) {
  return (
    <p class={`experiment-status experiment-status-${status.kind}`}>
      <strong>{status.headline}</strong> {status.detail}
    </p>
  )
}
