import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import type * as tables from '../schema/db'

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

