/**
 * `npm run soak`: the Node server on its own PostgreSQL and Redis under mixed traffic (serve, event batches,
 * lead submits) at 70% of the capacity measured at the start of the same run, for 10 minutes, with Redis
 * killed and restarted at minute 3 and PostgreSQL restarted at minute 6. Prints, per 10-second window, the
 * requests, statuses, p50/p99 by kind and the server's resident memory; then checks that 5xx came only where
 * allowed (never from serve; 503 from events and leads only while the database was away, plus a grace period),
 * that every acknowledged event is stored exactly once and every lead answered 201 exists, that memory stayed
 * flat and that p99 did not drift. Ends with `soak: PASS|FAIL …` (exit 1 on FAIL).
 *
 * Flags (or SOAK_* environment variables): --duration=600 --redis-at=180 --pg-at=360 (seconds into the run),
 * --down=10 (seconds each service stays away), --grace=15, --load=0.7, --capacity-seconds=15, --warmup (default
 * a tenth of the run, at most 60 s). A short run while developing: `npm run soak -- --duration=120
 * --redis-at=40 --pg-at=80`.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import postgres from 'postgres'
import { freePort, PrivatePostgres, PrivateRedis, tempDir } from './services'
import { type Kind, kinds, mix, type Outcome, type Status, Traffic } from './traffic'

function setting(name: string, fallback: number): number {
  const flag = process.argv.find((arg) => arg.startsWith(`--${name}=`))
  const raw = flag?.slice(name.length + 3) ?? process.env[`SOAK_${name.toUpperCase().replaceAll('-', '_')}`]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`)
  return value
}

const duration = setting('duration', 600)
const config = {
  duration,
  redisAt: setting('redis-at', Math.round(duration * 0.3)),
  pgAt: setting('pg-at', Math.round(duration * 0.6)),
  down: setting('down', 10),
  grace: setting('grace', 15),
  load: setting('load', 0.7),
  capacitySeconds: setting('capacity-seconds', 15),
  warmup: setting('warmup', Math.min(60, Math.round(duration / 10))),
  window: 10,
  /** Mean RSS of the last third may exceed the first third's by this share at most. */
  rssGrowth: setting('rss-growth', 0.2),
  /** Seconds of steady traffic (clear of warm-up and outages) at each end whose p99s are compared. */
  steady: setting('steady', 60),
  /** The last steady span's p99 may be at most this factor of the first's, plus the slack below. */
  p99Factor: setting('p99-factor', 2),
  p99SlackMs: setting('p99-slack', 10),
}

const root = fileURLToPath(new URL('../../', import.meta.url))
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const clock = (seconds: number) =>
  `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`
const pad = (value: string | number, width: number) => String(value).padStart(width)
const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!
const ms = (value: number) => (Number.isNaN(value) ? '-' : value < 10 ? value.toFixed(1) : Math.round(value))
const failed = (status: Status) => typeof status !== 'number' || status >= 500

// ---- services -------------------------------------------------------------------------------------------

