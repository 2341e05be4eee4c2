import { drizzle } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import * as tables from '../../schema/db'
import type { Database } from '../db'

export interface PostgresOptions {
  max?: number
  /** Hyperdrive and PgBouncer in transaction mode do not keep prepared statements between queries. */
  prepare?: boolean
}

export function openPostgres(url: string, options: PostgresOptions = {}): Database {
  const client = postgres(url, {
    max: options.max ?? 10,
    prepare: options.prepare ?? true,
    onnotice: () => {},
    connection: { application_name: 'promo' },
  })
  return {
    db: drizzle(client, { schema: tables }),
    driver: 'postgres',
    close: () => client.end({ timeout: 5 }),
  }
}
