/**
 * `npm run bench:page`: what the SDK costs a page in Chromium. Starts the real Node server (embedded: PGlite, the
 * memory store, the built SDK) and loads, each in a fresh browser context (a first visit: empty cache and
 * storage), 5 times with the SDK and 5 times without it:
 * - a one-banner page (the demo's "Winter sale hero" in its slot, every other campaign paused), and
 * - the demo page (examples/: hero, sticky bar, lead form), after resuming them.
 * A load with the SDK lasts until its first batch of events has gone (3 s after the page view), so the figures
 * hold everything the SDK does to show its units and report them. Per page: SDK bytes on the wire (CDP
 * `Network.loadingFinished` encodedDataLength of /sdk/ URLs, headers included, compressed as the server sends
 * them), the median and spread of Chromium's `Performance.getMetrics` ScriptDuration and TaskDuration, and long
 * tasks (PerformanceObserver 'longtask', 50 ms and over). SDK scripting is the median ScriptDuration with the
 * SDK less the median without it. Beside them: Plausible's tracker, Segment's analytics.js and posthog-js (their
 * browser bundles, from `npm pack` into REFS_DIR, default /tmp/promo-bench-refs: sizes as brotli and gzip, and
 * the same page's ScriptDuration with the bundle loaded instead of the SDK, uninitialised).
 * Targets: SDK scripting ≤ 10 ms on the one-banner page and ≤ 20 ms on the demo page, no long task. LOADS
 * changes the 5; PROFILE=1 (or `files`) records a CPU profile of each load with the SDK and prints self time by
 * function (or by file), PROFILE_US its sampling interval (default 200 µs; profiling inflates every figure).
 * Needs `npm run build:sdk` (the npm script runs it first) and Debian's chromium (CHROMIUM_PATH to change).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { type Browser, chromium } from 'playwright-core'
import { start } from '../../api/runtime/node'
import { campaigns } from '../../schema/db'
import { pinApart } from './pin'

const loads = Number(process.env.LOADS ?? 5)
const targets = { banner: 10, demo: 20 }
const refsDir = process.env.REFS_DIR ?? '/tmp/promo-bench-refs'
/** The browser bundle each reference serves to a page: package, version, file in the package, how it loads. */
const references = [
  {
    name: "Plausible's tracker",
    pkg: '@plausible-analytics/tracker',
    version: '0.4.6',
    file: 'plausible.js',
    module: true,
  },
  {
    name: "Segment's analytics.js",
    pkg: '@segment/analytics-next',
    version: '1.84.3',
    file: 'dist/umd/standalone.js',
    module: false,
  },
  { name: 'posthog-js', pkg: 'posthog-js', version: '1.449.2', file: 'dist/array.js', module: false },
]
const keys = {
  publishable: 'pk_test_benchpagebenchpage01',
  secret: 'sk_test_benchpagebenchpagebenchpage01',
}
// Headless Chromium names itself HeadlessChrome, which the API takes for a bot and serves nothing.
const userAgent =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'

if (!existsSync('dist/sdk/promo.js')) throw new Error('no dist/sdk/promo.js: run npm run build:sdk first')

const dataDir = await mkdtemp(join(tmpdir(), 'promo-bench-page-'))
const server = await start({
  PORT: '0',
  HOST: '127.0.0.1',
  PROMO_DATA_DIR: dataDir,
  PROMO_PUBLISHABLE_KEY: keys.publishable,
  PROMO_SECRET_KEY: keys.secret,
  PROMO_ADMIN_EMAIL: 'bench@page.test',
  PROMO_ADMIN_PASSWORD: 'bench-page-password',
  PROMO_LOG: 'silent',
})
const origin = `http://127.0.0.1:${server.port}`
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    `--user-agent=${userAgent}`,
  ],
})
/**
 * Not pinned unless PIN is set: Chromium runs a browser, a network service, a GPU process and a renderer per page,
 * and the page's storage, fetch and import() calls wait on the first two, so one core for all of it (pin.ts's
 * split on this 2-core machine) measures the core's queue more than the SDK: scripting time grew about fourfold.
 */
const pinned = process.env.PIN ? pinChromium(browser) : 'not pinned (PIN=1 to pin)'

/**
 * Chromium (every process it has started, zygotes included, so the renderers they fork later inherit it) on core
 * 0, this process (the server) on the others: the page's main thread does not wait for the server's.
 */
