import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import type * as tables from '../../schema/db'

/** Either driver (PGlite embedded, postgres.js for PostgreSQL) behind the same Drizzle query builder. */
export type Db = PgDatabase<PgQueryResultHKT, typeof tables>

export interface Database {
  db: Db
  driver: 'pglite' | 'postgres'
  close(): Promise<void>
  /** Replaces the driver's client with a fresh one (postgres.js only: see runtime/postgres.ts). */
  renew?(): void
}

/** The rows of `db.execute(sql…)`: postgres.js answers an array, PGlite an object holding `rows`. */
export const rowsOf = <T = Record<string, unknown>>(result: unknown): T[] =>
  (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as T[]

/** Errors of a database that is not answering, as opposed to a query that is wrong. */
const unavailableCodes = new Set([
  // postgres.js
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
  // the socket
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  // PostgreSQL: shutting down, starting up, too many connections
  '57P01',
  '57P02',
  '57P03',
  '53300',
])

/**
 * The error code when `error` (or what it wraps: Drizzle puts the driver's error in `cause`) says the database
 * could not be reached or went away mid-query: an outage, answered 503 so clients retry, not a 500.
 */
export function databaseUnavailable(error: unknown): string | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && (unavailableCodes.has(code) || code.startsWith('08'))) return code
  }
  return undefined
}
