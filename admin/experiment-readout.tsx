import type { Analytics } from './api'

/** A p-value as a reader checks it against a threshold: two significant digits, tiny ones as a bound. */
export function formatPValue(p: number): string {
  if (!Number.isFinite(p)) return 'p unknown'
  return p < 0.0001 ? 'p < 0.0001' : `p = ${p.toPrecision(2)}`
}

const metricWords = { click: 'clicks', conversion: 'conversions' } as const

/** The experiment's set-up and whether its split can be trusted (the sample-ratio-mismatch check). */
export function ExperimentReadout({ experiment }: { experiment: Analytics['experiment'] }) {
  const { holdoutPercent, bandit, srm } = experiment
  return (
    <section class="card" aria-labelledby="experiment-title">
      <h2 id="experiment-title">Experiment</h2>
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
    </section>
  )
}