function pinChromium(_launched: Browser): string {
  let root: number | undefined
  try {
    const children = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], {
      encoding: 'utf8',
    })
    root =
      Number(
        children
          .split('\n')
          .find((row) => /chrom/.test(row))
          ?.trim()
          .split(/\s+/)[0],
      ) || undefined
  } catch {
    root = undefined
  }
  if (!root) return 'not pinned: Chromium process not found'
  const tree = [root]
  for (let i = 0; i < tree.length; i++) {
    try {
      const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(tree[i])], { encoding: 'utf8' })
      tree.push(...children.split('\n').map(Number).filter(Boolean))
    } catch {
      // No children: ps exits 1.
    }
  }
  const said = pinApart(root, [process.pid])
  for (const pid of tree.slice(1)) {
    try {
      execFileSync('taskset', ['-acp', '0', String(pid)], { stdio: 'ignore' })
    } catch {
      // Gone already.
    }
  }
  return said.replace('load generator', 'Chromium').replace('server', 'server (this process)')
}

/** CPU profiles of the loads with the SDK, when PROFILE is set: their self time is printed by function. */
const profiles: {
  nodes: {
    id: number
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }
  }[]
  samples?: number[]
  timeDeltas?: number[]
}[] = []

interface Load {
  scriptMs: number
  taskMs: number
  /** Everything the SDK's responses took on the wire, headers included. */
  sdkBytes: number
  /** Their bodies alone, as sent (compressed). */
  sdkBodyBytes: number
  longTasks: number[]
  units: number
  encodings: Set<string>
}

/**
 * One load in a fresh context. `html` replaces the document at `url` (the SDK's requests still go to the
 * server); `sdk` says whether to wait for the SDK's first batch of events.
 */
async function load(
  url: string,
  options: { html?: string; sdk: boolean; extra?: Record<string, Buffer> },
): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, userAgent })
  try {
    const page = await context.newPage()
    if (options.html) {
      const html = options.html
      await page.route(url, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }))
    }
    for (const [path, body] of Object.entries(options.extra ?? {})) {
      await page.route(`${origin}${path}`, (route) =>
        route.fulfill({
          contentType: 'text/javascript',
          body,
          headers: { 'access-control-allow-origin': '*' },
        }),
      )
    }
    await page.addInitScript(() => {
      const seen: number[] = []
      ;(window as unknown as { __longTasks: number[] }).__longTasks = seen
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) seen.push(entry.duration)
      }).observe({ type: 'longtask', buffered: true })
    })
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Performance.enable')
    const urls = new Map<string, string>()
    const encodings = new Set<string>()
    let sdkBytes = 0
    let sdkBodyBytes = 0
    let eventsSent = false
    cdp.on('Network.requestWillBeSent', (event) => urls.set(event.requestId, event.request.url))
    cdp.on('Network.responseReceived', (event) => {
      if (!event.response.url.startsWith(`${origin}/sdk/`)) return
      const headers = Object.fromEntries(
        Object.entries(event.response.headers).map(([k, v]) => [k.toLowerCase(), v]),
      )
      encodings.add(String(headers['content-encoding'] ?? 'identity'))
      if (process.env.VERBOSE)
        console.log(event.response.url, headers['content-encoding'], headers['content-length'])
    })
    cdp.on('Network.dataReceived', (event) => {
      if ((urls.get(event.requestId) ?? '').startsWith(`${origin}/sdk/`))
        sdkBodyBytes += event.encodedDataLength
    })
    cdp.on('Network.loadingFinished', (event) => {
      const requested = urls.get(event.requestId) ?? ''
      if (requested.startsWith(`${origin}/sdk/`)) sdkBytes += event.encodedDataLength
      if (requested.startsWith(`${origin}/api/v1/events`)) eventsSent = true
    })
    const profiling = !!process.env.PROFILE && options.sdk
    if (profiling) {
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.setSamplingInterval', { interval: Number(process.env.PROFILE_US ?? 200) })
      await cdp.send('Profiler.start')
    }
    await page.goto(url, { waitUntil: 'load' })
    if (options.sdk) {
      const deadline = Date.now() + 15_000
      while (!eventsSent && Date.now() < deadline) await page.waitForTimeout(100)
      if (!eventsSent) throw new Error(`no events sent from ${url} within 15 s`)
    } else await page.waitForTimeout(1_000)
    await page.waitForTimeout(300)
    const { metrics } = await cdp.send('Performance.getMetrics')
    const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000
    const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks)
    const units = await page.evaluate(
      () =>
        [...document.querySelectorAll('promo-unit')].filter((host) => host.shadowRoot?.childElementCount)
          .length,
    )
    if (profiling) profiles.push((await cdp.send('Profiler.stop')).profile)
    return {
      scriptMs: metric('ScriptDuration'),
      taskMs: metric('TaskDuration'),
      sdkBytes,
      sdkBodyBytes,
      longTasks,
      units,
      encodings,
    }
  } finally {
    await context.close()
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
const ms = (value: number) => `${value.toFixed(1)} ms`
const spread = (values: number[]) => `${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}`
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`

/** With and without the SDK in turn, `loads` times each (after one warm-up load of each, not counted). */
async function measurePage(url: string, withSdk: string | undefined, withoutSdk: string) {
  await load(url, { html: withSdk, sdk: true })
  await load(url, { html: withoutSdk, sdk: false })
  const withIt: Load[] = []
  const without: Load[] = []
  for (let i = 0; i < loads; i++) {
    withIt.push(await load(url, { html: withSdk, sdk: true }))
    without.push(await load(url, { html: withoutSdk, sdk: false }))
  }
  return { withIt, without }
}

const scriptTag = `<script async src="/sdk/promo.js" data-site="${keys.publishable}"></script>`
const bannerPage = (head: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Winter collection</title>
<link rel="icon" href="data:,">${head}</head><body><header><a href="/">Northwind Outfitters</a></header>
<main><section data-promo-slot="home-hero" aria-label="Featured promotion"></section>
<h1>The winter collection</h1><p>Layers made for wind and snow, boots that stay dry, and knitwear that lasts.</p>
</main></body></html>`

const all = await server.database.db
  .select({ id: campaigns.id, name: campaigns.name, status: campaigns.status })
  .from(campaigns)
const others = all.filter((row) => row.status === 'active' && row.name !== 'Winter sale hero')
const transition = async (id: string, action: 'pause' | 'activate') => {
  const response = await fetch(`${origin}/api/v1/campaigns/${id}/${action}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${keys.secret}` },
  })
  if (!response.ok) throw new Error(`${action} ${id}: ${response.status} ${await response.text()}`)
}

