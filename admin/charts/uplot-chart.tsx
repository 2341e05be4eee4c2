/**
 * The charts' drawing, with uPlot: loaded on demand (admin/charts/chart.tsx imports it dynamically), so the
 * admin's first bundle does not carry it. The data arrives shaped (admin/charts/shape.ts); this only draws.
 */
import { useEffect, useRef } from 'preact/hooks'
import uPlot from 'uplot'
import { type Bar, formatValue, type TimeChart, type ValueKind } from './shape'

const height = 240
const fallbackPalette = ['#3a5bd9', '#d9622b', '#1f8a5b', '#a23fb8', '#8a6d00', '#0f7c99']

/** Line and bar colours from the stylesheet (`--chart-1` …), so they follow the light and dark themes. */
export function palette(): string[] {
  const style = getComputedStyle(document.documentElement)
  return fallbackPalette.map((fallback, i) => style.getPropertyValue(`--chart-${i + 1}`).trim() || fallback)
}

function themeColor(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback
}

/** Mounts a uPlot in the element, follows its width, and destroys it when the data or the component goes. */
function usePlot(
  make: (width: number) => { options: uPlot.Options; data: uPlot.AlignedData },
  deps: unknown[],
) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const element = ref.current
    if (!element) return
    const width = () => Math.max(240, element.clientWidth)
    const { options, data } = make(width())
    const plot = new uPlot(options, data, element)
    const observer =
      typeof ResizeObserver === 'function'
        ? new ResizeObserver(() => plot.setSize({ width: width(), height }))
        : undefined
    observer?.observe(element)
    return () => {
      observer?.disconnect()
      plot.destroy()
    }
  }, deps)
  return ref
}

function axes(kind: ValueKind, x: uPlot.Axis): uPlot.Axis[] {
  const text = themeColor('--muted', '#5d6472')
  const grid = themeColor('--border', '#dde1e7')
  return [
    { ...x, stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } },
    {
      stroke: text,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
      size: 64,
      values: (_plot, splits) => splits.map((value) => formatValue(kind, value)),
    },
  ]
}

/** One line per variant (or one for the campaign) over the period's UTC days. */
export function LineChart({ chart }: { chart: TimeChart }) {
  const ref = usePlot(
    (width) => {
      const colors = palette()
      return {
        options: {
          width,
          height,
          tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
          legend: { show: false },
          cursor: { drag: { x: false, y: false } },
          scales: { x: { time: true }, y: { range: (_plot, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
          axes: axes(chart.kind, {}),
          series: [
            {},
            ...chart.lines.map((line, i) => ({
              label: line.label,
              stroke: colors[i % colors.length],
              width: 2,
              points: { show: chart.x.length <= 31 },
            })),
          ],
        },
        data: [chart.x, ...chart.lines.map((line) => line.values)] as uPlot.AlignedData,
      }
    },
    [chart],
  )
  return <div class="chart-canvas" ref={ref} aria-hidden="true" />
}

/** Labelled bars: a funnel's steps, a frequency distribution. */
export function BarChart({ bars }: { bars: Bar[] }) {
  const ref = usePlot(
    (width) => {
      const [color] = palette()
      const positions = bars.map((_, i) => i)
      return {
        options: {
          width,
          height,
          legend: { show: false },
          cursor: { drag: { x: false, y: false }, points: { show: false } },
          scales: {
            x: { time: false, range: () => [-0.5, bars.length - 0.5] },
            y: { range: (_plot, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
          },
          axes: axes('count', {
            splits: () => positions,
            values: (_plot, splits) => splits.map((i) => bars[i]?.label ?? ''),
            grid: { show: false },
          }),
          series: [
            {},
            {
              label: 'Value',
              fill: color,
              stroke: color,
              width: 0,
              points: { show: false },
              paths: uPlot.paths.bars?.({ size: [0.6, 96], align: 0 }),
            },
          ],
        },
        data: [positions, bars.map((bar) => bar.value)],
      }
    },
    [bars],
  )
  return <div class="chart-canvas" ref={ref} aria-hidden="true" />
}
