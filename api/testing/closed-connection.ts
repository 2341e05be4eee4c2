/**
 * Run by postgres.test.ts in a process of its own: a transaction whose connection the server closes sends its
 * next query (postgres.js then throws where nobody can catch it), and the same handle is asked again after.
 * Prints `answered` and exits 0 if the process lived and the handle answers; with SURVIVE=0, no handler.
 */
import { sql } from 'drizzle-orm'
import postgres from 'postgres'
import { openPostgres, surviveClosedConnectionWrites } from '../adapters/db/postgres'
import { rowsOf } from '../ports/database'
import { silentLogger } from '../ports/log'

const url = process.env.FIXTURE_DATABASE_URL!
const database = openPostgres(url, { max: 1 })
if (process.env.SURVIVE !== '0') surviveClosedConnectionWrites(database, silentLogger)
const killer = postgres(url, { max: 1, onnotice: () => {} })
await database.db
  .transaction(async (tx) => {
    const [row] = rowsOf<{ pid: number }>(await tx.execute(sql`select pg_backend_pid() as pid`))
    await killer`select pg_terminate_backend(${row!.pid})`
    await new Promise((resolve) => setTimeout(resolve, 200))
    await tx.execute(sql`select 1`)
  })
  .catch(() => {})
await killer.end()
await new Promise((resolve) => setTimeout(resolve, 300))
const [answer] = rowsOf<{ one: number }>(await database.db.execute(sql`select 1 as one`))
if (answer?.one === 1) console.log('answered')
await database.close()
process.exit(0)
