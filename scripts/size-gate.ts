/**
 * The SDK's size budget: gzips (level 9) the minified loader, the shared rendering chunk (Preact and the kit),
 * every lazy chunk in the build's manifest (formats, triggers, units) and every chunk those load later, and
 * prints them beside well-known trackers. Run after `npm run build:sdk`; exits 1 when anything is over budget.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const dir = 'dist/sdk'
/**
 * `bannerPath`: a banner's whole drawing code, the awareness chunk with the shared chunk (issue 3). The shared
 * chunk holds what every format draws with (Preact, the popup, the unit styles), so it has no budget of its own
 * beyond that sum.
 */
const budgetKb = { loader: 5, bannerPath: 9, chunk: 3 }
/**
 * Chunks loaded later, by a format, allowed more than `budgetKb.chunk`: the lead form's checks carry zod/mini and
 * the form's schema (the very validation the API runs), fetched once a visitor starts filling a form in.
 */
const chunkBudgetKb: Record<string, number> = { checks: 8.5 }
const references: [string, string][] = [
  ['Plausible tracker', '1.3–2.7 KB'],
  ['Umami', '1.7 KB'],
  ['Segment analytics.js', '~30 KB'],
  ['posthog-js 1.449', '~122 KB'],
]

const gzipKb = (path: string) => gzipSync(readFileSync(join(dir, path)), { level: 9 }).length / 1024
const kb = (value: number) => `${value.toFixed(3)} KB`

const chunkFiles = readdirSync(join(dir, 'chunks')).filter((file) => file.endsWith('.js'))
const shared = chunkFiles.find((file) => /^preact-[\w-]+\.js$/.test(file))
if (!shared) throw new Error(`no shared preact chunk in ${dir}/chunks: run npm run build:sdk first`)
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, string>
const listed = new Set([join('chunks', shared), ...Object.values(manifest)])
/** Chunks no manifest entry names: loaded by a format when it needs them (the lead form's checks, its captcha). */
const later = chunkFiles.map((file) => join('chunks', file)).filter((path) => !listed.has(path))
const nameOf = (path: string) => path.replace(/^chunks\//, '').replace(/-[\w-]{8}\.js$/, '')

interface Measured {
  name: string
  size: number
  budget: number
}
const sharedKb = gzipKb(join('chunks', shared))
const measured: Measured[] = [
  { name: 'loader (promo.js)', size: gzipKb('promo.js'), budget: budgetKb.loader },
  {
    name: 'banner (awareness + shared Preact/kit chunk)',
    size: sharedKb + gzipKb(manifest.awareness!),
    budget: budgetKb.bannerPath,
  },
  ...Object.entries(manifest).map(([name, path]) => ({
    name: `${name} chunk`,
    size: gzipKb(path),
    budget: budgetKb.chunk,
  })),
  ...later.map((path) => ({
    name: `${nameOf(path)} chunk (loaded later)`,
    size: gzipKb(path),
    budget: chunkBudgetKb[nameOf(path)] ?? budgetKb.chunk,
  })),
]
const over = measured.filter(({ size, budget }) => size > budget)

const rows: string[][] = [
  ['shared chunk (Preact + kit)', kb(sharedKb), 'in banner', ''],
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
