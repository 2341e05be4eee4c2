/**
 * The SDK's size budget: gzips (level 9) the minified loader, the shared rendering chunk (Preact and the kit)
 * and every lazy chunk in the build's manifest (formats, triggers), and prints them beside well-known
 * trackers. Run after `npm run build:sdk`; exits 1 when anything is over budget.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const dir = 'dist/sdk'
const budgetKb = { loader: 5, shared: 7, chunk: 3 }
/**
 * Chunks allowed more than `budgetKb.chunk`: the lead form carries zod/mini with the form's schema (about 7 KB of its
 * 12), because the browser runs the very validation the API runs; it loads only on pages that show a form.
 */
const chunkBudgetKb: Record<string, number> = { lead_generation: 12.5 }
const references: [string, string][] = [
  ['Plausible tracker', '1.3–2.7 KB'],
  ['Umami', '1.7 KB'],
  ['Segment analytics.js', '~30 KB'],
  ['posthog-js 1.449', '~122 KB'],
]

const gzipKb = (path: string) => gzipSync(readFileSync(join(dir, path)), { level: 9 }).length / 1024
const kb = (value: number) => `${value.toFixed(2)} KB`

const shared = readdirSync(join(dir, 'chunks')).find((file) => /^preact-[\w-]+\.js$/.test(file))
if (!shared) throw new Error(`no shared preact chunk in ${dir}/chunks: run npm run build:sdk first`)
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, string>

interface Measured {
  name: string
  size: number
  budget: number
}
const measured: Measured[] = [
  { name: 'loader (promo.js)', size: gzipKb('promo.js'), budget: budgetKb.loader },
  { name: 'shared chunk (Preact + kit)', size: gzipKb(join('chunks', shared)), budget: budgetKb.shared },
  ...Object.entries(manifest).map(([name, path]) => ({
    name: `${name} chunk`,
    size: gzipKb(path),
    budget: chunkBudgetKb[name] ?? budgetKb.chunk,
  })),
]
const over = measured.filter(({ size, budget }) => size > budget)

const rows: string[][] = [
  ...measured.map(({ name, size, budget }) => [
    name,
    kb(size),
    `≤ ${budget} KB`,
    size > budget ? 'OVER' : 'ok',
  ]),
  ...references.map(([name, size]) => [name, size, 'reference', '']),
]
const header = ['file', 'gzip -9', 'budget', '']
const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)))
const line = (cells: string[]) =>
  cells
    .map((cell, i) => (i === 1 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
    .join('  ')
    .trimEnd()
console.log(line(header))
console.log(line(widths.map((width) => '-'.repeat(width))))
for (const row of rows) console.log(line(row))

const summary = measured.map(({ name, size, budget }) => `${name.split(' ')[0]} ${kb(size)}/${budget}`)
console.log(`size: ${over.length ? 'FAIL' : 'PASS'} ${summary.join(', ')}`)
if (over.length) process.exitCode = 1