const pg = await PrivatePostgres.create()
const redis = await PrivateRedis.create()
let server: ChildProcess | undefined
const logPath = join(tempDir('log'), 'server.log')
process.on('exit', () => {
  server?.kill('SIGKILL')
  redis.killNow()
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: tearing down`)
    void teardown().finally(() => process.exit(130))
  })
}
async function teardown() {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve))
    server.kill('SIGTERM')
    await Promise.race([exited, sleep(10_000)])
    server.kill('SIGKILL')
  }
  await redis.kill()
  await pg.destroy()
}

await Promise.all([pg.start(), redis.start()])
const port = await freePort()
const publishableKey = 'pk_test_soak0123456789abcdef'
const secretKey = 'sk_test_soak0123456789abcdef'
const log = openSync(logPath, 'a')
server = spawn(process.execPath, ['--import', 'tsx', 'api/runtime/node.ts'], {
  cwd: root,
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: pg.url,
    REDIS_URL: redis.url,
    PROMO_PUBLIC_URL: `http://127.0.0.1:${port}`,
    PROMO_CLIENT_IP_HEADER: 'x-forwarded-for',
    PROMO_PUBLISHABLE_KEY: publishableKey,
    PROMO_SECRET_KEY: secretKey,
    PROMO_SIGNING_SECRET: 'soak-signing-secret-0123456789abcdef',
    PROMO_DATA_DIR: tempDir('data'),
    PROMO_LOG: 'silent',
  },
  stdio: ['ignore', log, log],
})
closeSync(log)
const serverPid = server.pid!
const base = `http://127.0.0.1:${port}`
for (let waited = 0; ; waited += 200) {
  if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}; see ${logPath}`)
  if (waited > 60_000) throw new Error(`the server did not answer /healthz within 60 s; see ${logPath}`)
  const health = await fetch(`${base}/healthz`).catch(() => undefined)
  if (health?.ok) break
  await sleep(200)
}

// ---- campaigns ------------------------------------------------------------------------------------------

async function admin(path: string, body?: unknown) {
  const response = await fetch(`${base}/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`)
  return (await response.json()) as { id: string; variants: { id: string }[] }
}
async function campaign(body: Record<string, unknown>) {
  const created = await admin('/campaigns', body)
  await admin(`/campaigns/${created.id}/activate`)
  return created
}
for (let i = 0; i < 8; i++) {
  await campaign({
    name: `Soak ${i}`,
    type: 'awareness',
    priority: i % 3,
    placements: [i % 2 === 0 ? 'home-hero' : 'article-inline'],
    // Every fourth is a page-level sticky bar; all are capped, so serve claims in Redis on every page view.
    config: { format: i % 4 === 3 ? 'sticky' : 'hero', dismissible: true },
    frequency: { perDay: 3, countOn: 'viewable' },
    variants: [
      { name: 'A', weight: 1, creative: { headline: `Offer ${i}`, ctaUrl: 'https://shop.example/a' } },
      { name: 'B', weight: 1, creative: { headline: `Offer ${i}b`, ctaUrl: 'https://shop.example/b' } },
    ],
  })
}
const leadForm = await campaign({
  name: 'Soak guide',
  type: 'lead_generation',
  config: {
    fields: [
      { name: 'email', type: 'email', label: 'Email', required: true },
      { name: 'first_name', type: 'text', label: 'First name' },
      { name: 'company', type: 'text', label: 'Company' },
      { name: 'job_title', type: 'text', label: 'Job title' },
      { name: 'terms', type: 'consent', label: 'Send me the guide and related news' },
    ],
    offer: { type: 'ebook', title: 'The guide', assetUrl: 'https://shop.example/guide.pdf' },
  },
  variants: [{ name: 'A', creative: { headline: 'Get the guide' } }],
})

// ---- capacity -------------------------------------------------------------------------------------------

const traffic = new Traffic(
  { port, publishableKey, leadCampaignId: leadForm.id, leadVariantId: leadForm.variants[0]!.id },
  () => {},
)
async function closedLoop(seconds: number, connections: number) {
  let answered = 0
  let failures = 0
  traffic.record = (outcome) => {
    if (outcome.retry) return
    answered++
    if (failed(outcome.status)) failures++
  }
  const until = performance.now() + seconds * 1000
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) await traffic.one()
    }),
  )
  return { rate: answered / seconds, failures }
}
const mixText = kinds.map((k) => `${Math.round(mix[k] * 100)}% ${k}`).join(', ')
console.log(`soak: server pid ${serverPid} on ${base}, PostgreSQL :${pg.port}, Redis :${redis.port}`)
console.log(
  `soak: measuring capacity (${mixText}), ${config.capacitySeconds} s closed loop after 5 s warm-up`,
)
await closedLoop(5, 32)
const capacity = await closedLoop(config.capacitySeconds, 32)
const rate = capacity.rate * config.load
console.log(
  `soak: capacity ${Math.round(capacity.rate)} req/s (${capacity.failures} failed); running ${config.duration} s at ${Math.round(rate)} req/s (${config.load * 100}%)`,
)
console.log(
  `soak: Redis killed at ${clock(config.redisAt)}, PostgreSQL stopped at ${clock(config.pgAt)}, each away ${config.down} s; grace ${config.grace} s after each restart\n`,
)

// ---- the run --------------------------------------------------------------------------------------------

const outcomes: Outcome[] = []
const started = performance.now()
const seconds = (at: number) => (at - started) / 1000
traffic.record = (outcome) => outcomes.push(outcome)

const rss: { t: number; kb: number }[] = []
function sampleRss() {
  try {
    const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${serverPid}/status`, 'utf8'))
    if (match) rss.push({ t: seconds(performance.now()), kb: Number(match[1]) })
  } catch {
    // The server is gone; the verdict says so.
  }
}
const rssTimer = setInterval(sampleRss, 2_000)

