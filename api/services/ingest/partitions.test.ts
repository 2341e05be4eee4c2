import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rowsOf } from '../../ports/database'
import type { StoredEvent } from '../../ports/events'
import { createHarness, type Harness } from '../../testing/harness'
import { ensureEventPartitions } from './partitions'
import { storeEvents } from './writer'

let h: Harness
beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

const row = (at: string, overrides: Partial<StoredEvent> = {}): StoredEvent => ({
  id: crypto.randomUUID(),
  siteId: h.a.siteId,
  name: 'page',
  timestamp: new Date(at),
  anonymousId: 'partition-visitor',
  ...overrides,
})

/** Which partition holds each event. */
async function homes(ids: string[]) {
  const rows = rowsOf<{ id: string; home: string }>(
    await h.database.db.execute(
      sql`select id, tableoid::regclass::text as home from events where id = any(${sql.param(ids)}::uuid[])`,
    ),
  )
  return Object.fromEntries(rows.map((r) => [r.id, r.home.replaceAll('"', '')]))
}

describe('monthly partitions of events', () => {
  it('has this month and the next two after migrating, and puts each event in its month', async () => {
    const now = Date.parse('2026-11-29T12:00:00Z')
    await ensureEventPartitions(h.database.db, now)
    const november = row('2026-11-15T08:00:00Z')
    const january = row('2027-01-31T23:00:00Z')
    await storeEvents(h.database.db, h.a.siteId, [november, january], now)
    expect(await homes([november.id, january.id])).toEqual({
      [november.id]: 'events_p202611',
      [january.id]: 'events_p202701',
    })
  })

  it('keeps an event no partition covers in the default one, and moves it when its month is created', async () => {
    const now = Date.parse('2026-11-29T12:00:00Z')
    const old = row('2025-03-02T10:00:00Z')
    const sameMonth = row('2025-03-20T10:00:00Z', { anonymousId: 'other' })
    const later = row('2027-06-01T00:00:00Z')
    const stored = await storeEvents(h.database.db, h.a.siteId, [old, sameMonth, later], now)
    expect(stored.stored).toHaveLength(3)
    expect(Object.values(await homes([old.id, later.id]))).toEqual(['events_default', 'events_default'])

    const created = await ensureEventPartitions(h.database.db, now)
    expect(created).toContain('events_p202503')
    expect(created).toContain('events_p202504')
    expect(await homes([old.id, sameMonth.id])).toEqual({
      [old.id]: 'events_p202503',
      [sameMonth.id]: 'events_p202503',
    })
    // June 2027 is past the months kept ahead: it stays where it is until its month is near.
    expect((await homes([later.id]))[later.id]).toBe('events_default')
    expect(await ensureEventPartitions(h.database.db, now)).toEqual([])
    const moved = await ensureEventPartitions(h.database.db, Date.parse('2027-04-10T00:00:00Z'))
    expect(moved).toContain('events_p202706')
    expect((await homes([later.id]))[later.id]).toBe('events_p202706')

    // Resent after the move, the events are still known: nothing is stored twice.
    const again = await storeEvents(h.database.db, h.a.siteId, [old, sameMonth, later], now)
    expect(again.stored).toHaveLength(0)
  })

  it('counts a page and a server conversion with the same id once across a month boundary', async () => {
    const now = Date.parse('2026-11-29T12:00:00Z')
    const page = row('2027-01-31T23:00:00Z', { name: 'Purchase', eventId: 'order-77', value: 50 })
    const server = row('2027-02-01T01:00:00Z', {
      name: 'Purchase',
      eventId: 'order-77',
      value: 50,
      source: 'server',
    })
    const first = await storeEvents(h.database.db, h.a.siteId, [page], now)
    const second = await storeEvents(h.database.db, h.a.siteId, [server], now)
    expect([first.stored.length, second.stored.length]).toEqual([1, 0])
    // Two days apart, the same order id is a new purchase.
    const later = row('2027-02-03T01:00:00Z', { name: 'Purchase', eventId: 'order-77', value: 50 })
    expect((await storeEvents(h.database.db, h.a.siteId, [later], now)).stored).toHaveLength(1)
  })

  it('prunes dedupe rows no conversion can meet any more', async () => {
    const count = async () =>
      Number(
        rowsOf<{ n: number }>(
          await h.database.db.execute(sql`select count(*) as n from event_dedupe where ts < '2027-02-10'`),
        )[0]!.n,
      )
    expect(await count()).toBeGreaterThan(0)
    await ensureEventPartitions(h.database.db, Date.parse('2027-03-01T00:00:00Z'))
    expect(await count()).toBe(0)
  })
})
