import { and, eq, inArray } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { attributionModels } from '../../schema/attribution'
import { attributions, events } from '../../schema/db'
import { awarenessCampaign, client, createHarness, type Harness, type Tenant } from '../testing/harness'

let h: Harness
const hourMs = 3_600_000
const dayMs = 24 * hourMs
/** Clicks and page events count only from a person's browser, never from a script or a crawler. */
const browser =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'
const admin = (tenant: Tenant = h.a) => client(h.app, { secretKey: tenant.secretKey })

async function activeCampaign(name: string, slot: string, tenant: Tenant = h.a) {
  const res = await admin(tenant).post('/api/v1/campaigns', awarenessCampaign({ name, placements: [slot] }))
  expect(res.status).toBe(201)
  const created = (await res.json()) as any
  expect((await admin(tenant).post(`/api/v1/campaigns/${created.id}/activate`)).status).toBe(200)
  return { id: created.id as string, variantId: created.variants[0].id as string }
}

/** Serves the slot to the visitor and follows its click URL at the harness's current time; the click's id. */
async function clickThrough(visitor: string, slot: string, tenant: Tenant = h.a) {
  const served = (await (
    await client(h.app).post('/api/v1/serve', {
      site: tenant.publishableKey,
      anonymousId: visitor,
      slots: [slot],
    })
  ).json()) as any
  const decision = served.decisions.find((d: any) => d.slot === slot)
  const url = new URL(decision.clickUrl)
  const res = await h.app.request(url.pathname + url.search, { headers: { 'user-agent': browser } })
  expect(res.status).toBe(302)
  const [click] = await h.database.db
    .select({ id: events.id })
    .from(events)
    .where(
      and(
        eq(events.anonymousId, visitor),
        eq(events.name, 'click'),
        eq(events.campaignId, decision.campaignId),
      ),
    )
  return click!.id
}

interface Item {
  name: string
  at: number
  [field: string]: unknown
}

const item = ({ at, ...rest }: Item) => ({
  id: crypto.randomUUID(),
  timestamp: new Date(at).toISOString(),
  ...rest,
})

async function postEvents(batch: Record<string, unknown>[], tenant: Tenant = h.a) {
  const res = await h.app.request('/api/v1/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': browser },
    body: JSON.stringify({ site: tenant.publishableKey, batch }),
  })
  expect(res.status).toBe(200)
  return (await res.json()) as any
}

const creditsOf = (conversionId: string) =>
  h.database.db.select().from(attributions).where(eq(attributions.conversionId, conversionId))

async function analytics(campaignId: string, query = '') {
  const res = await admin().get(`/api/v1/campaigns/${campaignId}/analytics${query}`)
  expect(res.status).toBe(200)
  return (await res.json()) as any
}

let x: Awaited<ReturnType<typeof activeCampaign>>
let y: Awaited<ReturnType<typeof activeCampaign>>
beforeAll(async () => {
  h = await createHarness()
  x = await activeCampaign('X', 'slot-x')
  y = await activeCampaign('Y', 'slot-y')
})
afterAll(() => h.close())

