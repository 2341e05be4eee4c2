import { and, count, eq, isNull } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as api from '../../../schema/api'
import { campaignAudienceKey } from '../../../schema/audiences'
import { audienceMemberships, visitorProfiles, webhookDeliveries } from '../../../schema/db'
import { audienceTestTypes } from '../../testing/audiences'
import { awarenessCampaign, client, createHarness, type Harness, readJson } from '../../testing/harness'
import { refreshAudiences } from './refresh'

let h: Harness
const dayMs = 86_400_000
const admin = () => client(h.app, { secretKey: h.a.secretKey })

let slots = 0
async function remarketing(name: string, config: Record<string, unknown>) {
  const created = await readJson(
    await admin().post(
      '/api/v1/campaigns',
      awarenessCampaign({
        name,
        type: 'remarketing',
        // A slot of its own: page-level popups of the tests' campaigns would compete for the page's one place.
        placements: [`refresh-${++slots}`],
        // Nobody held back (a new remarketing campaign holds back 10%), so every member is served it.
        experiment: { holdoutPercent: 0 },
        config: { format: 'inline', ...config },
      }),
    ),
    api.campaign,
  )
  expect((await admin().post(`/api/v1/campaigns/${created.id}/activate`)).status).toBe(200)
  return created
}

const event = (name: string, anonymousId: string, extra: Record<string, unknown> = {}) => ({
  id: crypto.randomUUID(),
  name,
  timestamp: new Date(h.now.value).toISOString(),
  anonymousId,
  sessionId: `s-${anonymousId}`,
  ...extra,
})

async function send(...batch: Record<string, unknown>[]) {
  const res = await client(h.app).post('/api/v1/events', { site: h.a.publishableKey, batch })
  expect(res.status).toBeLessThan(300)
}

const addToCart = (visitor: string, price = 20) =>
  event('AddToCart', visitor, {
    value: price,
    currency: 'EUR',
    props: { contents: [{ id: 'SKU-1', quantity: 1, item_price: price }] },
  })

async function members(key: string) {
  const rows = await h.database.db
    .select({ id: audienceMemberships.anonymousId })
    .from(audienceMemberships)
    .where(and(eq(audienceMemberships.audienceKey, key), isNull(audienceMemberships.exitedAt)))
  return rows.map((row) => row.id).sort()
}

async function rowCount() {
  const [row] = await h.database.db.select({ n: count() }).from(audienceMemberships)
  return row!.n
}

/** The campaigns served to the visitor in the campaign's own slot. */
async function served(visitor: string, campaign: { placements: string[] }) {
  const res = await client(h.app).post('/api/v1/serve', {
    site: h.a.publishableKey,
    anonymousId: visitor,
    slots: campaign.placements,
    context: { url: `${h.a.origin}/` },
  })
  const body = (await res.json()) as { decisions: { campaignId: string }[] }
  return body.decisions.map((decision) => decision.campaignId)
}

beforeAll(async () => {
  h = await createHarness({}, audienceTestTypes)
})
afterAll(() => h.close())

describe('cart abandoners', () => {
  it('admits a visitor who adds to the cart and leaves, serves them, and lets a purchase end it at once', async () => {
    const campaign = await remarketing('Cart reminder', {
      audience: { kind: 'cart_abandoners', lookbackDays: 7, minCartValue: 10 },
    })
    const key = campaignAudienceKey(campaign.id)
    await send(event('page', 'shopper'), addToCart('shopper'))
    await send(event('page', 'cheap'), addToCart('cheap', 5))
    await send(event('page', 'browser'))
    h.now.value += 3_600_000
    await refreshAudiences(h.app.services)
    expect(await members(key)).toEqual(['shopper'])
    const [profile] = await h.database.db
      .select({ segments: visitorProfiles.segments })
      .from(visitorProfiles)
      .where(eq(visitorProfiles.anonymousId, 'shopper'))
    expect(profile!.segments).toContain(key)
    expect(await served('shopper', campaign)).toContain(campaign.id)
    expect(await served('browser', campaign)).not.toContain(campaign.id)

    await send(event('Purchase', 'shopper', { value: 20, currency: 'EUR' }))
    expect(await members(key)).toEqual([])
    expect(await served('shopper', campaign)).not.toContain(campaign.id)
  })

  it('lets a purchase the shop’s server sends end it at once too', async () => {
    const campaign = await remarketing('Server buyers', {
      audience: { kind: 'cart_abandoners' },
      exclude: { convertedWithinDays: 30, segments: [] },
    })
    const key = campaignAudienceKey(campaign.id)
    await send(event('identify', 'known', { userId: 'user-known' }), addToCart('known'))
    expect(await members(key)).toContain('known')
    expect(await served('known', campaign)).toContain(campaign.id)
    const res = await admin().post('/api/v1/conversions', {
      data: [
        {
          event_name: 'Purchase',
          event_time: Math.floor(h.now.value / 1000) - 5,
          event_id: 'order-known-1',
          action_source: 'website',
          user_data: { external_id: 'user-known' },
          custom_data: { value: 20, currency: 'EUR' },
        },
      ],
    })
    expect(res.status).toBe(200)
    expect(await members(key)).not.toContain('known')
    expect(await served('known', campaign)).not.toContain(campaign.id)
  })

  it('lets the lookback slide past a cart without any new event', async () => {
    const campaign = await remarketing('Short reminder', {
      audience: { kind: 'cart_abandoners', lookbackDays: 2 },
    })
    const key = campaignAudienceKey(campaign.id)
    await send(addToCart('slow'))
    await refreshAudiences(h.app.services)
    expect(await members(key)).toContain('slow')
    h.now.value += 3 * dayMs
    await refreshAudiences(h.app.services)
    expect(await members(key)).not.toContain('slow')
  })
})

