import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHarness, type Harness, readJson } from '../../../api/testing/harness'
import { rsvpCounters, rsvps } from '../../../schema/db'
import { visitorProof } from '../../lead_generation/testing/server'
import { rsvpAnswer } from '../answers'
import { eventApp, startEvent } from '../testing/server'
import { offerEventPersonalData } from './personal-data'

let h: Harness
let app: ReturnType<typeof eventApp>
let campaignId: string
beforeAll(async () => {
  h = await createHarness()
  app = eventApp(h)
  campaignId = await startEvent(app, h.a, { capacity: 1 })
})
afterAll(() => h.close())

const rsvp = async (email: string, proof: Record<string, string>) => {
  const res = await app.request('/api/v1/rsvps', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ site: h.a.publishableKey, campaignId, email, firstName: 'Ada', ...proof }),
  })
  return readJson(res, rsvpAnswer)
}

describe('RSVPs in a visitor’s privacy export, erasure and the retention sweep', () => {
  it('links an RSVP to the visitor only with the served token, exports it, and erases it keeping the seat', async () => {
    const ada = await rsvp('ada@example.com', visitorProof(h.a, 'anon-ada'))
    // Naming someone else's id without their token links nothing.
    await rsvp('eve@example.com', { anonymousId: 'anon-ada', visitorToken: 'forged' })
    const visitor = { siteId: h.a.siteId, anonymousId: 'anon-ada' }
    const exported = (await offerEventPersonalData.export(h.database.db, visitor)) as { id: string }[]
    expect(exported.map((r) => r.id)).toEqual([ada.rsvpId])
    expect(exported[0]).toMatchObject({ email: 'ada@example.com', firstName: 'Ada', status: 'confirmed' })

    await h.database.db.transaction((tx) => offerEventPersonalData.erase(tx, visitor, 'erased-x'))
    const [row] = await h.database.db.select().from(rsvps).where(eq(rsvps.id, ada.rsvpId))
    expect(row).toMatchObject({ status: 'confirmed', firstName: null, anonymousId: 'erased-x' })
    expect(row!.email).not.toContain('ada')
    expect(await offerEventPersonalData.export(h.database.db, visitor)).toEqual([])
    // The seat stays taken: the counter and the rows still agree.
    const [counter] = await h.database.db
      .select()
      .from(rsvpCounters)
      .where(eq(rsvpCounters.campaignId, campaignId))
    expect(counter!.confirmed).toBe(1)
  })

  it('unlinks RSVPs older than the site keeps visitor data', async () => {
    const bob = await rsvp('bob@example.com', visitorProof(h.a, 'anon-bob'))
    const sweep = offerEventPersonalData.sweep!
    expect(await sweep(h.database.db, h.a.siteId, '2026-11-01T00:00:00Z', 100)).toBe(0)
    expect(await sweep(h.database.db, h.a.siteId, '2026-12-01T00:00:00Z', 100)).toBe(1)
    const [row] = await h.database.db.select().from(rsvps).where(eq(rsvps.id, bob.rsvpId))
    expect(row!.anonymousId).toBeNull()
    expect(await sweep(h.database.db, h.b.siteId, '2026-12-01T00:00:00Z', 100)).toBe(0)
  })
})
