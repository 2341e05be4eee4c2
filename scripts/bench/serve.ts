/**
 * `npm run bench:serve`: HTTP serve throughput and latency with 100 active campaigns (CAMPAIGNS to change),
 * side by side with a Hono hello-world route on the same server in the same run: with serving state in memory,
 * in Redis (REDIS_URL, default the local one), and, printed beside them, in the same Redis through Upstash's
 * REST protocol (a local bridge). Every request is a new page view of one of 100,000 visitors taken in turn,
 * about three page views each over a run, as a day of a busy shop looks (each visitor from their own address,
 * so the rate limits count as they would): the awareness cap of 3 a day binds for some, leases and profiles
 * are real work (bench:decide covers the heavy case, visitors capped out of campaign after campaign).
 * Targets: memory store ≥ 55% of hello-world's throughput with p99 ≤ 5 ms, Redis store ≥ 33%, with at most one
 * Redis round trip per serve (counted with MONITOR after the rounds). The load generator and the servers are
 * pinned apart, every route is warmed, rounds alternate, and the ratio is each round's to its own hello-world
 * round: the median is judged, the spread printed, and every figure beside the server's CPU per request, which
 * other load on a shared machine moves far less than requests per second.
 */
import { fork } from 'node:child_process'
import autocannon from 'autocannon'
import { Redis } from 'ioredis'
import { pinApart } from './pin'

const target = Number(process.env.TARGET_RATIO ?? 0.55)
const targetRedis = Number(process.env.TARGET_REDIS_RATIO ?? 0.33)
const targetP99 = Number(process.env.TARGET_P99 ?? 5)
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const duration = Number(process.env.DURATION ?? 5)
const connections = Number(process.env.CONNECTIONS ?? 10)

type Ready = { port: number; publishableKey: string; driver: string; prefix: string }
function server(kv: 'memory' | 'redis' | 'upstash') {
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
const upstashServer = server('upstash')
const memory = await memoryServer.ready
const redis = await redisServer.ready
const upstash = await upstashServer.ready
const children = new Map([
  [memory, memoryServer.child],
  [redis, redisServer.child],
  [upstash, upstashServer.child],
])
const pinned = process.env.NO_PIN
  ? 'not pinned (NO_PIN)'
  : pinApart(process.pid, [memoryServer.child.pid, redisServer.child.pid, upstashServer.child.pid])

/** What the server tells when asked: its CPU time so far (µs, user + system) or the serves it has answered. */
function ask(ready: Ready, question: 'cpu' | 'serves'): Promise<number> {
  const child = children.get(ready)!
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as number))
    child.send(question)
  })
}
const cpuOf = (ready: Ready) => ask(ready, 'cpu')

async function run(title: string, ready: Ready, options: autocannon.Options) {
  const cpuBefore = await cpuOf(ready)
  const result = await autocannon({ connections, duration, ...options })
  const cpu = (await cpuOf(ready)) - cpuBefore
  const failures = result.non2xx + result.errors + result.timeouts
  return {
    title,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures,
    total: result.requests.total,
    cpuPerRequest: cpu / Math.max(1, result.requests.total),
  }
}

/** A real desktop browser's User-Agent: serve parses it for device targeting. */
const chromeAgent =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
let pageView = 0
const visitors = 100_000
/** What the demo shop page asks for (its two slots, plus any page-level units), for the next visitor. */
function serveRoute(title: string, ready: Ready, seconds = duration, path = '/api/v1/serve') {
  return run(title, ready, {
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
await serveRoute('warm-up', upstash, 2)
// Alternate the routes over several rounds and keep the median, so a burst of load elsewhere on this shared
// machine skews one round, not the result.
const rounds = Number(process.env.ROUNDS ?? 5)
const hellos: Awaited<ReturnType<typeof run>>[] = []
const serves: Awaited<ReturnType<typeof run>>[] = []
const redisServes: Awaited<ReturnType<typeof run>>[] = []
const upstashServes: Awaited<ReturnType<typeof run>>[] = []
for (let i = 0; i < rounds; i++) {
  hellos.push(await hello())
  serves.push(await serveRoute(`POST /api/v1/serve (${campaigns} campaigns, ${memory.driver})`, memory))
  redisServes.push(await serveRoute(`POST /api/v1/serve (${campaigns} campaigns, ${redis.driver})`, redis))
  upstashServes.push(
    await serveRoute(`POST /api/v1/serve (${campaigns} campaigns, ${upstash.driver})`, upstash),
  )
}

/**
 * Redis round trips per serve, after the rounds: MONITOR shows every command a client sends (and, marked as
 * from Lua, what a script calls, which is no round trip); those naming the bench server's keys are its own,
 * whatever else uses the same Redis. A serve's own name a visitor's key; the rest (the campaign-set version
 * check, rate-limit reports) run in the background at most once a second, not per serve.
 */
async function roundTrips(ready: Ready): Promise<{ perServe: number; background: string }> {
  const monitor = await new Redis(redisUrl).monitor()
  let perServe = 0
  const background = new Map<string, number>()
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source === 'lua' || !args.some((arg) => arg.includes(ready.prefix))) return
    if (args.some((arg) => arg.startsWith(ready.prefix) && arg.includes('}:v:'))) perServe++
    else background.set(args[0]!.toUpperCase(), (background.get(args[0]!.toUpperCase()) ?? 0) + 1)
  })
  const seconds = 2
  const started = performance.now()
  const before = await ask(ready, 'serves')
  await serveRoute('counting', ready, seconds)
  // The requests still in flight when the load generator stopped finish (and reach Redis) before the count.
  await new Promise((resolve) => setTimeout(resolve, 500))
  const served = (await ask(ready, 'serves')) - before
  monitor.disconnect()
  const watched = (performance.now() - started) / 1000
  return {
    perServe: perServe / Math.max(1, served),
    background:
      [...background].map(([name, n]) => `${name} ${(n / watched).toFixed(1)}/s`).join(', ') || 'none',
  }
}
const trips = await roundTrips(redis)