interface Outage {
  name: string
  start: number
  /** When the service was back (seconds into the run). */
  back: number
}
const outages: Outage[] = []
async function fault(name: string, at: number, stop: () => Promise<void>, start: () => Promise<void>) {
  await sleep(Math.max(0, started + at * 1000 - performance.now()))
  const outage = { name, start: seconds(performance.now()), back: Number.POSITIVE_INFINITY }
  outages.push(outage)
  console.log(`        ── ${clock(outage.start)} ${name} down`)
  await stop()
  await sleep(config.down * 1000)
  await start()
  outage.back = seconds(performance.now())
  console.log(`        ── ${clock(outage.back)} ${name} back`)
}
const faults = Promise.all([
  fault(
    'Redis',
    config.redisAt,
    () => redis.kill(),
    () => redis.start(),
  ),
  fault(
    'PostgreSQL',
    config.pgAt,
    () => pg.stop(),
    () => pg.start(),
  ),
])

type WindowStats = Record<Kind, { latencies: number[]; statuses: Map<Status, number> }>
function statsOf(list: Outcome[]): WindowStats {
  const stats = Object.fromEntries(
    kinds.map((k) => [k, { latencies: [] as number[], statuses: new Map<Status, number>() }]),
  ) as WindowStats
  for (const o of list) {
    const s = stats[o.kind]
    s.latencies.push(o.ms)
    s.statuses.set(o.status, (s.statuses.get(o.status) ?? 0) + 1)
  }
  for (const k of kinds) stats[k].latencies.sort((a, b) => a - b)
  return stats
}
const statusText = (statuses: Map<Status, number>) =>
  [...statuses]
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])))
    .map(([status, n]) => `${status}:${n}`)
    .join(' ')

console.log(
  `${'window'.padStart(6)}${kinds.map((k) => `${k.padStart(9)} p50  p99`).join('')}   RSS MB  statuses (s=serve e=events l=leads)`,
)
let printed = 0
function printWindow(index: number) {
  const from = started + index * config.window * 1000
  const to = from + config.window * 1000
  const stats = statsOf(outcomes.filter((o) => o.at >= from && o.at < to))
  const last = rss.filter((r) => r.t < (index + 1) * config.window).at(-1)
  const columns = kinds
    .map((k) => {
      const s = stats[k]
      return `${pad(s.latencies.length, 9)}${pad(ms(percentile(s.latencies, 0.5)), 5)}${pad(ms(percentile(s.latencies, 0.99)), 5)}`
    })
    .join('')
  const statuses = kinds.map((k) => `${k[0]} ${statusText(stats[k].statuses)}`).join(' | ')
  console.log(
    `${pad(clock((index + 1) * config.window), 6)}${columns}${pad(last ? Math.round(last.kb / 1024) : '-', 9)}  ${statuses}`,
  )
}

// Open loop: requests go out on schedule whatever the answers do; above a bound of unanswered requests the
// generator sheds (counted) rather than queueing, so a slow server shows as latency and shed requests.
const maxInFlight = 2_000
let scheduled = 0
let shed = 0
const end = started + config.duration * 1000
await new Promise<void>((resolve) => {
  const tick = setInterval(() => {
    const now = performance.now()
    const due = Math.floor(((Math.min(now, end) - started) / 1000) * rate) - scheduled
    for (let i = 0; i < due; i++) {
      scheduled++
      if (traffic.inFlight >= maxInFlight) shed++
      else void traffic.one()
    }
    while (
      now - started >= (printed + 1) * config.window * 1000 + 1_000 &&
      printed < config.duration / config.window
    ) {
      printWindow(printed++)
    }
    if (now >= end + 1_000 && printed >= Math.floor(config.duration / config.window)) {
      clearInterval(tick)
      resolve()
    }
  }, 5)
})
await faults
clearInterval(rssTimer)
const serverAlive = server.exitCode === null && server.signalCode === null

