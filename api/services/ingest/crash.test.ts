import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { drizzle } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '../../../scripts/wrangler-dev'
import type { Db } from '../../ports/database'
import { rollupMismatches } from '../../testing/rollups'

const databaseUrl = process.env.DATABASE_URL
const root = fileURLToPath(new URL('../../..', import.meta.url))
const publishableKey = 'pk_test_crashcrashcrashcrash01'
const name = `promo_crash_${Date.now().toString(36)}`
const children: ChildProcess[] = []

/** The real Node server (`npm start`'s entry) in its own process, so it can be killed mid-flush. */
async function startServer(url: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/runtime/node.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      PROMO_LOG: 'silent',
      PROMO_PUBLISHABLE_KEY: publishableKey,
      PROMO_SIGNING_SECRET: 'crash-test-signing-secret-0123456789abcdef',
    },
    stdio: 'ignore',
  })
  children.push(child)
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (res) => res.ok,
      () => false,
    )
    if (ok) return child
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('server did not start')
}

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL')
  if (!databaseUrl) return
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`drop database if exists ${name} with (force)`)
  await admin.end()
})

// PGlite is embedded in the server's process and is not built to survive a SIGKILL; PostgreSQL is.
describe.skipIf(!databaseUrl)(
  'ingest when the server is killed in the middle of a flush (PostgreSQL)',
  () => {
    it('ends with each of 1,000 events stored exactly once after a restart and the clients’ resends', async () => {
      const admin = postgres(databaseUrl!, { max: 1, onnotice: () => {} })
      await admin.unsafe(`create database ${name}`)
      await admin.end()
      const url = new URL(databaseUrl!)
      url.pathname = `/${name}`
      const port = await freePort()
      let server = await startServer(url.toString(), port)

      // A third of the events are impressions of a demo campaign, so campaign rollups are at stake too.
      const probe = postgres(url.toString(), { max: 1, onnotice: () => {} })
      const [unit] = await probe`select c.id as campaign, v.id as variant from campaigns c
        join variants v on v.campaign_id = c.id limit 1`
      await probe.end()
      const ids = Array.from({ length: 1_000 }, () => crypto.randomUUID())
      const originals = ids.map((id, i) => ({
        id,
        name: i % 3 === 0 ? 'impression' : 'page',
        timestamp: new Date(Date.now() - (i % 600) * 1_000).toISOString(),
        anonymousId: `crash-visitor-${i % 41}`,
        ...(i % 3 === 0 ? { campaignId: unit!.campaign, variantId: unit!.variant } : {}),
      }))
      const items = [...originals, ...originals, ...originals]
      let seed = 11
      for (let i = items.length - 1; i > 0; i--) {
        seed = (seed * 16_807) % 2_147_483_647
        const j = seed % (i + 1)
        ;[items[i], items[j]] = [items[j]!, items[i]!]
      }
      const batches = Array.from({ length: 30 }, (_, b) => items.slice(b * 100, b * 100 + 100))
      const acknowledged = new Set<number>()
      let accepted = 0
      const send = async (index: number) => {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/events`, {
          method: 'POST',
          // A browser's User-Agent: Node's own (`node`) is rightly taken for a bot and not counted.
          headers: {
            'content-type': 'text/plain',
            'user-agent':
              'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
          },
          body: JSON.stringify({ site: publishableKey, batch: batches[index] }),
        }).catch(() => undefined)
        if (res?.status !== 200) return
        const answer = (await res.json()) as { accepted: number }
        accepted += answer.accepted
        acknowledged.add(index)
      }

      // Batches go out in waves of five, 5 ms apart, so groups keep forming and committing; the server is killed
      // as soon as the first answer shows one has committed, with later groups still being written and some
      // batches not sent yet (those meet a dead server).
      const sending: Promise<void>[] = []
      const killed = (async () => {
        while (acknowledged.size === 0) await new Promise((resolve) => setTimeout(resolve, 1))
        server.kill('SIGKILL')
      })()
      for (let wave = 0; wave < 6; wave++) {
        for (let k = 0; k < 5; k++) sending.push(send(wave * 5 + k))
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
      await killed
      await Promise.all(sending)
      expect(acknowledged.size).toBeLessThan(30)

      // As the SDK does: whatever was not acknowledged is sent again, to the restarted server.
      server = await startServer(url.toString(), port)
      for (let round = 0; round < 3 && acknowledged.size < 30; round++) {
        await Promise.all(batches.map((_, index) => (acknowledged.has(index) ? undefined : send(index))))
      }
      expect(acknowledged.size).toBe(30)
      // A group that committed just before the kill had its answers lost: resent, its events come back as
      // duplicates. So the acknowledged count can fall short of 1,000, but never pass it.
      expect(accepted).toBeLessThanOrEqual(1_000)
      const check = postgres(url.toString(), { max: 1, onnotice: () => {} })
      const [row] = await check`select count(*)::int as n, count(distinct id)::int as distinct_ids from events
          where name in ('page', 'impression')`
      const [views] =
        await check`select sum(page_views)::int as n from visitor_profiles where anonymous_id like 'crash-visitor-%'`
      const pageViews = originals.filter((o) => o.name === 'page').length
      const [site] = await check`select id from sites limit 1`
      const mismatches = await rollupMismatches(drizzle(check) as unknown as Db, site!.id)
      await check.end()
      expect(row).toEqual({ n: 1_000, distinct_ids: 1_000 })
      // Profiles and rollups commit with their events: every stored page view is counted once, none from a lost
      // flush.
      expect(views!.n).toBe(pageViews)
      expect(mismatches).toEqual([])
      server.kill('SIGTERM')
    }, 120_000)
  },
)
