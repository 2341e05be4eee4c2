import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { usingPostgres } from '../testing/database'

const run = promisify(execFile)
const fixture = fileURLToPath(new URL('./closed-connection.fixture.ts', import.meta.url))

describe.skipIf(!usingPostgres())('a PostgreSQL restart under a transaction', () => {
  it('leaves the process running and the handle answering on a fresh client', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', fixture], {
      env: { ...process.env, FIXTURE_DATABASE_URL: process.env.DATABASE_URL },
      timeout: 20_000,
    })
    expect(stdout).toContain('answered')
  })
})