// Retries of what the outages refused go on for a while after the load stops, as the SDK's queue would.
traffic.drainDeadline = performance.now() + 60_000
// Past the deadline a retry in flight still gets its answer (or its 5 s timeout).
while (traffic.open > 0 && performance.now() < traffic.drainDeadline + 10_000) await sleep(100)
traffic.close()

// ---- stored exactly once --------------------------------------------------------------------------------

const sql = postgres(pg.url, { max: 1, onnotice: () => {} })
const acceptedIds = [...traffic.accepted]
const sentIds = [...traffic.sent]
let eventRows = 0
let duplicated = 0
let missing = 0
let unacknowledgedStored = 0
for (let i = 0; i < sentIds.length; i += 10_000) {
  const chunk = sentIds.slice(i, i + 10_000)
  const rows = await sql<{ id: string; n: number }[]>`
    select id::text as id, count(*)::int as n from events where id = any(${chunk}::uuid[]) group by id`
  const found = new Map(rows.map((r) => [r.id, r.n]))
  for (const id of chunk) {
    const n = found.get(id) ?? 0
    eventRows += n
    if (n > 1) duplicated++
    if (traffic.accepted.has(id)) {
      if (n === 0) missing++
    } else if (n > 0) unacknowledgedStored++
  }
}
const [eventIdCount] = await sql<{ n: number }[]>`
  select count(*)::int as n from event_ids where id = any(${acceptedIds}::uuid[])`
const eventIdRows = eventIdCount?.n ?? 0
const leadIds = [...traffic.leads.values()]
const leadRows = await sql<{ id: string; email: string; submissions: number }[]>`
  select id::text as id, email, submissions from leads where id = any(${leadIds}::uuid[])`
const leadsById = new Map(leadRows.map((r) => [r.id, r]))
const leadsMissing = [...traffic.leads].filter(([email, id]) => leadsById.get(id)?.email !== email).length
const resubmitted = leadRows.filter((r) => r.submissions > 1).length
await sql.end()

// ---- report ---------------------------------------------------------------------------------------------

const all = statsOf(outcomes)
console.log(
  `\nsummary over ${config.duration} s (retries included; shed by the generator: ${shed} of ${scheduled})`,
)
console.log(
  `${'kind'.padEnd(8)}${pad('requests', 10)}${pad('req/s', 8)}${pad('p50', 7)}${pad('p99', 7)}${pad('max', 8)}  statuses`,
)
for (const k of kinds) {
  const s = all[k]
  console.log(
    `${k.padEnd(8)}${pad(s.latencies.length, 10)}${pad((s.latencies.length / config.duration).toFixed(1), 8)}${pad(ms(percentile(s.latencies, 0.5)), 7)}${pad(ms(percentile(s.latencies, 0.99)), 7)}${pad(ms(s.latencies.at(-1) ?? Number.NaN), 8)}  ${statusText(s.statuses)}`,
  )
}

console.log('\noutage windows (from the fault to the service back, plus grace)')
for (const outage of outages) {
  const from = started + outage.start * 1000
  const to = started + (outage.back + config.grace) * 1000
  const stats = statsOf(outcomes.filter((o) => o.at >= from && o.at < to))
  const firstOk = outcomes.find(
    (o) => o.kind === 'events' && o.at >= started + outage.back * 1000 && o.status === 200,
  )
  console.log(
    `  ${outage.name.padEnd(11)} ${clock(outage.start)}–${clock(outage.back)} (+${config.grace} s)  ${kinds.map((k) => `${k}: ${statusText(stats[k].statuses) || '-'}`).join('  ')}${firstOk ? `  first event batch stored ${(seconds(firstOk.at) - outage.back).toFixed(1)} s after` : ''}`,
  )
}

