import { serve } from '@hono/node-server'
import { openPostgres } from '../../../api/adapters/db/postgres'
import { MemoryKv } from '../../../api/adapters/kv/memory'
import { createApp } from '../../../api/app'

/**
 * A server (sales is in the registry), in its own process so a test can kill it mid-run (SIGKILL) and start it again:
 * DATABASE_URL (migrated already), PORT, PROMO_SIGNING_SECRET.
 */
const database = openPostgres(process.env.DATABASE_URL!, { max: 20 })
const app = createApp({ database, kv: new MemoryKv(), signingSecret: process.env.PROMO_SIGNING_SECRET! })
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' })
