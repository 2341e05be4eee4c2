import { sql } from 'drizzle-orm'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { organizations, sites } from '../../schema/db'
import { openPostgres } from '../adapters/db/postgres'
import { type Database, rowsOf } from '../ports/database'
import { newPublishableKey } from '../services/auth/keys'
import { storeEvents } from '../services/ingest/writer'
import { migrate } from '../services/migrate'
import { usingPostgres } from '../testing/database'
import worker from './worker'

/** The Worker's daily cron, run as Cloudflare calls it, against a database of its own (PostgreSQL only). */
describe.skipIf(!usingPostgres())("the Worker's daily cron", () => {
  const name = `promo_cron_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  let url: string
  let database: Database
  let siteId: string
  const dayMs = 86_400_000

  beforeAll(async () => {
    const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} })
    await admin.unsafe(`create database ${name}`)
    await admin.end()
    const target = new URL(process.env.DATABASE_URL!)
    target.pathname = `/${name}`
    url = target.toString()
    database = openPostgres(url, { max: 2 })
    await migrate(database)
    const [org] = await database.db.insert(organizations).values({ name: 'Cron' }).returning()
    const [site] = await database.db
      .insert(sites)
      .values({
        organizationId: org!.id,
        name: 'Cron',
        publishableKey: newPublishableKey(),
        retention: { eventsDays: 30, leadsDays: 730, mailDays: 30, webhookDeliveriesDays: 30 },
      })
      .returning()
    siteId = site!.id
  })
  afterAll(async () => {
    await database?.close()
    const cleanup = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} })
    await cleanup.unsafe(`drop database if exists ${name} with (force)`)
    await cleanup.end()
  })

  it('sweeps what the site keeps no longer, and keeps the rest', async () => {
    const now = Date.now()
    const event = (days: number) => ({
      id: crypto.randomUUID(),
      siteId,
      name: 'page',
      timestamp: new Date(now - days * dayMs),
      anonymousId: `cron-${days}`,
    })
    const old = event(40)
    const young = event(3)
    await storeEvents(database.db, siteId, [old, young], now)
    const pending: Promise<unknown>[] = []
    await worker.scheduled(
      { cron: '17 3 * * *' },
      {
        DATABASE_URL: url,
        PROMO_SIGNING_SECRET: 'test-signing-secret-0123456789abcdef',
        PROMO_PUBLIC_URL: 'https://promo.example',
      },
      { waitUntil: (task) => pending.push(task) },
    )
    await Promise.all(pending)
    const left = rowsOf<{ id: string }>(
      await database.db.execute(sql`select id from events where site_id = ${siteId}`),
    ).map((row) => row.id)
    expect(left).toEqual([young.id])
  })
})
