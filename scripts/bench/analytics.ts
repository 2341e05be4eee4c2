/**
 * `npm run bench:analytics`: a campaign's 90-day dashboard (`GET /api/v1/campaigns/:id/analytics`, the whole
 * answer: every KPI, the daily series with reach, variants, frequency distribution, experiment readout) over
 * 5 million generated events in PostgreSQL (DATABASE_URL, default the local one). Side by side, in the same
 * run: the same headline numbers computed from raw events, as a dashboard without rollups would.
 * Target: p95 ≤ 50 ms.
 *
 * The events go in with COPY (as fast as PostgreSQL takes them), and their rollups are built by the same code
 * ingest uses (`rebuildRollups`); purchases go through ingest itself (`storeEvents`), so they are attributed.
 * EVENTS sets the size; KEEP=1 keeps the database for the next run, which then skips generating.
 */
import postgres from 'postgres'
import { openPostgres } from '../../api/adapters/db/postgres'
import { createApp } from '../../api/app'
import { serverTypes } from '../../api/promotions'
import { rebuildRollups } from '../../api/services/analytics/rebuild'
import { bootstrap } from '../../api/services/bootstrap'
import { ensureEventPartitions } from '../../api/services/ingest/partitions'
import { storeEvents } from '../../api/services/ingest/writer'
import { migrate } from '../../api/services/migrate'

const total = Number(process.env.EVENTS ?? 5_000_000)
const runs = Number(process.env.RUNS ?? 100)
const target = 50
const days = 90
const dayMs = 86_400_000
const visitors = 400_000

const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const name = 'promo_bench_analytics'
const admin = postgres(base, { max: 1, onnotice: () => {} })
const url = new URL(base)
url.pathname = `/${name}`
const keep = process.env.KEEP === '1'
const secretKey = 'sk_test_benchanalytics0123456789abcdef'

const existing = await admin`select 1 from pg_database where datname = ${name}`
let reuse = false
if (existing.length > 0 && keep) {
  const probe = postgres(url.toString(), { max: 1, onnotice: () => {} })
  const [row] = await probe`select count(*)::int as n from events`.catch(() => [{ n: 0 }])
  await probe.end()
  reuse = row!.n >= total
}
if (!reuse) {
  await admin.unsafe(`drop database if exists ${name} with (force)`)
  await admin.unsafe(`create database ${name}`)
}
const database = openPostgres(url.toString(), { max: 4 })
await migrate(database)
const now = Date.now()
const today = Math.floor(now / dayMs) * dayMs
const boot = await bootstrap(database.db, {
  types: serverTypes,
  allowedOrigins: ['http://127.0.0.1'],
  demoOrigin: 'http://127.0.0.1',
  secretKey,
})
const app = createApp({
  database,
  signingSecret: 'bench-signing-secret-0123456789abcdef',
  now: () => now,
  log: { info() {}, error: (message, fields) => console.error(message, fields) },
})
const auth = { authorization: `Bearer ${secretKey}` }
const sql = postgres(url.toString(), { max: 1, onnotice: () => {} })

/** Deterministic, so runs compare. */
let seed = 42
const random = () => {
  seed = (seed * 16_807) % 2_147_483_647
  return (seed - 1) / 2_147_483_646
}

