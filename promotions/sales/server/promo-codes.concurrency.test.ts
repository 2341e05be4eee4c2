import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPostgres } from '../../../api/adapters/db/postgres'
import { rowsOf } from '../../../api/ports/database'
import { migrate } from '../../../api/services/migrate'
import { freshPostgres } from '../../../api/testing/database'
import { salesHarness, startSales } from '../testing/server'

/**
 * The promo-code counts under real concurrency: a real HTTP server over PostgreSQL with a pool of connections,
 * racing fetches. PGlite has one connection and runs every transaction in turn, so these prove nothing there:
 * they run where DATABASE_URL is set (CI's PostgreSQL run).
 */
const url = process.env.DATABASE_URL

describe.skipIf(!url)('promo codes under concurrency (PostgreSQL, over HTTP)', () => {
  let h: Awaited<ReturnType<typeof salesHarness>>
  let server: ReturnType<typeof serve>
  let base: string
  let campaignId: string
  let drop: () => Promise<void>

  beforeAll(async () => {
    const fresh = await freshPostgres(url!)
    drop = fresh.drop
    const database = openPostgres(fresh.url, { max: 20 })
    await migrate(database)
    // 110 reveals from one address at once: more than a visitor's address may send a minute.
    h = await salesHarness(database, { rateLimits: { reveals: { address: null } } })
    server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
    })
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    ;({ campaignId } = await startSales(base, h.a))
  }, 60_000)

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve))
    await h?.close()
    await drop?.()
  })

  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.a.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  const createCode = async (body: Record<string, unknown>) => {
    const res = await post(`/api/v1/campaigns/${campaignId}/promo-codes`, body)
    expect(res.status, await res.clone().text()).toBe(201)
  }
  type Answer = {
    status: number
    body: { redemptionId?: string; replayed?: boolean; error?: { code: string } }
  }
  const redeem = async (body: Record<string, unknown>): Promise<Answer> => {
    const res = await post('/api/v1/promo-codes/redeem', body)
    return { status: res.status, body: (await res.json()) as Answer['body'] }
  }
  const tally = (answers: Answer[]) => {
    const out: Record<string, number> = {}
    for (const a of answers) {
      const key = a.status === 200 ? '200' : `${a.status} ${a.body.error?.code}`
      out[key] = (out[key] ?? 0) + 1
    }
    return out
  }
  const count = async (query: ReturnType<typeof sql>) =>
    Number(rowsOf<{ n: number | string }>(await h.app.services.db.execute(query))[0]!.n)
  const usesOf = (code: string) => count(sql`select uses as n from promo_codes where code = ${code}`)
  const liveOf = (code: string) =>
    count(sql`
      select count(*) as n from promo_code_redemptions r join promo_codes p on p.id = r.code_id
      where p.code = ${code} and r.released_at is null`)
  const timed = async <T>(label: string, work: () => Promise<T>) => {
    const started = performance.now()
    const result = await work()
    console.log(`[promo codes] ${label}: ${Math.round(performance.now() - started)} ms`)
    return result
  }

  it('200 concurrent redemptions of a code with maxUses 50: exactly 50 succeed, 150 are exhausted', async () => {
    await createCode({ code: 'RACE-50', maxUses: 50 })
    const answers = await timed('200 concurrent redemptions, maxUses 50', () =>
      Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          redeem({ code: 'RACE-50', orderId: `race-${i}`, orderValue: 80 }),
        ),
      ),
    )
    console.log('[promo codes] 200 racing orders:', JSON.stringify(tally(answers)))
    expect(tally(answers)).toEqual({ '200': 50, '409 exhausted': 150 })
    expect(await usesOf('RACE-50')).toBe(50)
    expect(await liveOf('RACE-50')).toBe(50)
    expect(new Set(answers.filter((a) => a.status === 200).map((a) => a.body.redemptionId)).size).toBe(50)
  })

  it('the same order id sent 10 times at once: one redemption, one use', async () => {
    await createCode({ code: 'SAME-ORDER', maxUses: 100 })
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => redeem({ code: 'SAME-ORDER', orderId: 'order-once', orderValue: 30 })),
    )
    console.log('[promo codes] 10 racing copies of one order:', JSON.stringify(tally(answers)))
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200))
    expect(new Set(answers.map((a) => a.body.redemptionId)).size).toBe(1)
    expect(answers.filter((a) => a.body.replayed === false)).toHaveLength(1)
    expect(await usesOf('SAME-ORDER')).toBe(1)
    expect(
      await count(sql`select count(*) as n from promo_code_redemptions where order_id = 'order-once'`),
    ).toBe(1)
  })

  it('the per-customer limit holds when one customer’s orders race', async () => {
    await createCode({ code: 'TWO-EACH', maxUsesPerCustomer: 2 })
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        redeem({ code: 'TWO-EACH', orderId: `each-${i}`, orderValue: 10, customerId: `shopper-${i % 5}` }),
      ),
    )
    console.log('[promo codes] 60 orders of 5 customers, 2 each:', JSON.stringify(tally(answers)))
    expect(tally(answers)).toEqual({ '200': 10, '409 per_customer_limit': 50 })
    expect(await usesOf('TWO-EACH')).toBe(10)
    const perCustomer = rowsOf<{ uses: number }>(
      await h.app.services.db.execute(sql`
        select c.uses from promo_code_customers c join promo_codes p on p.batch_id = c.batch_id
        where p.code = 'TWO-EACH'`),
    )
    expect(perCustomer.map((row) => row.uses)).toEqual([2, 2, 2, 2, 2])
  })

  it('racing releases give each use back once, and the freed uses are redeemed again, exactly', async () => {
    await createCode({ code: 'RELEASE-20', maxUses: 20 })
    const first = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        redeem({ code: 'RELEASE-20', orderId: `rel-${i}`, orderValue: 10 }),
      ),
    )
    expect(tally(first)).toEqual({ '200': 20 })
    // Ten orders cancelled, each release sent three times at once.
    const releases = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const res = await post('/api/v1/promo-codes/release', { orderId: `rel-${i % 10}` })
        expect(res.status).toBe(200)
        return ((await res.json()) as { released: boolean }).released
      }),
    )
    expect(releases.filter(Boolean)).toHaveLength(10)
    expect(await usesOf('RELEASE-20')).toBe(10)
    // Freed uses taken by new orders racing the cancelled ones coming back: 10 places for 40 orders.
    const again = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        redeem({ code: 'RELEASE-20', orderId: i < 10 ? `rel-${i}` : `rel-new-${i}`, orderValue: 10 }),
      ),
    )
    console.log('[promo codes] 40 orders for 10 freed uses:', JSON.stringify(tally(again)))
    expect(tally(again)).toEqual({ '200': 10, '409 exhausted': 30 })
    expect(await usesOf('RELEASE-20')).toBe(20)
    expect(await liveOf('RELEASE-20')).toBe(20)
  })

  it('redemptions and releases racing each other leave uses equal to the live redemptions', async () => {
    await createCode({ code: 'CHURN', maxUses: 15, maxUsesPerCustomer: 3 })
    const work = Array.from({ length: 120 }, (_, i) =>
      i % 3 === 2
        ? post('/api/v1/promo-codes/release', { orderId: `churn-${i - 2}` }).then((res) => res.status)
        : redeem({ code: 'CHURN', orderId: `churn-${i}`, orderValue: 10, customerId: `c-${i % 7}` }).then(
            (a) => a.status,
          ),
    )
    const statuses = await Promise.all(work)
    expect(statuses.filter((s) => s >= 500)).toEqual([])
    const uses = await usesOf('CHURN')
    expect(uses).toBe(await liveOf('CHURN'))
    expect(uses).toBeLessThanOrEqual(15)
    const drift = await count(sql`
      select count(*) as n from promo_code_customers c join promo_codes p on p.batch_id = c.batch_id
      where p.code = 'CHURN' and c.uses <> (
        select count(*) from promo_code_redemptions r
        where r.batch_id = c.batch_id and r.customer_key = c.customer_key and r.released_at is null)`)
    expect(drift).toBe(0)
  })

  it('100 visitors racing for a pool of 40, one of them 10 times at once: 40 codes, each shown once', async () => {
    // A campaign of its own: the other tests' shared codes would be shown once the pool is gone.
    const { campaignId: poolOnly } = await startSales(base, h.a)
    const res = await post(`/api/v1/campaigns/${poolOnly}/promo-codes`, { pool: 40, prefix: 'RV-' })
    expect(res.status).toBe(201)
    const show = async (anonymousId: string) => {
      const answer = await fetch(`${base}/api/v1/promo-codes/reveal`, {
        method: 'POST',
        headers: {
          'content-type': 'text/plain;charset=UTF-8',
          'user-agent':
            'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131 Safari/537.36',
        },
        body: JSON.stringify({ site: h.a.publishableKey, campaignId: poolOnly, anonymousId }),
      })
      const body = (await answer.json()) as { code?: string; error?: { code: string } }
      return { status: answer.status, code: body.code, error: body.error?.code }
    }
    const answers = await timed('110 concurrent reveals, pool of 40', () =>
      Promise.all([
        ...Array.from({ length: 100 }, (_, i) => show(`racer-${i}`)),
        ...Array.from({ length: 10 }, () => show('racer-0')),
      ]),
    )
    const shown = answers.filter((a) => a.status === 200)
    const tallied: Record<string, number> = {}
    for (const a of answers) {
      const key = a.status === 200 ? '200' : `${a.status} ${a.error}`
      tallied[key] = (tallied[key] ?? 0) + 1
    }
    console.log('[promo codes] 110 reveals for a pool of 40:', JSON.stringify(tallied))
    const mine = answers.slice(100).concat(answers[0]!)
    // racer-0 gets one code every time, or none every time if the pool ran out before any of their requests.
    expect(new Set(mine.map((a) => a.code ?? a.error)).size).toBe(1)
    expect(new Set(shown.map((a) => a.code)).size).toBe(40)
    expect(shown.every((a) => a.code?.startsWith('RV-'))).toBe(true)
    expect(answers.every((a) => a.status === 200 || a.error === 'exhausted')).toBe(true)
    expect(
      await count(sql`select count(*) as n from promo_code_reveals where campaign_id = ${poolOnly}`),
    ).toBe(40)
    expect(
      await count(
        sql`select count(*) as n from promo_codes where code like 'RV-%' and revealed_at is not null`,
      ),
    ).toBe(40)
  })
})