describe('credit stored per conversion, read by model', () => {
  const now = () => h.now.value
  let purchaseBatch: Record<string, unknown>[]
  let purchaseId: string
  let clickX: string
  let clickY: string

  it('credits a Purchase to the clicks before it under all five models, and analytics reads each', async () => {
    const start = h.now.value
    h.now.value = start - 3 * dayMs
    clickX = await clickThrough('visitor-1', 'slot-x')
    h.now.value = start - dayMs
    clickY = await clickThrough('visitor-1', 'slot-y')
    h.now.value = start
    // A viewable impression of Y: a click explains the purchase, so the view earns nothing in any model.
    await postEvents([
      item({
        name: 'viewable',
        at: now() - hourMs,
        anonymousId: 'visitor-1',
        campaignId: y.id,
        variantId: y.variantId,
      }),
    ])
    const purchase = item({
      name: 'Purchase',
      at: now(),
      anonymousId: 'visitor-1',
      value: 100,
      currency: 'EUR',
    })
    purchaseBatch = [purchase]
    purchaseId = purchase.id
    expect((await postEvents(purchaseBatch)).accepted).toBe(1)

    // Time decay, half-life 7 days, ages 3 and 1 days: X weighs 2^(-2/7) against Y's 1.
    const decayX = 2 ** (-2 / 7) / (1 + 2 ** (-2 / 7))
    const expected: Record<string, [string, string, number][]> = {
      last_touch: [[clickY, y.id, 1]],
      first_touch: [[clickX, x.id, 1]],
      linear: [
        [clickX, x.id, 0.5],
        [clickY, y.id, 0.5],
      ],
      time_decay: [
        [clickX, x.id, decayX],
        [clickY, y.id, 1 - decayX],
      ],
      position_based: [
        [clickX, x.id, 0.5],
        [clickY, y.id, 0.5],
      ],
    }
    const rows = await creditsOf(purchaseId)
    expect(rows).toHaveLength(8)
    for (const model of attributionModels) {
      const ofModel = rows
        .filter((r) => r.model === model)
        .sort((a, b) => (a.campaignId === x.id ? -1 : b.campaignId === x.id ? 1 : 0))
      expect(ofModel.map((r) => [r.touchId, r.campaignId])).toEqual(expected[model]!.map(([t, c]) => [t, c]))
      ofModel.forEach((row, i) => {
        const weight = expected[model]![i]![2]
        expect(row.weight).toBeCloseTo(weight, 10)
        expect(row.value).toBeCloseTo(weight * 100, 8)
        expect(row).toMatchObject({
          siteId: h.a.siteId,
          variantId: row.campaignId === x.id ? x.variantId : y.variantId,
          conversionAt: new Date(now()),
        })
      })
    }

    const round4 = (n: number) => Math.round(n * 10_000) / 10_000
    const xWeight: Record<string, number> = {
      last_touch: 0,
      first_touch: 1,
      linear: 0.5,
      time_decay: decayX,
      position_based: 0.5,
    }
    for (const model of attributionModels) {
      const forX = await analytics(x.id, `?model=${model}`)
      expect(forX.model).toBe(model)
      expect(forX.totals).toMatchObject({
        clicks: 1,
        conversions: round4(xWeight[model]!),
        revenue: round4(xWeight[model]! * 100),
      })
      // No cost is set, so there is no ROAS or CPA to show.
      expect(forX.totals).toMatchObject({ roas: null, cpa: null })
      expect(forX.byVariant[0]).toMatchObject({
        variantId: x.variantId,
        clicks: 1,
        conversions: round4(xWeight[model]!),
        revenue: round4(xWeight[model]! * 100),
      })
      const forY = await analytics(y.id, `?model=${model}`)
      expect(forY.totals.conversions).toBeCloseTo(1 - xWeight[model]!, 4)
      expect(forY.totals.revenue).toBeCloseTo(100 * (1 - xWeight[model]!), 2)
    }
  })

  it('reads last touch when no model is named, and refuses an unknown one', async () => {
    const plain = await analytics(y.id)
    expect(plain).toMatchObject({ model: 'last_touch', totals: { conversions: 1, revenue: 100 } })
    const res = await admin().get(`/api/v1/campaigns/${y.id}/analytics?model=data_driven`)
    expect(res.status).toBe(400)
    const body = (await res.json()) as any
    expect(body.error.details.map((d: any) => d.path)).toContain('model')
  })

  it('counts only conversions inside the range, by conversion time', async () => {
    const startOfToday = new Date(Math.floor(h.now.value / 86_400_000) * 86_400_000).toISOString()
    const daily = await analytics(y.id, `?to=${encodeURIComponent(startOfToday)}`)
    expect(daily.totals).toMatchObject({ conversions: 0, revenue: 0 })
    const before = new Date(h.now.value - hourMs).toISOString()
    const hourly = await analytics(y.id, `?interval=hour&to=${encodeURIComponent(before)}`)
    expect(hourly.totals).toMatchObject({ conversions: 0, revenue: 0 })
    const through = await analytics(
      y.id,
      `?interval=hour&to=${encodeURIComponent(new Date(h.now.value + 1).toISOString())}`,
    )
    expect(through.totals).toMatchObject({ conversions: 1, revenue: 100 })
  })

  it('adds no credit when the same batch is posted again', async () => {
    const count = async () => (await h.database.db.select().from(attributions)).length
    const before = await count()
    await postEvents(purchaseBatch)
    expect(await count()).toBe(before)
    expect(await creditsOf(purchaseId)).toHaveLength(8)
  })
})

