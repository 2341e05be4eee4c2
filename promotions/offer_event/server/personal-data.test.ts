import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { client, createHarness, type Harness, readJson } from '../../../api/testing/harness'
import { erasure, personData } from '../../../schema/api'
import { mailOutbox, rsvpCounters, rsvps } from '../../../schema/db'
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
    // A random address in place of hers ('ada' could turn up in its hex by chance, so the whole shape is checked).
    expect(row!.email).toMatch(/^erased-[0-9a-f-]{36}@erased\.invalid$/)
    expect(row!.email).not.toContain('ada@example.com')
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

  it('reaches RSVPs by email in a person’s privacy export and erasure, within the requester’s sites only', async () => {
    const cy = await rsvp('cy@example.com', {})
    const adminA = client(app, { secretKey: h.a.secretKey })
    const adminB = client(app, { secretKey: h.b.secretKey })
    const exported = await readJson(
      await adminA.get('/api/v1/leads/person?email=%20CY@example.com'),
      personData,
    )
    const listed = exported.byEmail?.rsvps as { id: string; email: string; status: string }[]
    expect(listed.map((r) => [r.id, r.email, r.status])).toEqual([
      [cy.rsvpId, 'cy@example.com', 'waitlisted'],
    ])
    // Another site's key sees nothing of it, and erases nothing.
    const other = await readJson(await adminB.get('/api/v1/leads/person?email=cy@example.com'), personData)
    expect(other.byEmail?.rsvps).toEqual([])
    const none = await readJson(await adminB.delete('/api/v1/leads/person?email=cy@example.com'), erasure)
    expect(none.deleted.byEmail?.rsvps).toBe(0)

    const erased = await readJson(await adminA.delete('/api/v1/leads/person?email=cy@example.com'), erasure)
    expect(erased.deleted).toMatchObject({
      byEmail: { rsvps: 1 },
      mail: 1,
    })
    const [row] = await h.database.db.select().from(rsvps).where(eq(rsvps.id, cy.rsvpId))
    expect(row).toMatchObject({ status: 'waitlisted', firstName: null })
    expect(row!.email).toBe(`erased-${cy.rsvpId}@erased.invalid`)
    const after = await readJson(await adminA.get('/api/v1/leads/person?email=cy@example.com'), personData)
    expect(after.byEmail?.rsvps).toEqual([])
    expect(await h.database.db.select().from(mailOutbox).where(eq(mailOutbox.to, 'cy@example.com'))).toEqual(
      [],
    )
  })
})
