export interface BarRow {
  label: string
  value: number
  /** The value as shown, e.g. "120 (60%)". */
  text: string
}

export interface BarListProps {
  id: string
  title: string
  description?: string
  labelHeading: string
  valueHeading: string
  rows: BarRow[]
  /** What a full bar stands for; the largest row when absent. */
  max?: number
}

/** A few labelled counts with bars scaled to the largest: a funnel, a histogram, a drop-off list. */
export function BarList({ id, title, description, labelHeading, valueHeading, rows, max }: BarListProps) {
  const peak = max ?? Math.max(1, ...rows.map((row) => row.value))
  return (
    <section class="card table-card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {description && <p class="muted table-card-note">{description}</p>}
      <table class="table">
        <thead>
          <tr>
            <th scope="col">{labelHeading}</th>
            <th scope="col" class="numeric">
              {valueHeading}
            </th>
            <th scope="col" class="bar-column">
              <span class="visually-hidden">{valueHeading}, as bars</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              <td class="numeric">{row.text}</td>
              <td class="bar-column" aria-hidden="true">
                <div class="bar">
                  <div class="bar-fill bar-viewable" style={{ width: `${(row.value / peak) * 100}%` }} />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
