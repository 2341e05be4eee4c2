import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '../../scripts/wrangler-dev'

const databaseUrl = process.env.DATABASE_URL
const root = fileURLToPath(new URL('../..', import.meta.url))
const publishableKey = 'pk_test_sigtermsigtermsigterm1'
const browser =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36'
const children: ChildProcess[] = []
const cleanups: (() => Promise<unknown>)[] = []

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL')
  for (const cleanup of cleanups) await cleanup()
})

interface Running {
  child: ChildProcess
  port: number
  stderr: () => string
  exited: Promise<number | null>
}

/** `npm start`'s entry in its own process, with its stderr kept: the test reads what it printed on the way out. */
async function startServer(env: Record<string, string | undefined>): Promise<Running> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/runtime/node.ts'], {
    cwd: root,
    // An undefined value takes the variable away (the embedded database, without the suite's DATABASE_URL).
    env: Object.fromEntries(
      Object.entries({
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        PROMO_LOG: 'silent',
        PROMO_PUBLISHABLE_KEY: publishableKey,
        PROMO_SIGNING_SECRET: 'sigterm-test-signing-secret-0123456789abcdef',
        ...env,
      }).filter(([, value]) => value !== undefined),
    ) as Record<string, string>,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  children.push(child)
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (res) => res.ok,
      () => false,
    )
    if (ok) return { child, port, stderr: () => stderr, exited }
    if (child.exitCode !== null) break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`server did not start: ${stderr}`)
}

/**
 * Twelve clients send batches of 10 page views without a pause; SIGTERM goes to the server once 20 batches have
 * been acknowledged. Every batch answered 200 must be stored, whole and once; the process must end by itself,
 * with exit code 0 and nothing on stderr.
 */
async function underLoad(server: Running) {
  const acknowledged: string[] = []
  let refused = 0
  let stopping = false
  let sent = 0
  const client = async (n: number) => {
    for (let round = 0; !stopping || round < 1_000; round++) {
      const batch = Array.from({ length: 10 }, (_, i) => ({
        id: crypto.randomUUID(),
        name: 'page',
        timestamp: new Date().toISOString(),
        anonymousId: `sigterm-visitor-${n}-${i}`,
      }))
      sent++
      const res = await fetch(`http://127.0.0.1:${server.port}/api/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'user-agent': browser },
        body: JSON.stringify({ site: publishableKey, batch }),
      }).catch(() => undefined)
      if (!res) return // the server no longer takes connections: this client is done
      if (res.status === 200) {
        const answer = (await res.json()) as { accepted: number }
        expect(answer.accepted).toBe(10)
        acknowledged.push(...batch.map((event) => event.id))
      } else {
        await res.body?.cancel()
        refused++
      }
    }
  }
  const clients = Array.from({ length: 12 }, (_, n) => client(n))
  while (acknowledged.length < 200) await new Promise((resolve) => setTimeout(resolve, 2))
  stopping = true
  server.child.kill('SIGTERM')
  const code = await server.exited
  await Promise.all(clients)
  return { code, acknowledged, refused, sent }
}

describe('SIGTERM under load', () => {
  it('on embedded PGlite: exits 0 with every acknowledged event stored once', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'promo-sigterm-'))
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
    const server = await startServer({
      PROMO_DATA_DIR: dataDir,
      DATABASE_URL: undefined,
      REDIS_URL: undefined,
    })
    const { code, acknowledged, sent } = await underLoad(server)
    expect(server.stderr()).toBe('')
    expect(code).toBe(0)
    expect(sent * 10).toBeGreaterThan(acknowledged.length)

    const db = new PGlite(join(dataDir, 'db'))
    const { rows } = await db.query<{ n: number; distinct_ids: number; missing: number }>(
      `select count(*)::int as n, count(distinct id)::int as distinct_ids,
        (select count(*)::int from unnest($1::uuid[]) as a(id) where not exists (select 1 from events e where e.id = a.id)) as missing
       from events where name = 'page' and anonymous_id like 'sigterm-visitor-%'`,
      [acknowledged],
    )
    await db.close()
    expect(rows[0]!.missing).toBe(0)
    expect(rows[0]!.n).toBe(rows[0]!.distinct_ids)
    expect(rows[0]!.n).toBeGreaterThanOrEqual(acknowledged.length)
  }, 120_000)

  it.skipIf(!databaseUrl)(
    'on PostgreSQL: exits 0 with every acknowledged event stored once',
    async () => {
      const name = `promo_sigterm_${Date.now().toString(36)}`
      const admin = postgres(databaseUrl!, { max: 1, onnotice: () => {} })
      await admin.unsafe(`create database ${name}`)
      await admin.end()
      cleanups.push(async () => {
        const drop = postgres(databaseUrl!, { max: 1, onnotice: () => {} })
        await drop.unsafe(`drop database if exists ${name} with (force)`)
        await drop.end()
      })
      const url = new URL(databaseUrl!)
      url.pathname = `/${name}`
      const server = await startServer({ DATABASE_URL: url.toString() })
      const { code, acknowledged } = await underLoad(server)
      expect(server.stderr()).toBe('')
      expect(code).toBe(0)

      const check = postgres(url.toString(), { max: 1, onnotice: () => {} })
      const [row] = await check`select count(*)::int as n, count(distinct id)::int as distinct_ids,
      (select count(*)::int from unnest(${acknowledged}::uuid[]) as a(id)
        where not exists (select 1 from events e where e.id = a.id)) as missing
      from events where name = 'page' and anonymous_id like 'sigterm-visitor-%'`
      await check.end()
      expect(row!.missing).toBe(0)
      expect(row!.n).toBe(row!.distinct_ids)
    },
    120_000,
  )
})
