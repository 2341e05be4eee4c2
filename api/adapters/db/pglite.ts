import { mkdir } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { drizzle } from 'drizzle-orm/pglite'
import * as tables from '../../../schema/db'
import type { Database } from '../../ports/database'

/** Embedded PostgreSQL (WASM). `dataDir` undefined keeps everything in memory, which tests use. */
export async function openPglite(dataDir?: string): Promise<Database> {
  if (dataDir) await mkdir(dataDir, { recursive: true })
  const client = new PGlite(dataDir)
  await client.waitReady
  return {
    db: drizzle(client, { schema: tables }),
    driver: 'pglite',
    close: () => client.close(),
  }
}