// The demo page as the server sends it, and the same without the SDK's script tag (the stub and the shop's own
// script stay: without the SDK the stub queues calls that nothing replays).
const demoUrl = `${origin}/demo/`
const demoHtml = await (await fetch(demoUrl)).text()
const demoWithout = demoHtml.replace(/<script async src="\/sdk\/promo\.js"[^>]*><\/script>/, '')
if (demoWithout === demoHtml) throw new Error('the demo page has no SDK script tag to take out')
const demo = await measurePage(demoUrl, undefined, demoWithout)

for (const row of others) await transition(row.id, 'pause')
const bannerUrl = `${origin}/bench/one-banner`
const banner = await measurePage(bannerUrl, bannerPage(scriptTag), bannerPage(''))
for (const row of others) await transition(row.id, 'activate')

/** The reference bundles, packed into `refsDir` unless there already. */
function referenceBundle(ref: (typeof references)[number]): Buffer | undefined {
  const tarball = `${ref.pkg.replace(/^@/, '').replace('/', '-')}-${ref.version}.tgz`
  const unpacked = join(refsDir, tarball.replace(/\.tgz$/, ''))
  try {
    if (!existsSync(join(unpacked, 'package', ref.file))) {
      mkdirSync(unpacked, { recursive: true })
      if (!readdirSync(refsDir).includes(tarball))
        execFileSync('npm', ['pack', `${ref.pkg}@${ref.version}`, '--pack-destination', refsDir], {
          stdio: 'ignore',
        })
      execFileSync('tar', ['-xzf', join(refsDir, tarball), '-C', unpacked])
    }
    return readFileSync(join(unpacked, 'package', ref.file))
  } catch {
    return undefined
  }
}
const brotli = (bytes: Buffer) =>
  brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  }).length
const refRows: string[][] = []
for (const ref of references) {
  const bundle = referenceBundle(ref)
  if (!bundle) {
    refRows.push([`${ref.name} ${ref.version}`, 'not measured: npm pack failed (offline?)', '', ''])
    continue
  }
  const path = `/bench/ref/${ref.file.split('/').pop()}`
  const tag = `<script ${ref.module ? 'type="module"' : 'async'} src="${path}"></script>`
  const scripts: number[] = []
  for (let i = 0; i < loads; i++)
    scripts.push(
      (await load(bannerUrl, { html: bannerPage(tag), sdk: false, extra: { [path]: bundle } })).scriptMs,
    )
  refRows.push([
    `${ref.name} ${ref.version} (${ref.file})`,
    `${kb(brotli(bundle))} br, ${kb(gzipSync(bundle, { level: 9 }).length)} gzip`,
    `${ms(median(scripts))} (${spread(scripts)})`,
    '',
  ])
}

