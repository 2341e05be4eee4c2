import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { sql } from 'drizzle-orm'
import { afterAll, describe, expect, it } from 'vitest'
import { openPostgres } from '../../../api/adapters/db/postgres'
import { rowsOf } from '../../../api/ports/database'
import { migrate } from '../../../api/services/migrate'
import { freshPostgres } from '../../../api/testing/database'
import { createTenant } from '../../../api/testing/harness'
import { startSales } from '../testing/server'

const databaseUrl = process.env.DATABASE_URL
const root = fileURLToPath(new URL('../../..', import.meta.url))
const children: ChildProcess[] = []
const cleanups: (() => Promise<void>)[] = []

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })

/** The app with sales mounted, in its own process (promotions/sales/testing/serve.ts), so it can be killed. */
async function startServer(url: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'promotions/sales/testing/serve.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
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
  for (const cleanup of cleanups) await cleanup()
})

type Outcome = { status: number; code?: string; redemptionId?: string } | 'lost'

// PostgreSQL rolls back the transactions of a killed server's connections; PGlite lives in the killed process.
describe.skipIf(!databaseUrl)('promo codes when the server is killed mid-run (PostgreSQL)', () => {
  it('200 racing orders for 50 uses, the server killed and restarted, resends: exactly 50 redeemed', async () => {
    const fresh = await freshPostgres(databaseUrl!)
    const database = openPostgres(fresh.url, { max: 2 })
    cleanups.push(async () => {
      await database.close()
      await fresh.drop()
    })
    await migrate(database)
    const tenant = await createTenant(database, 'crash')
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    let server = await startServer(fresh.url, port)
    const { campaignId } = await startSales(base, tenant)
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tenant.secretKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const created = await post(`/api/v1/campaigns/${campaignId}/promo-codes`, {
      code: 'CRASH-50',
      maxUses: 50,
    })
    expect(created.status).toBe(201)

    const send = async (i: number): Promise<Outcome> => {
      try {
        const res = await post('/api/v1/promo-codes/redeem', {
          code: 'CRASH-50',
          orderId: `crash-${i}`,
          orderValue: 60,
        })
        const body = (await res.json()) as { redemptionId?: string; error?: { code: string } }
        return { status: res.status, code: body.error?.code, redemptionId: body.redemptionId }
      } catch {
        return 'lost'
      }
    }
    // Killed once 30 answers are in: the rest are in flight, some mid-transaction.
    let answered = 0
    let killed = false
    const first = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        send(i).then((outcome) => {
          if (outcome !== 'lost' && ++answered >= 30 && !killed) {
            killed = true
            server.kill('SIGKILL')
          }
          return outcome
        }),
      ),
    )
    const lost = first.filter((o) => o === 'lost' || o.status >= 500).length
    console.log(`[promo codes] killed after ${answered} answers; ${lost} requests lost or failed`)
    expect(killed).toBe(true)
    expect(lost).toBeGreaterThan(0)

    server = await startServer(fresh.url, port)
    // Every checkout resends what it got no answer (or a 503 to retry) for, a few rounds as a shop's client
    // would; a few resend what they had, too (idempotent).
    const failed = (outcome: Outcome) => outcome === 'lost' || outcome.status >= 500
    let final = await Promise.all(
      first.map((outcome, i) => (failed(outcome) || i % 10 === 0 ? send(i) : Promise.resolve(outcome))),
    )
    for (let round = 1; round <= 5 && final.some(failed); round++) {
      console.log(`[promo codes] resend round ${round}: ${final.filter(failed).length} to retry`)
      await new Promise((resolve) => setTimeout(resolve, 200))
      final = await Promise.all(final.map((outcome, i) => (failed(outcome) ? send(i) : outcome)))
    }
    for (const [i, outcome] of final.entries()) {
      if (outcome !== 'lost' && outcome.status === 200 && first[i] !== 'lost' && first[i]!.status === 200) {
        expect(outcome.redemptionId, `order ${i} answered another redemption`).toBe(first[i]!.redemptionId)
      }
    }
    const tally: Record<string, number> = {}
    for (const outcome of final) {
      const key =
        outcome === 'lost' ? 'lost' : outcome.status === 200 ? '200' : `${outcome.status} ${outcome.code}`
      tally[key] = (tally[key] ?? 0) + 1
    }
    console.log('[promo codes] after restart and resends:', JSON.stringify(tally))
    expect(tally).toEqual({ '200': 50, '409 exhausted': 150 })
    const count = async (query: ReturnType<typeof sql>) =>
      Number(rowsOf<{ n: number | string }>(await database.db.execute(query))[0]!.n)
    expect(await count(sql`select uses as n from promo_codes where code = 'CRASH-50'`)).toBe(50)
    expect(await count(sql`select count(*) as n from promo_code_redemptions where released_at is null`)).toBe(
      50,
    )
    expect(
      await count(sql`
        select count(*) as n from (
          select order_id from promo_code_redemptions group by order_id having count(*) > 1) as twice`),
    ).toBe(0)
  }, 120_000)
})
