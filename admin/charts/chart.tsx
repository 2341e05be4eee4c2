import type { ComponentChildren } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { type Bar, type TimeChart, timeRows } from './shape'

type Drawing = typeof import('./uplot-chart')

let drawing: Promise<Drawing> | undefined

/** The drawing code and uPlot, fetched once, the first time a chart is shown (its own chunk in the build). */
export function loadDrawing(): Promise<Drawing> {
  drawing ??= import('./uplot-chart').catch((error: unknown) => {
    drawing = undefined
    throw error
  })
  return drawing
}

/** Draws once the chart code has arrived; until then (or if it cannot load) the table below has the numbers. */
function Lazy({ draw }: { draw: (module: Drawing) => ComponentChildren }) {
  const [module, setModule] = useState<Drawing>()
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    let current = true
    loadDrawing().then(
      (loaded) => current && setModule(() => loaded),
      () => current && setFailed(true),
    )
    return () => {
      current = false
    }
  }, [])
  if (module) return <>{draw(module)}</>
  return (
    <p class="chart-canvas chart-pending muted">
      {failed ? 'The chart could not be loaded; the table below has the numbers.' : 'Loading the chart…'}
    </p>
  )
}

/** A chart's numbers as a table, folded away: what screen readers and keyboards read instead of the canvas. */
function DataTable({ caption, children }: { caption: string; children: ComponentChildren }) {
  return (
    <details class="chart-table">
      <summary>Show the numbers as a table</summary>
      <table class="table">
        <caption class="visually-hidden">{caption}</caption>
        {children}
      </table>
    </details>
  )
}

/** One line per variant over time, with its legend and the same numbers as a table. */
export function TimeSeriesChart({ chart, caption }: { chart: TimeChart; caption: string }) {
  const rows = timeRows(chart)
  return (
    <figure class="chart">
      {chart.lines.length > 1 && (
        <ul class="chart-legend" aria-label="Lines">
          {chart.lines.map((line, i) => (
            <li key={line.label}>
              <span class={`chart-swatch chart-swatch-${(i % 6) + 1}`} aria-hidden="true" />
              {line.label}
            </li>
          ))}
        </ul>
      )}
      <Lazy draw={({ LineChart }) => <LineChart chart={chart} />} />
      <figcaption class="visually-hidden">{caption}</figcaption>
      <DataTable caption={caption}>
        <thead>
          <tr>
            <th scope="col">Day (UTC)</th>
            {chart.lines.map((line) => (
              <th key={line.label} scope="col" class="numeric">
                {line.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([day, ...values], i) => (
            <tr key={chart.t[i]}>
              <th scope="row">
                <time dateTime={chart.t[i]}>{day}</time>
              </th>
              {values.map((value, j) => (
                <td key={chart.lines[j]?.label} class="numeric">
                  {value}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </DataTable>
    </figure>
  )
}

interface BarsChartProps {
  bars: Bar[]
  caption: string
  labelHeading: string
  valueHeading: string
}

/** Labelled bars (funnel steps, frequency buckets), with the same numbers as a table. */
export function BarsChart({ bars, caption, labelHeading, valueHeading }: BarsChartProps) {
  return (
    <figure class="chart">
      <Lazy draw={({ BarChart }) => <BarChart bars={bars} />} />
      <figcaption class="visually-hidden">{caption}</figcaption>
      <DataTable caption={caption}>
        <thead>
          <tr>
            <th scope="col">{labelHeading}</th>
            <th scope="col" class="numeric">
              {valueHeading}
            </th>
          </tr>
        </thead>
        <tbody>
          {bars.map((bar) => (
            <tr key={bar.label}>
              <th scope="row">{bar.label}</th>
              <td class="numeric">{bar.text}</td>
            </tr>
          ))}
        </tbody>
      </DataTable>
    </figure>
  )
}