const chromiumVersion = browser.version()
await browser.close()
await server.close()
await rm(dataDir, { recursive: true, force: true })

if (profiles.length) {
  const self = new Map<string, number>()
  for (const profile of profiles) {
    const byId = new Map(profile.nodes.map((node) => [node.id, node]))
    profile.samples?.forEach((id, i) => {
      const { functionName, url, lineNumber, columnNumber } = byId.get(id)!.callFrame
      const where = url.replace(origin, '')
      const key =
        process.env.PROFILE === 'files'
          ? where || functionName
          : `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}:${columnNumber + 1}`
      self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000)
    })
  }
  console.log(`\nself time over ${profiles.length} loads with the SDK, ms per load:`)
  for (const [key, total] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40))
    console.log(`${(total / profiles.length).toFixed(2).padStart(8)}  ${key}`)
}

const summarize = (
  name: string,
  { withIt, without }: { withIt: Load[]; without: Load[] },
  target: number,
) => {
  const script = median(withIt.map((l) => l.scriptMs)) - median(without.map((l) => l.scriptMs))
  const longTasks = withIt.flatMap((l) => l.longTasks)
  return {
    name,
    target,
    script,
    longTasks,
    rows: [
      [
        `${name}, with the SDK`,
        `${kb(median(withIt.map((l) => l.sdkBytes)))}, bodies ${kb(median(withIt.map((l) => l.sdkBodyBytes)))} (${[...new Set(withIt.flatMap((l) => [...l.encodings]))].join('/')})`,
        `${ms(median(withIt.map((l) => l.scriptMs)))} (${spread(withIt.map((l) => l.scriptMs))})`,
        `${ms(median(withIt.map((l) => l.taskMs)))} (${spread(withIt.map((l) => l.taskMs))})`,
        `${longTasks.length ? longTasks.map(ms).join(', ') : 'none'}; units ${[...new Set(withIt.map((l) => l.units))].join('/')}`,
      ],
      [
        `${name}, without`,
        '',
        `${ms(median(without.map((l) => l.scriptMs)))} (${spread(without.map((l) => l.scriptMs))})`,
        `${ms(median(without.map((l) => l.taskMs)))} (${spread(without.map((l) => l.taskMs))})`,
        without.flatMap((l) => l.longTasks).length
          ? without
              .flatMap((l) => l.longTasks)
              .map(ms)
              .join(', ')
          : 'none',
      ],
    ],
  }
}
const results = [
  summarize('one-banner page', banner, targets.banner),
  summarize('demo page', demo, targets.demo),
]

const header = ['page', 'SDK on the wire', 'ScriptDuration', 'TaskDuration', 'long tasks']
const rows = [...results.flatMap((r) => r.rows), ...refRows.map((row) => [...row, ''])]
const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)))
const line = (cells: string[]) =>
  cells
    .map((cell, i) => (cell ?? '').padEnd(widths[i]!))
    .join('  ')
    .trimEnd()
console.log(
  `\nChromium ${chromiumVersion}, ${loads} loads each (fresh context, after a warm-up), median (min–max); ${pinned}`,
)
console.log(line(header))
console.log(line(widths.map((width) => '-'.repeat(width))))
for (const row of rows.slice(0, results.length * 2)) console.log(line(row))
console.log(
  line(['reference (same page, bundle instead of the SDK)', 'bundle size', 'ScriptDuration', '', '']),
)
for (const row of rows.slice(results.length * 2)) console.log(line(row))

console.log('')
for (const r of results)
  console.log(
    `${r.name}: SDK scripting ${ms(r.script)} (target ≤ ${r.target} ms), long tasks with the SDK: ${r.longTasks.length}`,
  )
const failed = results.filter((r) => r.script > r.target || r.longTasks.length > 0)
console.log(
  `bench page: ${failed.length ? 'FAIL' : 'PASS'} SDK scripting ${ms(results[0]!.script)} one banner, ${ms(results[1]!.script)} demo, ${results.reduce((n, r) => n + r.longTasks.length, 0)} long tasks (target ≤ ${targets.banner} ms, ≤ ${targets.demo} ms, none)`,
)
process.exit(failed.length ? 1 : 0)
