import { drizzle } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import * as tables from '../../../schema/db'
import type { Database, Db } from '../../ports/database'
import type { Logger } from '../../ports/log'

export interface PostgresOptions {
  max?: number
  /** Hyperdrive and PgBouncer in transaction mode do not keep prepared statements between queries. */
  prepare?: boolean
}

/**
 * A PostgreSQL handle whose client can be replaced while the handle is in use (`renew`): every use of `db` goes
 * to the current client, and a transaction begun on the old one finishes (or fails) there.
 */
export function openPostgres(url: string, options: PostgresOptions = {}): Database {
  const open = () => {
    const client = postgres(url, {
      max: options.max ?? 10,
      prepare: options.prepare ?? true,
      onnotice: () => {},
      // Prepared statements (see `preparing`) still get a plan for their own parameters each time, as unnamed
      // ones do: a generic plan cannot see how many rows an array parameter holds.
      connection: {
        application_name: 'promo',
        ...(options.prepare === false ? {} : { plan_cache_mode: 'force_custom_plan' }),
      },
      // While the database is away, each failed connection attempt fails one waiting query, and the rest wait
      // for the next attempt: the default backoff (growing to 20 s) held requests for many seconds during a
      // restart, and the first after it. A refused attempt every ~0.1 s per connection costs the host nothing.
      backoff: () => 0.05 + Math.random() * 0.1,
      connect_timeout: 5,
    })
    return { client, db: drizzle(options.prepare === false ? client : preparing(client), { schema: tables }) }
  }
  let current = open()
  let renewedAt = 0
  const db = new Proxy({} as Db, {
    get(_, key) {
      const value = Reflect.get(current.db, key)
      return typeof value === 'function' ? value.bind(current.db) : value
    },
  })
  return {
    db,
    driver: 'postgres',
    close: () => current.client.end({ timeout: 5 }),
    renew() {
      // One crash often comes with others from the same outage: one new client serves for all of them.
      if (Date.now() - renewedAt < 1_000) return
      renewedAt = Date.now()
      const old = current
      current = open()
      // What the old client still runs is ended (its callers get CONNECTION_DESTROYED, a database outage).
      void old.client.end({ timeout: 0 }).catch(() => {})
    },
  }
}

/** Statements with more parameters than this (an `in (…)` list as long as its input) are not kept prepared. */
export const preparedParamsMax = 64

/**
 * The client Drizzle is given: its queries become prepared statements, kept per connection. Drizzle asks
 * postgres.js for an unnamed statement unless a query is named (and `unsafe` defaults to one), and postgres.js
 * sends an unnamed statement with parameters in two round trips (it learns the parameters' types first); a
 * prepared one costs that once per connection, then one round trip each time. A group commit runs about ten
 * statements in a row, so this halves its round trips. Statements whose parameter count grows with their input (`inArray` lists) stay unnamed
 * above `preparedParamsMax`, so the statements kept per connection stay a bounded set. Transactions and
 * savepoints hand Drizzle the same kind of client.
 */
export function preparing(client: postgres.Sql): postgres.Sql {
  return new Proxy(client, {
    get(target, key) {
      if (key === 'unsafe') {
        return (query: string, params?: unknown[], options?: { prepare?: boolean }) =>
          target.unsafe(query, params as never, {
            ...options,
            prepare: (params?.length ?? 0) <= preparedParamsMax,
          })
      }
      if (key === 'begin' || key === 'savepoint') {
        return (...args: unknown[]) => {
          const run = args.pop() as (sql: postgres.Sql) => unknown
          const begin = Reflect.get(target, key) as (...args: unknown[]) => unknown
          return begin.call(target, ...args, (scoped: postgres.Sql) => run(preparing(scoped)))
        }
      }
      const value = Reflect.get(target, key)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/**
 * postgres.js (3.4.9) throws from a timer, where no caller can catch it, when a transaction's connection is
 * closed by the server and the transaction sends its next query (porsager/postgres#1154, #1208): a PostgreSQL
 * restart under load takes the process down, and the connection, were the process kept, never sends again.
 */
export function isWriteOnClosedConnection(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    error.message.includes("reading 'write'") &&
    (error.stack ?? '').includes('postgres/src/connection.js')
  )
}

/**
 * Keeps a long-running process alive through that defect: the exception is logged and the database's client
 * replaced by a fresh one. Any other uncaught exception ends the process as it would have (stack on stderr,
 * exit code 1). Returns a function that removes the handler.
 */
export function surviveClosedConnectionWrites(database: Database, log: Logger): () => void {
  const handler = (error: Error) => {
    if (!isWriteOnClosedConnection(error) || !database.renew) {
      console.error(error)
      process.exit(1)
    }
    log.error('database client renewed: postgres.js wrote on a closed connection')
    database.renew()
  }
  process.on('uncaughtException', handler)
  return () => process.off('uncaughtException', handler)
}