console.log('\nresident memory (mean per 30 s)')
const peak = Math.max(...rss.map((r) => r.kb))
for (let t = 0; t < config.duration; t += 30) {
  const slice = rss.filter((r) => r.t >= t && r.t < t + 30)
  if (slice.length === 0) continue
  const mean = slice.reduce((sum, r) => sum + r.kb, 0) / slice.length
  console.log(
    `  ${pad(clock(t), 5)}  ${pad((mean / 1024).toFixed(0), 5)} MB  ${'█'.repeat(Math.round((mean / peak) * 40))}`,
  )
}
const steadyRss = rss.filter((r) => r.t >= config.warmup)
const third = Math.floor(steadyRss.length / 3)
const meanOf = (list: { kb: number }[]) => list.reduce((sum, r) => sum + r.kb, 0) / Math.max(1, list.length)
const rssFirst = meanOf(steadyRss.slice(0, third))
const rssLast = meanOf(steadyRss.slice(-third))
const rssGrowth = rssLast / rssFirst - 1
// The trend inside the last third (least squares, MB per minute): a leak keeps climbing, a heap that grew
// through a burst and stays does not.
const lastThird = steadyRss.slice(-third)
const slope = (() => {
  const n = lastThird.length
  if (n < 2) return 0
  const mt = lastThird.reduce((sum, r) => sum + r.t, 0) / n
  const mk = meanOf(lastThird)
  const num = lastThird.reduce((sum, r) => sum + (r.t - mt) * (r.kb - mk), 0)
  const den = lastThird.reduce((sum, r) => sum + (r.t - mt) ** 2, 0)
  return den === 0 ? 0 : ((num / den) * 60) / 1024
})()

// Steady windows: after warm-up, clear of every outage and its grace; the first and the last `steady` seconds
// of them (a span, not one window: a 10-second p99 on a shared machine is mostly noise).
const span = Math.max(1, Math.round(config.steady / config.window))
const windows = Array.from({ length: Math.floor(config.duration / config.window) }, (_, i) => i)
const steady = windows.filter((i) => {
  const from = i * config.window
  const to = from + config.window
  if (from < config.warmup) return false
  return outages.every((o) => to <= o.start || from >= o.back + config.grace)
})
function p99Over(indexes: number[], kind: Kind) {
  const set = new Set(indexes)
  const latencies = outcomes
    .filter((o) => o.kind === kind && set.has(Math.floor(seconds(o.at) / config.window)))
    .map((o) => o.ms)
    .sort((a, b) => a - b)
  return percentile(latencies, 0.99)
}
const drift = (['serve', 'events'] as const).map((kind) => {
  const first = p99Over(steady.slice(0, span), kind)
  const last = p99Over(steady.slice(-span), kind)
  const bound = first * config.p99Factor + config.p99SlackMs
  // A run too short for two steady spans (or one without any) has no drift to judge.
  return { kind, first, last, bound, ok: Number.isNaN(bound) || Number.isNaN(last) || last <= bound }
})

// 5xx and unanswered requests: never from serve; from events and leads only as 503 within a database outage.
const databaseOutages = outages.filter((o) => o.name === 'PostgreSQL')
const allowed = (o: Outcome) =>
  o.kind !== 'serve' &&
  o.status === 503 &&
  databaseOutages.some((d) => seconds(o.at) >= d.start && seconds(o.at) < d.back + config.grace)
const bad = outcomes.filter((o) => failed(o.status) && !allowed(o))
const badByKind = kinds
  .map((k) => {
    const list = bad.filter((o) => o.kind === k)
    if (list.length === 0) return ''
    const statuses = new Map<Status, number>()
    for (const o of list) statuses.set(o.status, (statuses.get(o.status) ?? 0) + 1)
    const when = [...new Set(list.map((o) => clock(seconds(o.at))))].slice(0, 6).join(', ')
    return `${k} ${statusText(statuses)} (at ${when}${list.length > 6 ? ', …' : ''})`
  })
  .filter(Boolean)

