import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import type * as tables from '../schema/db'

/** Either driver (PGlite embedded, postgres.js for PostgreSQL) behind the same Drizzle query builder. */
export type Db = PgDatabase<PgQueryResultHKT, typeof tables>

export interface Database {
  db: Db
  driver: 'pglite' | 'postgres'
  close(): Promise<void>
}