describe('eligibility through ingest', () => {
  it('credits a viewable impression in the same batch when no click explains the conversion', async () => {
    const at = h.now.value
    const view = item({
      name: 'viewable',
      at: at - 2 * hourMs,
      anonymousId: 'visitor-2',
      campaignId: x.id,
      variantId: x.variantId,
    })
    const lead = item({ name: 'Lead', at, anonymousId: 'visitor-2' })
    expect((await postEvents([view, lead])).accepted).toBe(2)
    const rows = await creditsOf(lead.id)
    expect(rows.map((r) => r.model).sort()).toEqual([...attributionModels].sort())
    for (const row of rows)
      expect(row).toMatchObject({ touchId: view.id, campaignId: x.id, weight: 1, value: 0 })
  })

  it('gives nothing for a click older than the 7-day click window', async () => {
    const start = h.now.value
    h.now.value = start - 7 * dayMs - hourMs
    await clickThrough('visitor-3', 'slot-x')
    h.now.value = start
    const purchase = item({
      name: 'Purchase',
      at: start,
      anonymousId: 'visitor-3',
      value: 20,
      currency: 'EUR',
    })
    expect((await postEvents([purchase])).accepted).toBe(1)
    expect(await creditsOf(purchase.id)).toEqual([])
  })

  it('never credits a touch that came after the conversion', async () => {
    const start = h.now.value
    const purchase = item({ name: 'Purchase', at: start - dayMs, anonymousId: 'visitor-5', value: 5 })
    await clickThrough('visitor-5', 'slot-x')
    expect((await postEvents([purchase])).accepted).toBe(1)
    expect(await creditsOf(purchase.id)).toEqual([])
  })
})

describe('server conversions', () => {
  it('credits a server Purchase of an identified visitor to its click, and nothing for an unknown user', async () => {
    const at = h.now.value
    await postEvents([
      item({ name: 'identify', at: at - 2 * hourMs, anonymousId: 'visitor-4', userId: 'user-4' }),
    ])
    h.now.value = at - hourMs
    const click = await clickThrough('visitor-4', 'slot-y')
    h.now.value = at
    const res = await admin().post('/api/v1/conversions', {
      data: [
        {
          event_name: 'Purchase',
          event_time: Math.floor(at / 1000) - 60,
          event_id: 'order-4',
          action_source: 'website',
          user_data: { external_id: 'user-4' },
          custom_data: { value: 30, currency: 'EUR' },
        },
        {
          event_name: 'Purchase',
          event_time: Math.floor(at / 1000) - 60,
          event_id: 'order-nobody',
          action_source: 'website',
          user_data: { external_id: 'never-seen' },
          custom_data: { value: 70, currency: 'EUR' },
        },
      ],
    })
    expect(res.status).toBe(200)
    expect(((await res.json()) as any).received).toBe(2)
    const stored = await h.database.db
      .select({ id: events.id, eventId: events.eventId })
      .from(events)
      .where(and(eq(events.source, 'server'), inArray(events.eventId, ['order-4', 'order-nobody'])))
    const credited = await creditsOf(stored.find((e) => e.eventId === 'order-4')!.id)
    expect(credited).toHaveLength(5)
    for (const row of credited)
      expect(row).toMatchObject({ touchId: click, campaignId: y.id, weight: 1, value: 30 })
    expect(await creditsOf(stored.find((e) => e.eventId === 'order-nobody')!.id)).toEqual([])
  })
})

describe('tenant isolation', () => {
  it("never credits site A's campaign for a conversion on site B, even from the same visitor id", async () => {
    const at = h.now.value
    h.now.value = at - hourMs
    await clickThrough('shared-visitor', 'slot-x')
    h.now.value = at
    const onB = item({ name: 'Purchase', at, anonymousId: 'shared-visitor', value: 500, currency: 'EUR' })
    expect((await postEvents([onB], h.b)).accepted).toBe(1)
    expect(await creditsOf(onB.id)).toEqual([])
    const onA = item({ name: 'Purchase', at, anonymousId: 'shared-visitor', value: 10, currency: 'EUR' })
    expect((await postEvents([onA])).accepted).toBe(1)
    expect((await creditsOf(onA.id)).every((r) => r.campaignId === x.id && r.siteId === h.a.siteId)).toBe(
      true,
    )
    expect(await creditsOf(onA.id)).toHaveLength(5)
  })
})