console.log('\nexactly once')
console.log(
  `  events: ${traffic.sent.size} sent, ${traffic.accepted.size} acknowledged, ${eventRows} rows; of those ${missing} missing, ${duplicated} stored more than once; event_ids rows ${eventIdRows}; ${unacknowledgedStored} stored but never acknowledged; ${traffic.rejectedItems} rejected items; ${traffic.givenUp.events} batches given up`,
)
console.log(
  `  leads:  ${traffic.leads.size} answered 201, ${leadsMissing} of them missing; ${resubmitted} counted as resubmitted; ${traffic.givenUp.leads} given up`,
)
console.log(
  `\nRSS: first third ${(rssFirst / 1024).toFixed(0)} MB, last third ${(rssLast / 1024).toFixed(0)} MB (${(rssGrowth * 100).toFixed(1)}%, bound +${config.rssGrowth * 100}%); trend in the last third ${slope >= 0 ? '+' : ''}${slope.toFixed(1)} MB/min`,
)
for (const d of drift) {
  console.log(
    `p99 ${d.kind}: first steady ${span * config.window} s ${ms(d.first)} ms, last ${ms(d.last)} ms (bound ${config.p99Factor}× + ${config.p99SlackMs} ms = ${ms(d.bound)} ms)`,
  )
}
if (traffic.surprises.length > 0) console.log(`\nunexpected answers:\n  ${traffic.surprises.join('\n  ')}`)
const errorLines = readFileSync(logPath, 'utf8')
  .split('\n')
  .filter((line) => line.includes('"level":"error"'))
const errorMessages = new Map<string, number>()
for (const line of errorLines) {
  const message = /"message":"([^"]*)"/.exec(line)?.[1] ?? line.slice(0, 80)
  errorMessages.set(message, (errorMessages.get(message) ?? 0) + 1)
}
console.log(
  `\nserver log ${logPath}: ${errorLines.length} error lines${[...errorMessages].map(([m, n]) => `\n  ${n}× ${m}`).join('')}`,
)

await teardown()

const failures = [
  ...(serverAlive ? [] : ['the server died']),
  ...(bad.length > 0 ? [`5xx or no answer outside what is allowed: ${badByKind.join('; ')}`] : []),
  ...(missing + duplicated > 0 ? [`${missing} acknowledged events missing, ${duplicated} duplicated`] : []),
  ...(eventIdRows !== acceptedIds.length ? [`event_ids holds ${eventIdRows} of ${acceptedIds.length}`] : []),
  ...(traffic.givenUp.events + traffic.givenUp.leads > 0
    ? [`${traffic.givenUp.events} batches and ${traffic.givenUp.leads} leads never acknowledged`]
    : []),
  ...(leadsMissing > 0 ? [`${leadsMissing} leads answered 201 but not stored`] : []),
  ...(traffic.rejectedItems > 0 ? [`${traffic.rejectedItems} valid events rejected`] : []),
  ...(rssGrowth > config.rssGrowth ? [`RSS grew ${(rssGrowth * 100).toFixed(1)}%`] : []),
  ...drift.filter((d) => !d.ok).map((d) => `${d.kind} p99 drifted ${ms(d.first)} → ${ms(d.last)} ms`),
  ...(shed > scheduled * 0.01 ? [`the generator shed ${shed} of ${scheduled} requests`] : []),
]
const figures = `${config.duration} s at ${Math.round(rate)} req/s (${config.load * 100}% of ${Math.round(capacity.rate)}), ${traffic.accepted.size} events and ${traffic.leads.size} leads stored once, RSS ${rssGrowth >= 0 ? '+' : ''}${(rssGrowth * 100).toFixed(1)}%, serve p99 ${ms(drift[0]!.first)} → ${ms(drift[0]!.last)} ms`
console.log(
  `\nsoak: ${failures.length === 0 ? 'PASS' : 'FAIL'} ${figures}${failures.length ? ` — ${failures.join('; ')}` : ''}`,
)
process.exit(failures.length === 0 ? 0 : 1)
