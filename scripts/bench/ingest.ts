/**
 * `npm run bench:ingest`: events persisted per second through HTTP into PostgreSQL (DATABASE_URL, default the
 * local one), with batches of 20 events per request and the server's group commit; side by side, in the same
 * run, the naive path (one event per request, one transaction each) and a raw COPY of rows like them, the
 * ceiling. Each figure is rows found in the database afterwards divided by the time taken. Targets (issue 14):
 * ≥ 12,000 events/s and ≥ 20× the naive path.
 */
import { fork } from 'node:child_process'
import autocannon from 'autocannon'
import postgres from 'postgres'

const duration = Number(process.env.DURATION ?? 10)
const connections = Number(process.env.CONNECTIONS ?? 50)
const targetRate = Number(process.env.TARGET_RATE ?? 12_000)
const targetFactor = 20

type Ready = { port: number; publishableKey: string; databaseUrl: string }
async function withServer<T>(ingest: 'batched' | 'direct', run: (ready: Ready) => Promise<T>): Promise<T> {
  const child = fork(new URL('./ingest-server.ts', import.meta.url).pathname, [], {
    env: { ...process.env, INGEST: ingest },
    execArgv: ['--import', 'tsx'],
  })
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Ready))
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)))
  })
  try {
    return await run(ready)
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.disconnect()
    await exited
  }
}

let sequence = 0
let requestNo = 0
const addressOf = (n: number) => {
  const visitor = n % 5_000
  return `10.${visitor >> 16}.${(visitor >> 8) & 255}.${visitor & 255}`
}
/** A page view of one of 5,000 visitors, as the SDK would send it. */
const event = () => {
  const n = sequence++
  return {
    id: crypto.randomUUID(),
    name: 'page',
    timestamp: new Date(Date.now() - (n % 1_000)).toISOString(),
    anonymousId: `bench-visitor-${n % 5_000}`,
    sessionId: `bench-session-${n % 5_000}`,
    url: 'https://shop.example/products/winter-boots',
  }
}

async function throughput(ingest: 'batched' | 'direct', perRequest: number) {
  return withServer(ingest, async (ready) => {
    const sql = postgres(ready.databaseUrl, { max: 1, onnotice: () => {} })
    const before = Number((await sql`select count(*) from events`)[0]!.count)
    const started = performance.now()
    const result = await autocannon({
      url: `http://127.0.0.1:${ready.port}/api/v1/events`,
      connections,
      duration,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          setupRequest: (request) => ({
            ...request,
            // Each request from one of the visitors' own addresses, as a proxy in front names it: from one
            // address the route's per-address limit (2,400 a minute) would be measured instead of ingest.
            headers: { ...request.headers, 'x-forwarded-for': addressOf(requestNo++) },
            body: JSON.stringify({
              site: ready.publishableKey,
              batch: Array.from({ length: perRequest }, event),
            }),
          }),
        },
      ],
    })
    const seconds = (performance.now() - started) / 1000
    const rows = Number((await sql`select count(*) from events`)[0]!.count) - before
    await sql.end()
    return {
      rate: rows / seconds,
      rows,
      requests: result.requests.total,
      p99: result.latency.p99,
      failures: result.non2xx + result.errors + result.timeouts,
    }
  })
}

/** COPY of as many rows into the same table: what PostgreSQL itself can take on this machine. */
async function copyRate(rows: number) {
  return withServer('direct', async (ready) => {
    const sql = postgres(ready.databaseUrl, { max: 1, onnotice: () => {} })
    const site = (await sql`select id from sites limit 1`)[0]!.id as string
    const started = performance.now()
    const writable =
      await sql`copy events (id, site_id, name, ts, anonymous_id, session_id, url) from stdin`.writable()
    const chunk: string[] = []
    for (let i = 0; i < rows; i++) {
      const e = event()
      chunk.push(`${e.id}\t${site}\t${e.name}\t${e.timestamp}\t${e.anonymousId}\t${e.sessionId}\t${e.url}\n`)
      if (chunk.length === 1_000) {
        if (!writable.write(chunk.join(''))) await new Promise((resolve) => writable.once('drain', resolve))
        chunk.length = 0
      }
    }
    writable.end(chunk.join(''))
    await new Promise((resolve, reject) => {
      writable.once('finish', resolve)
      writable.once('error', reject)
    })
    const seconds = (performance.now() - started) / 1000
    const stored = Number((await sql`select count(*) from events where name = 'page'`)[0]!.count)
    await sql.end()
    return { rate: stored / seconds, rows: stored }
  })
}

const batched = await throughput('batched', 20)
const naive = await throughput('direct', 1)
const copy = await copyRate(Math.max(100_000, batched.rows))

const f = (n: number) => Math.round(n).toLocaleString('en-US').padStart(10)
console.log(`\n${connections} connections, ${duration} s each, PostgreSQL`)
console.log(
  `${'path'.padEnd(58)}${'events/s'.padStart(10)}${'rows'.padStart(10)}${'p99 ms'.padStart(8)}${'errors'.padStart(8)}`,
)
console.log(
  `${'HTTP, 20 events per request, group commit'.padEnd(58)}${f(batched.rate)}${f(batched.rows)}${String(batched.p99).padStart(8)}${String(batched.failures).padStart(8)}`,
)
console.log(
  `${'HTTP, 1 event per request, one transaction each (naive)'.padEnd(58)}${f(naive.rate)}${f(naive.rows)}${String(naive.p99).padStart(8)}${String(naive.failures).padStart(8)}`,
)
console.log(`${'raw COPY into the same table (ceiling)'.padEnd(58)}${f(copy.rate)}${f(copy.rows)}`)
const factor = batched.rate / naive.rate
console.log(
  `\ngroup commit = ${factor.toFixed(1)}× naive, ${((batched.rate / copy.rate) * 100).toFixed(1)}% of COPY`,
)
const pass = batched.rate >= targetRate && factor >= targetFactor && batched.failures === 0
console.log(
  `bench ingest: ${pass ? 'PASS' : 'FAIL'} ${Math.round(batched.rate)} events/s, ${factor.toFixed(1)}× naive (target ≥ ${targetRate}/s, ≥ ${targetFactor}×)`,
)
process.exit(pass ? 0 : 1)
