/**
 * `npm run bench:serve`: HTTP serve throughput and latency with N active campaigns (default 20), side by side
 * with a Hono hello-world route on the same server in the same run. Target: serve ≥ 30% of hello-world.
 */
import { fork } from 'node:child_process'
import autocannon from 'autocannon'

const target = Number(process.env.TARGET_RATIO ?? 0.3)
const duration = Number(process.env.DURATION ?? 5)
const child = fork(new URL('./serve-server.ts', import.meta.url).pathname, [], {
  execArgv: [
    '--import',
    'tsx',
    ...(process.env.PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE}`] : []),
  ],
})
const ready = await new Promise<{ port: number; publishableKey: string; driver: string }>(
  (resolve, reject) => {
    child.once('message', (m) => resolve(m as never))
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)))
  },
)

async function run(title: string, options: autocannon.Options) {
  const result = await autocannon({ connections: 50, duration, ...options })
  const failures = result.non2xx + result.errors + result.timeouts
  return { title, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, failures }
}

const base = `http://127.0.0.1:${ready.port}`
/** A real desktop browser's User-Agent: serve parses it for device targeting. */
const chromeAgent =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
const body = JSON.stringify({
  site: ready.publishableKey,
  // What the demo shop page asks for: its two slots, plus any page-level units.
  slots: ['home-hero', 'article-inline'],
  anonymousId: 'bench-visitor',
  context: { url: 'https://shop.example/' },
})
// Warm both paths (JIT, caches) before measuring.
await run('warm-up', { url: `${base}/hello`, duration: 2 })
await run('warm-up', {
  url: `${base}/api/v1/serve`,
  method: 'POST',
  body,
  headers: { 'content-type': 'text/plain' },
  duration: 2,
})
// Alternate the two routes over several rounds and keep the median, so a burst of load elsewhere on this
// shared machine skews one round, not the result.
const rounds = Number(process.env.ROUNDS ?? 3)
const hellos: Awaited<ReturnType<typeof run>>[] = []
const serves: Awaited<ReturnType<typeof run>>[] = []
for (let i = 0; i < rounds; i++) {
  hellos.push(await run('GET /hello (Hono hello-world)', { url: `${base}/hello` }))
  serves.push(
    await run(`POST /api/v1/serve (${process.env.CAMPAIGNS ?? 20} active campaigns, ${ready.driver})`, {
      url: `${base}/api/v1/serve`,
      method: 'POST',
      body,
      headers: { 'content-type': 'text/plain', 'user-agent': chromeAgent },
    }),
  )
}
const median = <T>(items: T[], key: (item: T) => number) =>
  [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)]!
const ratios = serves.map((s, i) => s.rps / hellos[i]!.rps)
const hello = median(hellos, (r) => r.rps)
const serveResult = median(serves, (r) => r.rps)
child.disconnect()

const pad = (s: string | number, n: number) => String(s).padStart(n)
console.log(
  `\n${'route'.padEnd(58)}${pad('req/s', 10)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('errors', 8)}`,
)
for (const r of [hello, serveResult]) {
  console.log(
    `${r.title.padEnd(58)}${pad(Math.round(r.rps), 10)}${pad(r.p50, 9)}${pad(r.p99, 9)}${pad(r.failures, 8)}`,
  )
}
const ratio = median(ratios, (r) => r)
console.log(`\nper-round ratios: ${ratios.map((r) => `${(r * 100).toFixed(1)}%`).join(', ')}`)
const pass = ratio >= target && serves.every((r) => r.failures === 0)
console.log(`\nserve / hello-world = ${(ratio * 100).toFixed(1)}%`)
console.log(
  `bench serve: ${pass ? 'PASS' : 'FAIL'} ${(ratio * 100).toFixed(1)}% of hello-world (target ≥ ${target * 100}%)`,
)
process.exit(pass ? 0 : 1)
