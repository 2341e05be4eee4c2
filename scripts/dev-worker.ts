/**
 * `npm run dev:worker`: the Workers build under `wrangler dev`, against PostgreSQL (DATABASE_URL, default the
 * local `promo` database). Migrates and bootstraps through Node first, as a deploy would.
 */
import { execSync } from 'node:child_process'
import postgres from 'postgres'
import { openPostgres } from '../api/adapters/db/postgres'
import { serverTypes } from '../api/promotions'
import { bootstrap, signingSecret } from '../api/services/bootstrap'
import { migrate } from '../api/services/migrate'
import { startWrangler } from './wrangler-dev'

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/promo'
const port = Number(process.env.PORT ?? 8788)

const target = new URL(url)
const admin = postgres({
  host: target.hostname,
  port: Number(target.port || 5432),
  user: target.username,
  database: 'postgres',
  onnotice: () => {},
})
const name = target.pathname.slice(1)
const [exists] = await admin`select 1 from pg_database where datname = ${name}`
if (!exists) await admin.unsafe(`create database "${name.replace(/"/g, '')}"`)
await admin.end()

execSync('npm run build', { stdio: 'inherit' })
const database = openPostgres(url)
await migrate(database)
const origin = `http://127.0.0.1:${port}`
const boot = await bootstrap(database.db, {
  types: serverTypes,
  allowedOrigins: [origin, `http://localhost:${port}`],
  demoOrigin: origin,
  publishableKey: process.env.PROMO_PUBLISHABLE_KEY,
  secretKey: process.env.PROMO_SECRET_KEY,
  adminEmail: process.env.PROMO_ADMIN_EMAIL,
  adminPassword: process.env.PROMO_ADMIN_PASSWORD,
})
const secret = await signingSecret(database.db, process.env.PROMO_SIGNING_SECRET)
await database.close()

const wrangler = await startWrangler(
  port,
  {
    DATABASE_URL: url,
    PROMO_SIGNING_SECRET: secret,
    PROMO_PUBLIC_URL: process.env.PROMO_PUBLIC_URL ?? origin,
  },
  { inherit: true },
)
console.log(`\n  Promo (Workers) on ${origin}   admin ${origin}/admin/`)
console.log(`  Publishable key ${boot.publishableKey}`)
if (boot.secretKey) console.log(`  Secret key      ${boot.secretKey}`)
if (boot.adminPassword) console.log(`  Admin login     ${boot.adminEmail} / ${boot.adminPassword}`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    wrangler.stop()
    process.exit(0)
  })
}
await new Promise(() => {})
