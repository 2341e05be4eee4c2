import postgres from 'postgres'
import { openPglite } from '../adapters/db/pglite'
import { openPostgres } from '../adapters/db/postgres'
import type { Database } from '../ports/database'
import { migrate } from '../services/migrate'

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new database on the server
 * named by DATABASE_URL (created now, dropped on close), so the same tests run on both.
 */
export async function testDatabase(): Promise<Database & { url?: string }> {
  const url = process.env.DATABASE_URL
  if (!url) {
    const database = await openPglite()
    await migrate(database)
    return database
  }
  const fresh = await freshPostgres(url)
  const database = openPostgres(fresh.url, { max: 5 })
  await migrate(database)
  return {
    ...database,
    // For code that opens its own connections (the Worker's entry does).
    url: fresh.url,
    close: async () => {
      await database.close()
      await fresh.drop()
    },
  }
}

/** A new, empty database on the server named by `url`, for a test that opens its own connections. */
export async function freshPostgres(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `promo_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  const admin = postgres(url, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  await admin.end()
  const target = new URL(url)
  target.pathname = `/${name}`
  return {
    url: target.toString(),
    drop: async () => {
      const cleanup = postgres(url, { max: 1, onnotice: () => {} })
      await cleanup.unsafe(`drop database if exists ${name} with (force)`)
      await cleanup.end()
    },
  }
}

export const usingPostgres = () => Boolean(process.env.DATABASE_URL)