const median = <T>(items: T[], key: (item: T) => number) =>
  [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)]!
const ratiosOf = (runs: typeof serves) => runs.map((s, i) => s.rps / hellos[i]!.rps)
const ratios = ratiosOf(serves)
const redisRatios = ratiosOf(redisServes)
const upstashRatios = ratiosOf(upstashServes)
const helloResult = median(hellos, (r) => r.rps)
const serveResult = median(serves, (r) => r.rps)
const redisResult = median(redisServes, (r) => r.rps)
const upstashResult = median(upstashServes, (r) => r.rps)
for (const child of children.values()) child.disconnect()

const pad = (s: string | number, n: number) => String(s).padStart(n)
console.log(
  `\n${connections} connections, ${duration} s per round, median of ${rounds} rounds; ${pinned}\n${'route'.padEnd(78)}${pad('req/s', 8)}${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('errors', 8)}${pad('CPU µs/req', 12)}`,
)
for (const r of [helloResult, serveResult, redisResult, upstashResult]) {
  const cpu = median(
    [hellos, serves, redisServes, upstashServes].find((runs) => runs.includes(r))!,
    (x) => x.cpuPerRequest,
  ).cpuPerRequest
  console.log(
    `${r.title.padEnd(78)}${pad(Math.round(r.rps), 8)}${pad(r.p50, 8)}${pad(r.p99, 8)}${pad(r.failures, 8)}${pad(Math.round(cpu), 12)}`,
  )
}
const percent = (r: number) => `${(r * 100).toFixed(1)}%`
const spread = (list: number[]) => `${percent(Math.min(...list))}–${percent(Math.max(...list))}`
const ratio = median(ratios, (r) => r)
const redisRatio = median(redisRatios, (r) => r)
console.log(`\nper-round ratios, memory store:  ${ratios.map(percent).join(', ')} (spread ${spread(ratios)})`)
console.log(
  `per-round ratios, Redis store:   ${redisRatios.map(percent).join(', ')} (spread ${spread(redisRatios)})`,
)
console.log(
  `per-round ratios, Upstash REST:  ${upstashRatios.map(percent).join(', ')} (spread ${spread(upstashRatios)})`,
)
// What a server with nothing else to wait on could reach: hello-world's CPU per request over serve's.
const cpuMedian = (runs: typeof serves) => median(runs, (r) => r.cpuPerRequest).cpuPerRequest
const cpuRatio = (runs: typeof serves) => percent(cpuMedian(hellos) / cpuMedian(runs))
console.log(
  `CPU per request, hello-world's over serve's: ${cpuRatio(serves)} (memory store), ${cpuRatio(redisServes)} (Redis store), ${cpuRatio(upstashServes)} (Upstash REST, bridge included)`,
)
console.log(
  `Redis round trips per serve: ${trips.perServe.toFixed(2)}; in the background: ${trips.background}`,
)
const failures = [...serves, ...redisServes, ...upstashServes].reduce((sum, r) => sum + r.failures, 0)
const pass =
  ratio >= target &&
  serveResult.p99 <= targetP99 &&
  redisRatio >= targetRedis &&
  trips.perServe <= 1 &&
  failures === 0
console.log(
  `\nserve / hello-world = ${percent(ratio)} (memory store), ${percent(redisRatio)} (Redis store), ${percent(median(upstashRatios, (r) => r))} (Upstash REST, local bridge); errors ${failures}`,
)
console.log(
  `bench serve: ${pass ? 'PASS' : 'FAIL'} memory ${percent(ratio)} p99 ${serveResult.p99} ms, Redis ${percent(redisRatio)} ${trips.perServe.toFixed(2)} round trips (target memory ≥ ${percent(target)}, p99 ≤ ${targetP99} ms, Redis ≥ ${percent(targetRedis)}, ≤ 1 round trip)`,
)
process.exit(pass ? 0 : 1)
