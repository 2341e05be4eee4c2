import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { events, rollupsDaily } from '../../../schema/db'
import { awarenessCampaign, client, createHarness, type Harness } from '../../testing/harness'
import { rollupMismatches } from '../../testing/rollups'
import { storeEvents } from '../ingest/writer'
import { backfillRollups, rebuildRollups } from './rebuild'

let h: Harness
let campaign: { id: string; variants: { id: string }[] }
beforeAll(async () => {
  h = await createHarness()
  const res = await client(h.app, { secretKey: h.a.secretKey }).post('/api/v1/campaigns', awarenessCampaign())
  campaign = (await res.json()) as typeof campaign
})
afterAll(() => h.close())

const event = (i: number, overrides: Partial<typeof events.$inferInsert> = {}) => ({
  id: crypto.randomUUID(),
  siteId: h.a.siteId,
  name: ['impression', 'viewable', 'click', 'page'][i % 4]!,
  timestamp: new Date(h.now.value - (i % 50) * 7_200_000),
  anonymousId: `rebuild-${i % 13}`,
  ...(i % 4 === 3 ? {} : { campaignId: campaign.id, variantId: campaign.variants[0]!.id }),
  device: i % 2 ? ('mobile' as const) : ('desktop' as const),
  ...overrides,
})

describe('rebuilding rollups from raw events', () => {
  it('builds, for events stored before rollups existed, exactly what ingest would have', async () => {
    // Events written straight to the table, as a database from before rollups holds them.
    await h.database.db.insert(events).values(Array.from({ length: 300 }, (_, i) => event(i)))
    expect((await rollupMismatches(h.database.db, h.a.siteId)).length).toBeGreaterThan(0)

    const built = await rebuildRollups(h.database.db, h.a.siteId, { chunk: 64 })
    expect(built.events).toBe(300)
    expect(await rollupMismatches(h.database.db, h.a.siteId)).toEqual([])
  })

  it('starts over rather than adding twice, and keeps the credit of stored conversions', async () => {
    const visitor = 'rebuild-buyer'
    await storeEvents(
      h.database.db,
      h.a.siteId,
      [
        event(2, { anonymousId: visitor, timestamp: new Date(h.now.value - 60_000) }),
        event(3, {
          name: 'Purchase',
          anonymousId: visitor,
          timestamp: new Date(h.now.value),
          value: 40,
          currency: 'EUR',
        }),
      ],
      h.now.value,
    )
    await rebuildRollups(h.database.db, h.a.siteId)
    await rebuildRollups(h.database.db, h.a.siteId, { chunk: 7 })
    expect(await rollupMismatches(h.database.db, h.a.siteId)).toEqual([])
    const [credit] = await h.database.db
      .execute(
        sql`select sum(n) as n, sum(value) as value from rollups_daily where metric = 'credit:last_touch' and site_id = ${h.a.siteId}`,
      )
      .then((r) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as { n: number; value: number }[])
    expect({ n: Number(credit!.n), value: Number(credit!.value) }).toEqual({ n: 1, value: 40 })
  })

  it('backfills only sites that have events and no rollups', async () => {
    await h.database.db
      .insert(events)
      .values([event(0, { siteId: h.b.siteId, campaignId: null, variantId: null })])
    const before = await h.database.db.select().from(rollupsDaily).where(eq(rollupsDaily.siteId, h.a.siteId))
    const logged: string[] = []
    await backfillRollups(h.database.db, (message) => logged.push(message))
    expect(logged).toHaveLength(1)
    expect(logged[0]).toContain(h.b.siteId)
    expect(await rollupMismatches(h.database.db, h.b.siteId)).toEqual([])
    const after = await h.database.db.select().from(rollupsDaily).where(eq(rollupsDaily.siteId, h.a.siteId))
    expect(after).toEqual(before)
  })
})
