/**
 * `npm run bench:serve`: HTTP serve throughput and latency with 100 active campaigns (CAMPAIGNS to change),
 * side by side with a Hono hello-world route on the same server in the same run: once with serving state in
 * memory, and once in Redis (REDIS_URL, default the local one), printed beside it. Every request is a new
 * page view of one of 100,000 visitors taken in turn, about three page views each over a run, as a day of a
 * busy shop looks (each visitor from their own address, so the rate limits count as they would): the awareness
 * cap of 3 a day binds for some, leases and profiles are real work (bench:decide
 * covers the heavy case, visitors capped out of campaign after campaign). Target, memory store:
 * ≥ 50% of hello-world's throughput with p99 ≤ 10 ms.
 */
import { fork } from 'node:child_process'
import autocannon from 'autocannon'
import { pinApart } from './pin'

const target = Number(process.env.TARGET_RATIO ?? 0.5)
const targetP99 = Number(process.env.TARGET_P99 ?? 10)
const duration = Number(process.env.DURATION ?? 5)
const connections = Number(process.env.CONNECTIONS ?? 10)

type Ready = { port: number; publishableKey: string; driver: string }
function server(kv: 'memory' | 'redis') {
  const child = fork(new URL('./serve-server.ts', import.meta.url).pathname, [], {
    env: { ...process.env, KV: kv },
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE}`] : []),
    ],
  })
  const ready = new Promise<Ready>((resolve, reject) => {
    child.once('message', (m) => resolve(m as never))
    child.once('exit', (code) => reject(new Error(`bench server (${kv}) exited with ${code}`)))
  })
  return { child, ready }
}
const memoryServer = server('memory')
const redisServer = server('redis')
const memory = await memoryServer.ready
const redis = await redisServer.ready
const pinned = process.env.NO_PIN
  ? 'not pinned (NO_PIN)'
  : pinApart(process.pid, [memoryServer.child.pid, redisServer.child.pid])

async function run(title: string, options: autocannon.Options) {
  const result = await autocannon({ connections, duration, ...options })
  const failures = result.non2xx + result.errors + result.timeouts
  return { title, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, failures }
}

/** A real desktop browser's User-Agent: serve parses it for device targeting. */
const chromeAgent =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
let pageView = 0
const visitors = 100_000
/** What the demo shop page asks for (its two slots, plus any page-level units), for the next visitor. */
function serveRoute(title: string, ready: Ready, seconds = duration, path = '/api/v1/serve') {
  return run(title, {
    url: `http://127.0.0.1:${ready.port}${path}`,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'user-agent': chromeAgent },
        setupRequest: (request) => {
          const visitor = pageView++ % visitors
          return {
            ...request,
            // Each visitor from an address of their own, as a proxy in front names it: the rate limits count
            // real traffic, not one address sending everything.
            headers: {
              ...request.headers,
              'x-forwarded-for': `10.${visitor >> 16}.${(visitor >> 8) & 255}.${visitor & 255}`,
            },
            body: JSON.stringify({
              site: ready.publishableKey,
              slots: ['home-hero', 'article-inline'],
              anonymousId: `bench-visitor-${visitor}`,
              sessionId: `bench-session-${visitor}`,
              context: { url: 'https://shop.example/', language: 'en' },
            }),
          }
        },
      },
    ],
  })
}
/**
 * The baseline gets the very same requests (a POST with the same varied body, which the route ignores), so
 * the load generator's own work per request is the same on both sides of the ratio.
 */
const hello = (seconds = duration) => serveRoute('POST /hello (Hono hello-world)', memory, seconds, '/hello')
const campaigns = process.env.CAMPAIGNS ?? 100
// Warm every path (JIT, caches) before measuring.
await hello(2)
await serveRoute('warm-up', memory, 2)
await serveRoute('warm-up', redis, 2)
// Alternate the routes over several rounds and keep the median, so a burst of load elsewhere on this shared
// machine skews one round, not the result.
const rounds = Number(process.env.ROUNDS ?? 5)
const hellos: Awaited<ReturnType<typeof run>>[] = []
const serves: Awaited<ReturnType<typeof run>>[] = []
const redisServes: Awaited<ReturnType<typeof run>>[] = []
for (let i = 0; i < rounds; i++) {
  hellos.push(await hello())
  serves.push(await serveRoute(`POST /api/v1/serve (${campaigns} campaigns, ${memory.driver})`, memory))
  redisServes.push(await serveRoute(`POST /api/v1/serve (${campaigns} campaigns, ${redis.driver})`, redis))
}
const median = <T>(items: T[], key: (item: T) => number) =>
  [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)]!
const ratios = serves.map((s, i) => s.rps / hellos[i]!.rps)
const redisRatios = redisServes.map((s, i) => s.rps / hellos[i]!.rps)
const helloResult = median(hellos, (r) => r.rps)
const serveResult = median(serves, (r) => r.rps)
const redisResult = median(redisServes, (r) => r.rps)
memoryServer.child.disconnect()
redisServer.child.disconnect()

const pad = (s: string | number, n: number) => String(s).padStart(n)
console.log(
  `\n${connections} connections, ${duration} s per round, median of ${rounds} rounds; ${pinned}\n${'route'.padEnd(66)}${pad('req/s', 10)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('errors', 8)}`,
)
for (const r of [helloResult, serveResult, redisResult]) {
  console.log(
    `${r.title.padEnd(66)}${pad(Math.round(r.rps), 10)}${pad(r.p50, 9)}${pad(r.p99, 9)}${pad(r.failures, 8)}`,
  )
}
const ratio = median(ratios, (r) => r)
const percent = (r: number) => `${(r * 100).toFixed(1)}%`
console.log(`\nper-round ratios, memory store: ${ratios.map(percent).join(', ')}`)
console.log(`per-round ratios, Redis store:  ${redisRatios.map(percent).join(', ')}`)
const failures = [...serves, ...redisServes].reduce((sum, r) => sum + r.failures, 0)
const pass = ratio >= target && serveResult.p99 <= targetP99 && failures === 0
console.log(
  `\nserve / hello-world = ${percent(ratio)} (memory store), ${percent(median(redisRatios, (r) => r))} (Redis store); errors ${failures}`,
)
console.log(
  `bench serve: ${pass ? 'PASS' : 'FAIL'} ${percent(ratio)} of hello-world, p99 ${serveResult.p99} ms (target ≥ ${target * 100}%, p99 ≤ ${targetP99} ms)`,
)
process.exit(pass ? 0 : 1)
