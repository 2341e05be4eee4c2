import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serverTypes } from '../../../api/promotions'
import { client, createHarness, type Harness } from '../../../api/testing/harness'
import { visitorProof } from '../../lead_generation/testing/server'
import { sales } from '../../sales/server/index'
import { startSales } from '../../sales/testing/server'

/** An offer's and an event's KPIs in the campaign's analytics: totals, by variant and over time. */

let h: Harness
const browser =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'

beforeAll(async () => {
  h = await createHarness({}, { ...serverTypes, sales })
})
afterAll(() => h.close())

const admin = () => client(h.app, { secretKey: h.a.secretKey })

async function sendEvents(batch: Record<string, unknown>[]) {
  const res = await h.app.request('/api/v1/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': browser },
    body: JSON.stringify({ site: h.a.publishableKey, batch }),
  })
  expect(res.status).toBe(200)
}
const event = (name: string, anonymousId: string, campaignId: string, variantId: string) => ({
  id: crypto.randomUUID(),
  name,
  timestamp: new Date(h.now.value).toISOString(),
  anonymousId,
  campaignId,
  variantId,
})

async function analytics(id: string) {
  const res = await admin().get(
    `/api/v1/campaigns/${id}/analytics?from=2026-11-29T00:00:00Z&to=2026-11-30T00:00:00Z&interval=hour`,
  )
  expect(res.status).toBe(200)
  return (await res.json()) as {
    totals: Record<string, number>
    series: ({ t: string } & Record<string, number>)[]
    byVariant: ({ variantId: string } & Record<string, number>)[]
  }
}

describe('offer and event KPIs', () => {
  it('counts RSVPs by status and variant, the cancellation and attendance rates, redemptions and countdown CTR', async () => {
    const sale = await startSales(h.app, h.a)
    expect(
      (await admin().post(`/api/v1/campaigns/${sale.campaignId}/promo-codes`, { code: 'MEET10' })).status,
    ).toBe(201)
    const created = await admin().post('/api/v1/campaigns', {
      name: 'Meetup',
      type: 'offer_event',
      config: {
        kind: 'event',
        format: 'sticky_top',
        countdown: { endsAt: '2026-12-20T17:00:00+01:00' },
        event: { startsAt: '2026-12-20T18:00:00+01:00', isVirtual: true, capacity: 3 },
        offer: { promoCode: 'MEET10' },
      },
      variants: [
        { name: 'A', creative: { headline: 'Join us' } },
        { name: 'B', creative: { headline: 'Save your seat' } },
      ],
    })
    expect(created.status).toBe(201)
    const campaign = (await created.json()) as { id: string; variants: { id: string }[] }
    const [a, b] = campaign.variants.map((v) => v.id) as [string, string]
    expect((await admin().post(`/api/v1/campaigns/${campaign.id}/activate`)).status).toBe(200)

    // Four visitors see it (three A, one B); one of A clicks; three RSVP with their proof, one without.
    await sendEvents([
      event('impression', 'k-1', campaign.id, a),
      event('impression', 'k-2', campaign.id, a),
      event('impression', 'k-3', campaign.id, a),
      event('impression', 'k-4', campaign.id, b),
      event('click', 'k-1', campaign.id, a),
    ])
    const rsvp = (email: string, proof: object = {}) =>
      client(h.app).post('/api/v1/rsvps', {
        site: h.a.publishableKey,
        campaignId: campaign.id,
        email,
        ...proof,
      })
    expect((await rsvp('one@example.com', visitorProof(h.a, 'k-1'))).status).toBe(201)
    expect((await rsvp('two@example.com', visitorProof(h.a, 'k-2'))).status).toBe(201)
    expect((await rsvp('four@example.com', visitorProof(h.a, 'k-4'))).status).toBe(201)
    expect((await rsvp('anon@example.com')).status).toBe(201)
    // One cancels, one is checked in (helper "rsvp"'s check-in sets the status `attended`).
    await h.database.db.execute(
      sql`update rsvps set status = 'cancelled', cancelled_at = now() where email = 'two@example.com'`,
    )
    await h.database.db.execute(sql`update rsvps set status = 'attended' where email = 'one@example.com'`)
    // The shop redeems the offer's code twice, and one order is cancelled.
    for (const orderId of ['m-1', 'm-2'])
      expect(
        (
          await admin().post('/api/v1/promo-codes/redeem', {
            code: 'meet10',
            orderId,
            orderValue: 50,
            currency: 'EUR',
          })
        ).status,
      ).toBe(200)
    expect((await admin().post('/api/v1/promo-codes/release', { orderId: 'm-2' })).status).toBe(200)

    const result = await analytics(campaign.id)
    expect(result.totals).toMatchObject({
      rsvps: 4,
      confirmed: 1,
      waitlisted: 1,
      cancelled: 1,
      attended: 1,
      cancellationRate: 0.25,
      attendanceRate: 0.5,
      offerRedemptions: 1,
      offerRevenue: 50,
      countdownCtr: 0.25,
    })
    const byVariant = new Map(result.byVariant.map((v) => [v.variantId, v]))
    expect(byVariant.get(a)).toMatchObject({
      rsvps: 2,
      attended: 1,
      cancelled: 1,
      countdownCtr: round(1 / 3),
    })
    expect(byVariant.get(b)).toMatchObject({ rsvps: 1, countdownCtr: 0 })
    const hour = result.series.find((bucket) => bucket.t === '2026-11-29T12:00:00Z')!
    expect(hour).toMatchObject({ rsvps: 4, offerRedemptions: 1, countdownCtr: 0.25 })
    expect(result.series.find((bucket) => bucket.t === '2026-11-29T13:00:00Z')).toMatchObject({ rsvps: 0 })
  })

  it("answers another site's campaign with 404", async () => {
    const created = await admin().post('/api/v1/campaigns', {
      name: 'Sale',
      type: 'offer_event',
      config: { countdown: { evergreenHours: 2 } },
      variants: [{ name: 'A', creative: { headline: 'x' } }],
    })
    const { id } = (await created.json()) as { id: string }
    const other = await client(h.app, { secretKey: h.b.secretKey }).get(`/api/v1/campaigns/${id}/analytics`)
    expect(other.status).toBe(404)
  })
})

const round = (x: number) => Math.round(x * 10_000) / 10_000
