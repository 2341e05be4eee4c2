/**
 * The SDK's size budget: gzips (level 9) the minified loader, the shared rendering chunk (Preact and the kit),
 * every lazy chunk in the build's manifest (formats, triggers, units) and every chunk those load later, and
 * prints them beside well-known trackers. Then the pages: what a page transfers in all, the loader and every
 * chunk it needs at once, followed through the build's chunk graph (dist/sdk-graph.json), as the server sends
 * them to a browser that accepts brotli (all current ones do, Chromium on http://127.0.0.1 too), gzip beside.
 * Run after `npm run build:sdk`; exits 1 when anything is over budget.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const dir = 'dist/sdk'
/**
 * `bannerPath`: a banner's whole drawing code, the awareness chunk with the shared chunk (issue 3). The shared
 * chunk holds what every format draws with (Preact, the popup, the unit styles), so it has no budget of its own
 * beyond that sum.
 */
const budgetKb = { loader: 4.5, bannerPath: 9, chunk: 3 }
/**
 * Chunks allowed more than `budgetKb.chunk`: the lead form's checks carry zod/mini and the form's schema (the very
 * validation the API runs), fetched once a visitor starts filling a form in.
 */
const chunkBudgetKb: Record<string, number> = {
  checks: 8.5,
  // The page runtime, which every page fetches with the loader: it holds its own copy of the limits and landing
  // parameters, a 0.26 KB chunk of their own before (a request more on every page); `pages` bounds the two.
  units: 3.25,
}
const references: [string, string][] = [
  ['Plausible tracker', '1.3–2.7 KB'],
  ['Umami', '1.7 KB'],
  ['Segment analytics.js', '~30 KB'],
  ['posthog-js 1.449', '~122 KB'],
]

/**
 * The pages whose whole SDK has a budget: the manifest entries each needs at once (beside the loader, always), and
 * how many KB may go over the wire for them. Every page fetches the units chunk with its first page view; a
 * format's chunk comes when a decision names it, a chunk it imports dynamically (the lead form's checks, on the
 * visitor's first focus) only later, so it is not counted.
 */
const pages: { name: string; entries: string[]; budget: number }[] = [
  { name: 'any page (loader + page runtime)', entries: ['units'], budget: 7.5 },
  { name: 'one-banner page', entries: ['units', 'awareness'], budget: 15 },
  { name: 'lead-form page, before focus', entries: ['units', 'lead_generation'], budget: 20 },
]

const gzipKb = (path: string) => gzipSync(readFileSync(join(dir, path)), { level: 9 }).length / 1024
/** As api/runtime/assets.ts precompresses what it serves: brotli at its best quality, in text mode. */
const brotliKb = (path: string) => {
  const bytes = readFileSync(join(dir, path))
  return (
    brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    }).length / 1024
  )
}
const kb = (value: number) => `${value.toFixed(3)} KB`

const chunkFiles = readdirSync(join(dir, 'chunks')).filter((file) => file.endsWith('.js'))
const shared = chunkFiles.find((file) => /^preact-[\w-]+\.js$/.test(file))
if (!shared) throw new Error(`no shared preact chunk in ${dir}/chunks: run npm run build:sdk first`)
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, string>
const listed = new Set([join('chunks', shared), ...Object.values(manifest)])
/** Chunks no manifest entry names: loaded by a format when it needs them (the lead form's checks, its captcha). */
const later = chunkFiles.map((file) => join('chunks', file)).filter((path) => !listed.has(path))
const nameOf = (path: string) => path.replace(/^chunks\//, '').replace(/-(?:[\w-]{8}|[\da-f]{10})\.js$/, '')

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
    budget: chunkBudgetKb[name] ?? budgetKb.chunk,
  })),
  ...later.map((path) => ({
    name: `${nameOf(path)} chunk (loaded later)`,
    size: gzipKb(path),
    budget: chunkBudgetKb[nameOf(path)] ?? budgetKb.chunk,
  })),
]

/** The build's chunk graph: what each chunk imports at once. */
const graph = JSON.parse(readFileSync(join(dir, '..', 'sdk-graph.json'), 'utf8')) as Record<
  string,
  { imports: string[] }
>
/** The chunk files a page with these entries loads at once: each entry's chunk and its static imports, transitively. */
function pageFiles(entries: string[]): string[] {
  const files = new Set<string>(['promo.js'])
  const visit = (file: string) => {
    if (files.has(file)) return
    const node = graph[file]
    if (!node) throw new Error(`${file} is not in the build's chunk graph: run npm run build:sdk`)
    files.add(file)
    for (const imported of node.imports) visit(imported)
  }
  for (const entry of entries) {
    const file = manifest[entry]
    if (!file) throw new Error(`no ${entry} entry in ${dir}/manifest.json`)
    visit(file)
  }
  return [...files]
}
const pageSizes = pages.map(({ name, entries, budget }) => {
  const files = pageFiles(entries)
  const sum = (size: (path: string) => number) => files.reduce((total, file) => total + size(file), 0)
  return { name, files, size: sum(brotliKb), gzip: sum(gzipKb), budget }
})

const over = [...measured, ...pageSizes].filter(({ size, budget }) => size > budget)

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

console.log('')
const pageRows = pageSizes.map(({ name, files, size, gzip, budget }) => [
  name,
  kb(size),
  kb(gzip),
  `≤ ${budget} KB`,
  size > budget ? 'OVER' : 'ok',
  files.map((file) => nameOf(file).replace(/\.js$/, '')).join(' + '),
])
const pageHeader = ['page', 'brotli', 'gzip -9', 'budget', '', 'files']
const pageWidths = pageHeader.map((title, i) =>
  Math.max(title.length, ...pageRows.map((row) => row[i]!.length)),
)
const pageLine = (cells: string[]) =>
  cells
    .map((cell, i) => (i === 1 || i === 2 ? cell.padStart(pageWidths[i]!) : cell.padEnd(pageWidths[i]!)))
    .join('  ')
    .trimEnd()
console.log(pageLine(pageHeader))
console.log(pageLine(pageWidths.map((width) => '-'.repeat(width))))
for (const row of pageRows) console.log(pageLine(row))

const summary = [
  ...measured.map(({ name, size, budget }) => `${name.split(' ')[0]} ${kb(size)}/${budget}`),
  ...pageSizes.map(({ name, size, budget }) => `${name.split(' ')[0]} page ${kb(size)}/${budget}`),
]
console.log(`size: ${over.length ? 'FAIL' : 'PASS'} ${summary.join(', ')}`)
if (over.length) process.exitCode = 1
