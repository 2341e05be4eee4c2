import { execFile } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { databaseUnavailable } from '../../ports/database'
import { usingPostgres } from '../../testing/database'
import { openPostgres } from './postgres'

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