describe('lapsed visitors', () => {
  it('gains a visitor 31 days on with no new event, and a second run changes nothing', async () => {
    const campaign = await remarketing('Come back', {
      audience: { kind: 'lapsed', inactiveDays: 30 },
      exclude: { segments: [] },
    })
    const key = campaignAudienceKey(campaign.id)
    const hook = await admin().post('/api/v1/webhooks', {
      url: 'https://hooks.example/promo',
      events: ['audience.changed'],
    })
    expect(hook.status).toBe(201)
    await send(event('page', 'regular'))
    await refreshAudiences(h.app.services)
    expect(await members(key)).not.toContain('regular')

    h.now.value += 31 * dayMs
    const first = await refreshAudiences(h.app.services)
    expect(first.entered).toBeGreaterThan(0)
    expect(await members(key)).toContain('regular')
    const deliveries = await h.database.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.event, 'audience.changed'))
    const mine = deliveries.filter(
      (d) => (d.payload.data as { audience: { key: string } }).audience.key === key,
    )
    expect(mine).toHaveLength(1)
    expect(mine[0]!.payload.data).toMatchObject({
      audience: { key, campaignId: campaign.id },
      entered: expect.arrayContaining([{ anonymousId: 'regular', at: new Date(h.now.value).toISOString() }]),
    })

    const rows = await rowCount()
    const again = await refreshAudiences(h.app.services)
    expect(again).toEqual({ audiences: 0, entered: 0, exited: 0, deliveries: 0 })
    expect(await rowCount()).toBe(rows)
    const later = await h.database.db.select().from(webhookDeliveries)
    expect(later).toHaveLength(deliveries.length)

    // A minute on, nothing crossed: the incremental run writes nothing either.
    h.now.value += 60_000
    const next = await refreshAudiences(h.app.services)
    expect({ entered: next.entered, exited: next.exited, deliveries: next.deliveries }).toEqual({
      entered: 0,
      exited: 0,
      deliveries: 0,
    })
    expect(await rowCount()).toBe(rows)

    // Coming back is an event: ingest takes the visitor out at once.
    await send(event('page', 'regular'))
    expect(await members(key)).not.toContain('regular')
  })
})

describe('saved audiences', () => {
  it('keeps a saved audience over time and drops a paused campaign’s members', async () => {
    const saved = await admin().post('/api/v1/audiences', {
      key: 'carted_recently',
      name: 'Carted recently',
      rule: { field: 'event', name: 'AddToCart', op: 'gte', count: 1 },
      lookbackDays: 1,
    })
    expect(saved.status).toBe(201)
    await send(addToCart('saver'))
    await refreshAudiences(h.app.services)
    expect(await members('carted_recently')).toContain('saver')
    h.now.value += 2 * dayMs
    await refreshAudiences(h.app.services)
    expect(await members('carted_recently')).not.toContain('saver')
    const [profile] = await h.database.db
      .select({ segments: visitorProfiles.segments })
      .from(visitorProfiles)
      .where(eq(visitorProfiles.anonymousId, 'saver'))
    expect(profile!.segments).not.toContain('carted_recently')
  })

  it('empties a campaign audience once its campaign is paused', async () => {
    const campaign = await remarketing('Paused later', { audience: { kind: 'cart_abandoners' } })
    const key = campaignAudienceKey(campaign.id)
    await send(addToCart('pausable'))
    expect(await members(key)).toEqual(['pausable'])
    expect((await admin().post(`/api/v1/campaigns/${campaign.id}/pause`)).status).toBe(200)
    await refreshAudiences(h.app.services)
    expect(await members(key)).toEqual([])
  })
})

describe('two processes at once', () => {
  it('admit each member once and report each change once', async () => {
    const campaign = await remarketing('Twin runs', { audience: { kind: 'lapsed', inactiveDays: 10 } })
    const key = campaignAudienceKey(campaign.id)
    await send(event('page', 'twin'))
    await refreshAudiences(h.app.services)
    const reported = async () =>
      (
        await h.database.db
          .select()
          .from(webhookDeliveries)
          .where(eq(webhookDeliveries.event, 'audience.changed'))
      )
        .filter((d) => (d.payload.data as { audience: { key: string } }).audience.key === key)
        .flatMap((d) => (d.payload.data as { entered: { anonymousId: string }[] }).entered)
        .map((change) => change.anonymousId)
    expect(await reported()).not.toContain('twin')
    h.now.value += 11 * dayMs
    const [one, two] = await Promise.all([refreshAudiences(h.app.services), refreshAudiences(h.app.services)])
    expect(await members(key)).toContain('twin')
    const [open] = await h.database.db
      .select({ n: count() })
      .from(audienceMemberships)
      .where(and(eq(audienceMemberships.audienceKey, key), eq(audienceMemberships.anonymousId, 'twin')))
    expect(open!.n).toBe(1)
    // Each audience is refreshed by one of the two; the other finds it done at this time already.
    expect(one.entered + two.entered).toBeGreaterThan(0)
    const everyone = await members(key)
    expect(new Set(everyone).size).toBe(everyone.length)
    expect((await reported()).filter((id) => id === 'twin')).toHaveLength(1)
  })
})
