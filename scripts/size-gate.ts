/**
 * The SDK's size budget: gzips (level 9) the built loader and format chunks and compares them with the
 * budgets and with well-known trackers. Run after `npm run build:sdk`; exits 1 when over budget.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const dir = 'dist/sdk'
const budgets = { loader: 5, bannerWithPreact: 9 }
const references: [string, string][] = [
  ['Plausible tracker', '1.3–2.7 KB'],
  ['Umami', '1.7 KB'],
  ['Segment analytics.js', '~30 KB'],
  ['posthog-js', '~122 KB'],
]

const gzipKb = (path: string) => gzipSync(readFileSync(path), { level: 9 }).length / 1024
const kb = (value: number) => `${value.toFixed(2)} KB`

function chunk(prefix: string): string {
  const name = readdirSync(join(dir, 'chunks')).find(
    (file) => file.startsWith(`${prefix}-`) && file.endsWith('.js'),
  )
  if (!name) throw new Error(`no ${prefix} chunk in ${dir}/chunks: run npm run build:sdk first`)
  return join(dir, 'chunks', name)
}

const loader = gzipKb(join(dir, 'promo.js'))
const banner = gzipKb(chunk('awareness'))
const preact = gzipKb(chunk('preact'))
const bannerWithPreact = banner + preact

const rows: [string, string, string][] = [
  ['loader (promo.js)', kb(loader), `≤ ${budgets.loader} KB`],
  ['awareness chunk', kb(banner), ''],
  ['shared Preact chunk', kb(preact), ''],
  ['awareness + Preact', kb(bannerWithPreact), `≤ ${budgets.bannerWithPreact} KB`],
  ...references.map(([name, size]): [string, string, string] => [name, size, 'reference']),
]
const widths = [0, 1, 2].map((i) =>
  Math.max(...rows.map((row) => row[i]!.length), ['file', 'gzip', 'budget'][i]!.length),
)
const line = (cells: string[]) =>
  cells
    .map((cell, i) => (i === 1 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
    .join('  ')
    .trimEnd()
console.log(line(['file', 'gzip', 'budget']))
console.log(line(widths.map((width) => '-'.repeat(width))))
for (const row of rows) console.log(line(row))

const pass = loader <= budgets.loader && bannerWithPreact <= budgets.bannerWithPreact
console.log(
  `size: ${pass ? 'PASS' : 'FAIL'} loader ${kb(loader)} (≤ ${budgets.loader} KB), banner+preact ${kb(bannerWithPreact)} (≤ ${budgets.bannerWithPreact} KB)`,
)
if (!pass) process.exitCode = 1
