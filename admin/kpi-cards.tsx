export interface Kpi {
  label: string
  value: string
  /** A short second line: what the number is out of, or why it is missing. */
  detail?: string
}

/** Headline numbers as cards; labels and values are text. */
export function KpiCards({ kpis, label }: { kpis: Kpi[]; label: string }) {
  return (
    <dl class="kpis" aria-label={label}>
      {kpis.map((kpi) => (
        <div class="card kpi" key={kpi.label}>
          <dt>{kpi.label}</dt>
          <dd>{kpi.value}</dd>
          {kpi.detail && <dd class="kpi-detail">{kpi.detail}</dd>}
        </div>
      ))}
    </dl>
  )
}
