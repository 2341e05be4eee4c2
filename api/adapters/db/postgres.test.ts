import { execFile } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { databaseUnavailable } from '../../ports/database'
import { usingPostgres } from '../../testing/database'
import { openPostgres, preparedParamsMax } from './postgres'

const run = promisify(execFile)
const fixture = fileURLToPath(new URL('../../testing/closed-connection.ts', import.meta.url))

describe.skipIf(!usingPostgres())('a PostgreSQL restart under a transaction', () => {
  it('leaves the process running and the handle answering on a fresh client', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', fixture], {
      env: { ...process.env, FIXTURE_DATABASE_URL: process.env.DATABASE_URL },
      timeout: 20_000,
    })
    expect(stdout).toContain('answered')
  })
})

describe('while PostgreSQL refuses connections', () => {
  it('fails every waiting query within moments, not after a growing backoff', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address()
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 1))
      })
    })
    const database = openPostgres(`postgres://postgres@127.0.0.1:${port}/promo`, { max: 2 })
    const started = performance.now()
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, () => database.db.execute(sql`select 1`)),
    )
    expect(performance.now() - started).toBeLessThan(5_000)
    expect(outcomes.every((o) => o.status === 'rejected' && databaseUnavailable(o.reason))).toBe(true)
    await database.close()
  })
})

describe.skipIf(!usingPostgres())('statements through Drizzle', () => {
  // What this connection keeps prepared, apart from postgres.js's own type lookup and the question itself.
  const kept = sql`select statement from pg_prepared_statements where statement like '%promo_probe%'`
  const texts = (rows: unknown) => (rows as { statement: string }[]).map((row) => row.statement.trim()).sort()

  it('are prepared once per connection, in and out of transactions, so each runs in one round trip', async () => {
    const database = openPostgres(process.env.DATABASE_URL!, { max: 1 })
    try {
      for (let i = 0; i < 3; i++) await database.db.execute(sql`select ${i}::int as promo_probe_a`)
      const inside = await database.db.transaction(async (tx) => {
        await tx.execute(sql`select ${1}::int as promo_probe_b`)
        return texts(await tx.execute(kept))
      })
      expect(inside).toEqual(['select $1::int as promo_probe_a', 'select $1::int as promo_probe_b'])
      // A custom plan each time, as unnamed statements get: a generic one cannot see an array's length.
      const [mode] = (await database.db.execute(
        sql`select current_setting('plan_cache_mode') as mode`,
      )) as unknown as {
        mode: string
      }[]
      expect(mode!.mode).toBe('force_custom_plan')
    } finally {
      await database.close()
    }
  })

  it('stay unnamed when their parameters grow with their input, and when the database is told not to prepare', async () => {
    const long = openPostgres(process.env.DATABASE_URL!, { max: 1 })
    const unprepared = openPostgres(process.env.DATABASE_URL!, { max: 1, prepare: false })
    try {
      const many = Array.from({ length: preparedParamsMax + 1 }, (_, i) => sql`${i}::int`)
      await long.db.execute(sql`select greatest(${sql.join(many, sql`, `)}) as promo_probe_c`)
      expect(texts(await long.db.execute(kept))).toEqual([])
      await unprepared.db.execute(sql`select ${1}::int as promo_probe_d`)
      expect(texts(await unprepared.db.execute(kept))).toEqual([])
    } finally {
      await long.close()
      await unprepared.close()
    }
  })
})