let campaignId: string
if (reuse) {
  const [row] = await sql`select id from campaigns where name = 'Bench dashboard'`
  campaignId = row!.id
  console.log(`reusing ${name}: ${total.toLocaleString('en')} events`)
} else {
  const variant = (label: string) => ({
    name: label,
    weight: 1,
    creative: { headline: `Winter sale ${label}`, ctaText: 'Shop now', ctaUrl: 'https://shop.example/sale' },
  })
  const res = await app.request('/api/v1/campaigns', {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Bench dashboard',
      type: 'awareness',
      placements: ['home-hero'],
      config: { format: 'hero' },
      variants: [variant('A'), variant('B'), variant('C')],
    }),
  })
  if (res.status !== 201) throw new Error(`campaign not created: ${res.status} ${await res.text()}`)
  campaignId = ((await res.json()) as { id: string }).id
  const units =
    await sql`select c.id as campaign, v.id as variant from campaigns c join variants v on v.campaign_id = c.id`
  const mine = units.filter((u) => u.campaign === campaignId)
  const others = units.filter((u) => u.campaign !== campaignId)

  // What units and pages send, in proportion; purchases (0.5%) go through ingest below.
  const kinds: [string, number][] = [
    ['impression', 0.5],
    ['viewable', 0.28],
    ['click', 0.03],
    ['close', 0.02],
    ['play', 0.02],
    ['video_25', 0.008],
    ['video_50', 0.006],
    ['video_75', 0.004],
    ['video_100', 0.002],
    ['page', 0.125],
  ]
  const pick = () => {
    let r = random() * kinds.reduce((sum, [, p]) => sum + p, 0)
    for (const [kind, p] of kinds) {
      r -= p
      if (r <= 0) return kind
    }
    return 'page'
  }
  const devices = ['desktop', 'desktop', 'mobile', 'mobile', 'mobile', 'tablet']
  const countries = ['DE', 'FR', 'US', 'GB', 'NL', 'ES', 'IT', 'SE', 'PL', 'BE']
  const purchases = Math.round(total * 0.005)
  const copied = total - purchases
  // The months the generated events fall in get their partitions first (the server makes them ahead of time;
  // these are in the past).
  await ensureEventPartitions(database.db, today - days * dayMs)
  const started = performance.now()
  const writable =
    await sql`copy events (id, site_id, name, ts, anonymous_id, session_id, campaign_id, variant_id, url, device, country) from stdin`.writable()
  let chunk: string[] = []
  for (let i = 0; i < copied; i++) {
    const kind = pick()
    const visitor = Math.floor(visitors * random() ** 1.5)
    const at = new Date(today - Math.floor(random() * days) * dayMs + Math.floor(random() * dayMs))
    const unit =
      kind === 'page' ? undefined : random() < 0.6 ? mine[i % mine.length] : others[i % others.length]
    chunk.push(
      `${crypto.randomUUID()}\t${boot.siteId}\t${kind}\t${at.toISOString()}\tv-${visitor}\ts-${visitor}-${at.getUTCDate()}\t${
        unit ? unit.campaign : '\\N'
      }\t${unit ? unit.variant : '\\N'}\thttps://shop.example/p/${visitor % 500}\t${devices[visitor % devices.length]}\t${
        countries[visitor % countries.length]
      }\n`,
    )
    if (chunk.length === 10_000) {
      if (!writable.write(chunk.join(''))) await new Promise((resolve) => writable.once('drain', resolve))
      chunk = []
    }
  }
  writable.end(chunk.join(''))
  await new Promise((resolve, reject) => {
    writable.once('finish', resolve)
    writable.once('error', reject)
  })
  await sql`analyze events`
  console.log(
    `COPY ${copied.toLocaleString('en')} events in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  )

  const building = performance.now()
  await rebuildRollups(database.db, boot.siteId, {
    chunk: 20_000,
    onProgress: (n) => {
      if (n % 1_000_000 < 20_000) console.log(`  rollups: ${n.toLocaleString('en')} events`)
    },
  })
  console.log(`rollups built from raw events in ${((performance.now() - building) / 1000).toFixed(1)} s`)

  const ingesting = performance.now()
  for (let done = 0; done < purchases; done += 2_000) {
    const rows = Array.from({ length: Math.min(2_000, purchases - done) }, () => {
      const visitor = Math.floor(visitors * random() ** 1.5)
      return {
        id: crypto.randomUUID(),
        siteId: boot.siteId,
        name: 'Purchase',
        timestamp: new Date(today - Math.floor(random() * days) * dayMs + Math.floor(random() * dayMs)),
        anonymousId: `v-${visitor}`,
        value: Math.round(2_000 + random() * 18_000) / 100,
        currency: 'EUR',
        device: devices[visitor % devices.length] as 'desktop',
        country: countries[visitor % countries.length]!,
      }
    })
    await storeEvents(database.db, boot.siteId, rows, now)
  }
  console.log(
    `${purchases.toLocaleString('en')} purchases through ingest (attributed) in ${((performance.now() - ingesting) / 1000).toFixed(1)} s`,
  )
  await sql`vacuum analyze`
}

const eventCount = Number((await sql`select count(*)::int as n from events`)[0]!.n)
const from = new Date(today - (days - 1) * dayMs).toISOString()
const to = new Date(today + dayMs).toISOString()
const path = (extra = '') => `/api/v1/campaigns/${campaignId}/analytics?from=${from}&to=${to}${extra}`

async function timed(run: () => Promise<unknown>, count: number) {
  const times: number[] = []
  for (let i = 0; i < count; i++) {
    const started = performance.now()
    await run()
    times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!
  return { p50: at(0.5), p95: at(0.95), max: times[times.length - 1]! }
}

const request =
  (extra = '') =>
  async () => {
    const res = await app.request(path(extra), { headers: auth })
    if (res.status !== 200) throw new Error(`analytics answered ${res.status}: ${await res.text()}`)
    return res.json()
  }
const answer = (await request()()) as { totals: { impressions: number; reach: number; conversions: number } }
for (let i = 0; i < 5; i++) await request()()
const dashboard = await timed(request(), runs)
const byDevice = await timed(request('&groupBy=device'), Math.ceil(runs / 4))
const overview = await timed(
  async () => {
    const res = await app.request(`/api/v1/analytics/overview?from=${from}&to=${to}`, { headers: auth })
    if (res.status !== 200) throw new Error(`overview answered ${res.status}: ${await res.text()}`)
    return res.json()
  },
  Math.ceil(runs / 4),
)

// Without rollups: the same headline numbers from raw events (totals, reach, the daily series, per variant).
const raw = await timed(async () => {
  const range = sql`campaign_id = ${campaignId} and ts >= ${from} and ts < ${to}`
  await sql`select count(*) filter (where name = 'impression') as impressions,
      count(*) filter (where name = 'viewable') as viewable, count(*) filter (where name = 'click') as clicks,
      count(distinct anonymous_id) filter (where name = 'impression') as reach
    from events where ${range}`
  await sql`select date_trunc('day', ts) as t, count(*) filter (where name = 'impression'),
      count(*) filter (where name = 'click') from events where ${range} group by 1`
  await sql`select variant_id, count(*) filter (where name = 'impression'),
      count(distinct anonymous_id) filter (where name = 'impression') from events where ${range} group by 1`
}, 3)

const ms = (n: number) => `${n.toFixed(1)} ms`.padStart(10)
console.log(
  `\n${eventCount.toLocaleString('en')} events over ${days} days; the dashboard campaign has ${answer.totals.impressions.toLocaleString('en')} impressions, reach ${answer.totals.reach.toLocaleString('en')}, ${answer.totals.conversions.toFixed(1)} credited conversions`,
)
console.log(`${'query'.padEnd(62)}${'p50'.padStart(10)}${'p95'.padStart(10)}${'max'.padStart(10)}`)
const line = (label: string, t: { p50: number; p95: number; max: number }) =>
  console.log(`${label.padEnd(62)}${ms(t.p50)}${ms(t.p95)}${ms(t.max)}`)
line(`90-day dashboard from rollups (${runs} runs)`, dashboard)
line(`  the same with groupBy=device (${Math.ceil(runs / 4)} runs)`, byDevice)
line(`  site overview, every campaign (${Math.ceil(runs / 4)} runs)`, overview)
line('headline numbers from raw events, no rollups (3 runs)', raw)
console.log(`\nrollups are ${(raw.p50 / dashboard.p50).toFixed(0)}× faster at the median`)

await sql.end()
await database.close()
if (!keep) await admin.unsafe(`drop database if exists ${name} with (force)`)
await admin.end()
const pass = dashboard.p95 <= target
console.log(
  `bench analytics: ${pass ? 'PASS' : 'FAIL'} p95 ${dashboard.p95.toFixed(1)} ms (target ≤ ${target} ms)`,
)
process.exit(pass ? 0 : 1)
