import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serverTypes } from '../../../api/promotions'
import { client, createHarness, type Harness } from '../../../api/testing/harness'
import { sales } from '../../sales/server/index'
import { startSales } from '../../sales/testing/server'
import { stockTtlMs } from './serving'

/** Serving an offer: deadlines and stock are judged on the server, so the next serve omits a unit that is over. */

let h: Harness
const browser =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'

beforeAll(async () => {
  // Sales as well (its promo codes count a flash sale's stock), whether or not the registry has it yet.
  h = await createHarness({}, { ...serverTypes, sales })
})
afterAll(() => h.close())

const admin = () => client(h.app, { secretKey: h.a.secretKey })

async function startOffer(config: Record<string, unknown>, secretKey = h.a.secretKey) {
  const as = client(h.app, { secretKey })
  const created = await as.post('/api/v1/campaigns', {
    name: 'Offer',
    type: 'offer_event',
    config: { kind: 'flash_sale', format: 'sticky_top', ...config },
    variants: [{ name: 'A', creative: { headline: 'Today only' } }],
  })
  expect(created.status, await created.clone().text()).toBe(201)
  const { id } = (await created.json()) as { id: string }
  expect((await as.post(`/api/v1/campaigns/${id}/activate`)).status).toBe(200)
  return id
}

type Served = {
  campaignId: string
  format: string
  deadline?: string
  remaining?: number
  visitorToken?: string
}

async function serve(anonymousId: string, site = h.a.publishableKey): Promise<Served[]> {
  const res = await client(h.app).post('/api/v1/serve', { site, anonymousId, slots: [] })
  expect(res.status).toBe(200)
  return ((await res.json()) as { decisions: Served[] }).decisions
}
const servedIds = async (anonymousId: string) => (await serve(anonymousId)).map((d) => d.campaignId)

async function archive(id: string) {
  expect((await admin().post(`/api/v1/campaigns/${id}/archive`)).status).toBe(200)
}

describe('a countdown to a fixed instant', () => {
  it('is served in its format until the instant, and the next serve after it omits the unit', async () => {
    const start = h.now.value
    // 23:59 in Paris on the day after the clock: an instant, whatever zone the server or visitor is in.
    const endsAt = new Date(start + 36 * 3_600_000).toISOString().replace('Z', '+00:00')
    const id = await startOffer({ countdown: { endsAt, endedText: 'Over' } })
    const [decision] = await serve('v-fixed')
    expect(decision).toMatchObject({ campaignId: id, format: 'sticky_top' })
    expect(decision!.deadline).toBeUndefined()
    h.now.value = Date.parse(endsAt) - 1_000
    expect(await servedIds('v-fixed')).toEqual([id])
    h.now.value = Date.parse(endsAt)
    expect(await servedIds('v-fixed')).toEqual([])
    expect(await servedIds('someone-else')).toEqual([])
    h.now.value = start
    await archive(id)
  })

  it('takes an offset other than UTC as the same instant', async () => {
    const start = h.now.value
    // 2026-11-29T12:00Z is 13:00 in Paris: 13:30+01:00 is half an hour later.
    const id = await startOffer({ countdown: { endsAt: '2026-11-29T13:30:00+01:00' } })
    expect(await servedIds('v-zone')).toEqual([id])
    h.now.value = Date.parse('2026-11-29T12:30:00Z')
    expect(await servedIds('v-zone')).toEqual([])
    h.now.value = start
    await archive(id)
  })
})

describe('an evergreen countdown', () => {
  it("runs from the visitor's first stored view, and stops serving that visitor only when it is over", async () => {
    const start = h.now.value
    const id = await startOffer({ countdown: { evergreenHours: 2 } })
    const [first] = await serve('v-ever')
    // No view stored yet: the deadline counts from now.
    expect(first).toMatchObject({ campaignId: id, deadline: new Date(start + 2 * 3_600_000).toISOString() })
    const campaign = (await (await admin().get(`/api/v1/campaigns/${id}`)).json()) as {
      variants: { id: string }[]
    }
    const sent = await h.app.request('/api/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': browser },
      body: JSON.stringify({
        site: h.a.publishableKey,
        batch: [
          {
            id: crypto.randomUUID(),
            name: 'impression',
            timestamp: new Date(start).toISOString(),
            anonymousId: 'v-ever',
            campaignId: id,
            variantId: campaign.variants[0]!.id,
          },
        ],
      }),
    })
    expect(sent.status).toBe(200)
    // An hour later the deadline is still the first view's, not moved by the later serve.
    h.now.value = start + 3_600_000
    const [later] = await serve('v-ever')
    expect(later).toMatchObject({ campaignId: id, deadline: new Date(start + 2 * 3_600_000).toISOString() })
    h.now.value = start + 2 * 3_600_000
    expect(await servedIds('v-ever')).toEqual([])
    // The admin's decision trace says why.
    const traced = await admin().post('/api/v1/serve?debug=1', {
      site: h.a.publishableKey,
      anonymousId: 'v-ever',
      slots: [],
    })
    const { trace } = (await traced.json()) as {
      trace: { campaignId: string; outcome: string; detail?: string }[]
    }
    expect(trace.find((entry) => entry.campaignId === id)).toMatchObject({
      outcome: 'skipped',
      detail: "the visitor's evergreen countdown is over",
    })
    // Someone seeing it for the first time now gets their own two hours.
    const [fresh] = await serve('v-new')
    expect(fresh).toMatchObject({
      campaignId: id,
      deadline: new Date(h.now.value + 2 * 3_600_000).toISOString(),
    })
    h.now.value = start
    await archive(id)
  })
})

