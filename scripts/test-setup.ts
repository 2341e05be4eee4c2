/** Says once, before the suite, which real services this run uses and what it leaves out. */
export default function setup() {
  const database = process.env.DATABASE_URL
    ? `PostgreSQL at ${new URL(process.env.DATABASE_URL).host}`
    : 'embedded PGlite (set DATABASE_URL to run against PostgreSQL)'
  const store = process.env.REDIS_URL
    ? `Redis at ${new URL(process.env.REDIS_URL).host} (and the Upstash REST adapter through a local bridge)`
    : 'in memory (set REDIS_URL to run the store tests against Redis)'
  console.log(`\n[promo tests] database: ${database}`)
  console.log(`[promo tests] serving store: ${store}`)
  console.log(
    '[promo tests] not part of npm test: browser tests (npm run test:browser), Workers smoke test (npm run test:worker), size gate (npm run size)\n',
  )
}