describe('a flash sale with stock', () => {
  it('carries what remains, counted down by redemptions of its code, and is not served at 0', async () => {
    const start = h.now.value
    const sale = await startSales(h.app, h.a)
    const made = await admin().post(`/api/v1/campaigns/${sale.campaignId}/promo-codes`, { code: 'flash5' })
    expect(made.status).toBe(201)
    const id = await startOffer({
      countdown: { endsAt: '2026-12-31T23:00:00+01:00' },
      offer: { promoCode: 'FLASH5', stock: { total: 2 } },
    })
    const offer = async (anonymousId: string) => (await serve(anonymousId)).find((d) => d.campaignId === id)
    expect((await offer('v-stock'))?.remaining).toBe(2)
    const redeem = (orderId: string) =>
      admin().post('/api/v1/promo-codes/redeem', { code: 'Flash5', orderId, orderValue: 40, currency: 'EUR' })
    expect((await redeem('o-1')).status).toBe(200)
    h.now.value += stockTtlMs
    expect((await offer('v-stock'))?.remaining).toBe(1)
    expect((await redeem('o-2')).status).toBe(200)
    h.now.value += stockTtlMs
    expect(await offer('v-stock')).toBeUndefined()
    // A cancelled order gives its unit back.
    expect((await admin().post('/api/v1/promo-codes/release', { orderId: 'o-2' })).status).toBe(200)
    h.now.value += stockTtlMs
    expect((await offer('v-stock'))?.remaining).toBe(1)
    h.now.value = start
    await archive(id)
  })

  it("counts only this site's code of that name", async () => {
    const sale = await startSales(h.app, h.b)
    const other = client(h.app, { secretKey: h.b.secretKey })
    expect(
      (await other.post(`/api/v1/campaigns/${sale.campaignId}/promo-codes`, { code: 'SOLO' })).status,
    ).toBe(201)
    expect(
      (
        await other.post('/api/v1/promo-codes/redeem', {
          code: 'SOLO',
          orderId: 'b-1',
          orderValue: 10,
          currency: 'EUR',
        })
      ).status,
    ).toBe(200)
    const id = await startOffer({
      countdown: { evergreenHours: 1 },
      offer: { promoCode: 'SOLO', stock: { total: 1 } },
    })
    h.now.value += stockTtlMs
    const decision = (await serve('v-site')).find((d) => d.campaignId === id)
    expect(decision?.remaining).toBe(1)
    await archive(id)
  })
})

describe("an event's seats", () => {
  it('carries the seats left, which an RSVP takes', async () => {
    const created = await admin().post('/api/v1/campaigns', {
      name: 'Meetup',
      type: 'offer_event',
      config: {
        kind: 'event',
        format: 'sticky_bottom',
        event: { startsAt: '2026-12-20T18:00:00+01:00', isVirtual: true, capacity: 3 },
      },
      variants: [{ name: 'A', creative: { headline: 'Join us' } }],
    })
    const { id } = (await created.json()) as { id: string }
    expect((await admin().post(`/api/v1/campaigns/${id}/activate`)).status).toBe(200)
    const seats = async () =>
      (await serve('v-seat')).find((d) => d.campaignId === id) as { seatsLeft?: number }
    expect((await seats()).seatsLeft).toBe(3)
    const rsvp = await client(h.app).post('/api/v1/rsvps', {
      site: h.a.publishableKey,
      campaignId: id,
      email: 'seat@example.com',
    })
    expect(rsvp.status).toBe(201)
    h.now.value += stockTtlMs
    expect((await seats()).seatsLeft).toBe(2)
    // Once the event has started (it gives no end), its card is no longer served.
    const start = h.now.value
    h.now.value = Date.parse('2026-12-20T17:00:00Z')
    expect(await seats()).toBeUndefined()
    h.now.value = start
    await archive(id)
  })
})

describe('the config', () => {
  it('refuses a countdown with both kinds or neither, and stock without a code, at their field', async () => {
    const bad = [
      [{ countdown: { endsAt: '2026-12-01T00:00:00Z', evergreenHours: 3 } }, 'config.countdown.endsAt'],
      [{ countdown: {} }, 'config.countdown.endsAt'],
      [{ countdown: { evergreenHours: 0 } }, 'config.countdown.evergreenHours'],
      [{ countdown: { evergreenHours: 1 }, offer: { stock: { total: 5 } } }, 'config.offer.stock'],
      [
        { countdown: { evergreenHours: 1 }, offer: { promoCode: 'X', stock: { total: -1 } } },
        'config.offer.stock.total',
      ],
    ] as const
    for (const [config, path] of bad) {
      const res = await admin().post('/api/v1/campaigns', {
        name: 'Bad',
        type: 'offer_event',
        config,
        variants: [{ name: 'A', creative: { headline: 'x' } }],
      })
      expect(res.status, JSON.stringify(config)).toBe(400)
      const body = (await res.json()) as { error: { details: { path: string }[] } }
      expect(
        body.error.details.map((d) => d.path),
        JSON.stringify(config),
      ).toContain(path)
    }
  })
})
