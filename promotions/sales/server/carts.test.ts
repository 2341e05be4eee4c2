import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rowsOf } from '../../../api/ports/database'
import { testDatabase } from '../../../api/testing/database'
import { client } from '../../../api/testing/harness'
import type { SalesDecision } from '../decision'
import { salesHarness, startSales } from '../testing/server'
import { applyToCart, type CartState } from './carts'
import { salesPersonalData } from './personal-data'

let h: Awaited<ReturnType<typeof salesHarness>>
beforeAll(async () => {
  h = await salesHarness(await testDatabase())
}, 60_000)
afterAll(() => h.close())

const browser =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'
const asA = () => client(h.app, { secretKey: h.a.secretKey })
const count = async (query: ReturnType<typeof sql>) =>
  Number(rowsOf<{ n: number | string }>(await h.app.services.db.execute(query))[0]!.n)

let clock = 0
const event = (name: string, anonymousId: string, extra: Record<string, unknown> = {}) => ({
  id: crypto.randomUUID(),
  name,
  timestamp: new Date(h.now.value + ++clock).toISOString(),
  anonymousId,
  sessionId: 'session-1',
  url: 'https://a.example/shop',
  ...extra,
})
const send = async (batch: unknown[], site = h.a.publishableKey) => {
  const res = await h.app.request('/api/v1/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': browser },
    body: JSON.stringify({ site, batch }),
  })
  expect(res.status).toBe(200)
  return (await res.json()) as {
    accepted: number
    duplicates: number
    rejected: { index: number; error: { details: { path: string }[] } }[]
  }
}
const contents = (...lines: [string, number, number?][]) =>
  lines.map(([id, quantity, item_price]) =>
    item_price === undefined ? { id, quantity } : { id, quantity, item_price },
  )
const cartRow = async (anonymousId: string, siteId = h.a.siteId) =>
  rowsOf<{ lines: { id: string; quantity: number; price?: number }[]; session_id: string }>(
    await h.app.services.db.execute(
      sql`select lines, session_id from carts where site_id = ${siteId} and anonymous_id = ${anonymousId}`,
    ),
  )[0]
const serve = async (anonymousId: string, sessionId?: string) => {
  const res = await h.app.request('/api/v1/serve', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': browser },
    body: JSON.stringify({
      site: h.a.publishableKey,
      slots: ['home-hero'],
      anonymousId,
      ...(sessionId ? { sessionId } : {}),
      context: { url: 'https://a.example/' },
    }),
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as { decisions: SalesDecision[] }).decisions
}

describe('a cart from a sequence of events', () => {
  const at = (name: string, lines: ReturnType<typeof contents>, ms: number) =>
    ({
      name,
      anonymousId: 'v',
      sessionId: 's',
      timestamp: new Date(ms),
      props: { contents: lines },
      currency: 'EUR',
    }) as never
  it('adds up lines, takes removals off, and a purchase closes it', () => {
    let cart: CartState | undefined
    cart = applyToCart(cart, at('AddToCart', contents(['A', 2, 10]), 1))
    cart = applyToCart(cart, at('AddToCart', contents(['A', 1, 12], ['B', 1]), 2))
    expect(cart!.lines).toEqual([
      { id: 'A', quantity: 3, price: 12 },
      { id: 'B', quantity: 1 },
    ])
    cart = applyToCart(cart, at('RemoveFromCart', contents(['A', 1], ['B', 5], ['C', 1]), 3))
    expect(cart!.lines).toEqual([{ id: 'A', quantity: 2, price: 12 }])
    expect(cart).toMatchObject({ currency: 'EUR', sessionId: 's', changedAt: 3 })
    expect(applyToCart(cart, at('Purchase', contents(['A', 2]), 4))).toBeUndefined()
  })
})

describe('commerce events from the page', () => {
  it('stores contents, derives the cart exactly once, and a purchase empties it', async () => {
    const add = event('AddToCart', 'cart-1', {
      props: { contents: contents(['SKU1', 2, 10]) },
      value: 20,
      currency: 'EUR',
    })
    expect(await send([add])).toMatchObject({ accepted: 1, rejected: [] })
    // The same event again (a retried batch) changes nothing.
    expect(await send([add])).toMatchObject({ accepted: 0, duplicates: 1 })
    await send([event('AddToCart', 'cart-1', { props: { contents: contents(['SKU2', 1, 5]) } })])
    expect((await cartRow('cart-1'))!.lines).toEqual([
      { id: 'SKU1', quantity: 2, price: 10 },
      { id: 'SKU2', quantity: 1, price: 5 },
    ])
    await send([event('RemoveFromCart', 'cart-1', { props: { contents: contents(['SKU1', 1]) } })])
    expect((await cartRow('cart-1'))!.lines[0]).toEqual({ id: 'SKU1', quantity: 1, price: 10 })
    await send([
      event('Purchase', 'cart-1', { props: { contents: contents(['SKU1', 1], ['SKU2', 1]) }, value: 15 }),
    ])
    expect(await cartRow('cart-1')).toBeUndefined()
  })

  it('keeps every line when one visitor’s batches race (no cart yet, then one)', async () => {
    // Two writes for one visitor already wait on each other at the profile row; the cart's own lock holds without it.
    const adds = Array.from({ length: 20 }, (_, i) =>
      event('AddToCart', 'racer', { props: { contents: contents([`R${i}`, 1, 1]) } }),
    )
    await Promise.all(adds.map((add) => send([add])))
    expect((await cartRow('racer'))!.lines).toHaveLength(20)
    await Promise.all(adds.map((add) => send([{ ...add, id: crypto.randomUUID() }])))
    expect((await cartRow('racer'))!.lines.every((line) => line.quantity === 2)).toBe(true)
  })

  it('refuses bad contents at their field path and stores nothing of that event', async () => {
    const before = await count(sql`select count(*) as n from events where site_id = ${h.a.siteId}`)
    const bad = [
      event('AddToCart', 'bad-1', { props: { contents: contents(['SKU1', -1]) } }),
      event('AddToCart', 'bad-1', { props: { contents: [{ id: 'SKU1', quantity: 1, item_price: '10' }] } }),
      event('AddToCart', 'bad-1', {
        props: { contents: Array.from({ length: 51 }, (_, i) => ({ id: `S${i}`, quantity: 1 })) },
      }),
      event('AddToCart', 'bad-1', { props: { contents: [{ id: 'x'.repeat(101), quantity: 1 }] } }),
      event('AddToCart', 'bad-1', { props: { contents: [{ id: 'SKU1', quantity: 1.5 }] } }),
      event('AddToCart', 'bad-1', { props: { contents: [{ id: 'SKU1', quantity: 1, extra: 1 }] } }),
      event('AddToCart', 'bad-1', { props: { lines: [1, 2] } }),
      event('AddToCart', 'bad-1', { props: { contents: 'SKU1' } }),
    ]
    const res = await send(bad)
    expect(res.accepted).toBe(0)
    expect(res.rejected.map((r) => [r.index, r.error.details[0]!.path])).toEqual([
      [0, 'props.contents.0.quantity'],
      [1, 'props.contents.0.item_price'],
      [2, 'props.contents'],
      [3, 'props.contents.0.id'],
      [4, 'props.contents.0.quantity'],
      [5, 'props.contents.0'],
      [6, 'props.lines'],
      [7, 'props.contents'],
    ])
    expect(await count(sql`select count(*) as n from events where site_id = ${h.a.siteId}`)).toBe(before)
    expect(await cartRow('bad-1')).toBeUndefined()
  })
})

describe('the sales filler', () => {
  it('serves a cart reminder only to a returning visitor with a cart, naming the catalog products', async () => {
    const { campaignId } = await startSales(h.app, h.a, { nudge: 'cart_reminder' })
    expect(
      (
        await asA().send('PUT', '/api/v1/products', {
          products: [
            {
              id: 'SCARF',
              title: 'Wool scarf',
              url: 'https://a.example/p/scarf',
              price: 25,
              currency: 'EUR',
            },
            {
              id: 'HAT',
              title: 'Knit hat',
              url: 'https://a.example/p/hat',
              imageUrl: 'https://a.example/hat.jpg',
            },
          ],
        })
      ).status,
    ).toBe(200)
    await send([
      event('AddToCart', 'returning', {
        sessionId: 'first',
        props: { contents: contents(['SCARF', 1, 25], ['HAT', 2, 10]) },
        currency: 'EUR',
      }),
    ])
    // Still in the session that filled the cart: no reminder.
    expect((await serve('returning', 'first')).find((d) => d.campaignId === campaignId)).toBeUndefined()
    // Back in a later session: the reminder, with the cart's lines named from the catalog.
    const decision = (await serve('returning', 'second')).find((d) => d.campaignId === campaignId)
    expect(decision?.sales?.cart).toMatchObject({
      abandoned: true,
      value: 45,
      currency: 'EUR',
      items: [
        { id: 'SCARF', quantity: 1, price: 25, title: 'Wool scarf', url: 'https://a.example/p/scarf' },
        { id: 'HAT', quantity: 2, price: 10, title: 'Knit hat', imageUrl: 'https://a.example/hat.jpg' },
      ],
    })
    // A visitor without a cart never gets it.
    expect((await serve('stranger', 'x')).find((d) => d.campaignId === campaignId)).toBeUndefined()
    // Bought: the cart is gone and so is the reminder.
    await send([
      event('Purchase', 'returning', { sessionId: 'second', props: { contents: contents(['SCARF', 1]) } }),
    ])
    expect((await serve('returning', 'third')).find((d) => d.campaignId === campaignId)).toBeUndefined()
    await asA().post(`/api/v1/campaigns/${campaignId}/archive`)
  })

  it('shows catalog products with signed click URLs and social proof only at its minimum', async () => {
    const { campaignId } = await startSales(h.app, h.a, {
      nudge: 'product_promo',
      productIds: ['MUG', 'CUP'],
      socialProof: { minimum: 3, windowHours: 24 },
    })
    await asA().send('PUT', '/api/v1/products', {
      products: [
        { id: 'MUG', title: 'Mug', url: 'https://a.example/p/mug', price: 8 },
        { id: 'CUP', title: 'Cup', url: 'https://a.example/p/cup', price: 6 },
      ],
    })
    for (const buyer of ['b1', 'b2', 'b3']) {
      await send([event('Purchase', buyer, { props: { contents: contents(['MUG', 1], ['CUP', 1]) } })])
    }
    // Two purchases of the cup only, one of them listing it twice: each purchase counts once.
    await send([event('Purchase', 'b4', { props: { contents: contents(['MUG', 1]) } })])
    const decision = (await serve('shopper', 's')).find((d) => d.campaignId === campaignId)
    expect(decision?.sales?.products.map((p) => [p.id, p.bought])).toEqual([
      ['MUG', 4],
      ['CUP', 3],
    ])
    expect(decision?.sales?.products[0]?.clickUrl).toMatch(/\/r\/[\w.-]+\?a=shopper&/)
    // The click URL leads to the product.
    const click = await h.app.request(
      new URL(decision!.sales!.products[0]!.clickUrl!).pathname +
        new URL(decision!.sales!.products[0]!.clickUrl!).search,
      { headers: { 'user-agent': browser } },
    )
    expect(click.status).toBe(302)
    expect(click.headers.get('location')).toMatch(/^https:\/\/a.example\/p\/mug\?utm_id=/)
    // The config the browser gets leaves out the catalog selection and the codes after the first.
    expect(decision?.config).not.toHaveProperty('productIds')
    await asA().post(`/api/v1/campaigns/${campaignId}/archive`)
    // Below the minimum, no number at all.
    const other = await startSales(h.app, h.a, {
      productIds: ['CUP'],
      socialProof: { minimum: 10, windowHours: 24 },
    })
    const hidden = (await serve('shopper-2', 's')).find((d) => d.campaignId === other.campaignId)
    expect(hidden?.sales?.products).toEqual([expect.not.objectContaining({ bought: expect.anything() })])
    await asA().post(`/api/v1/campaigns/${other.campaignId}/archive`)
  })

  it('serves free shipping only below the threshold, and the bar reads the cart', async () => {
    const { campaignId } = await startSales(h.app, h.a, { nudge: 'free_shipping', freeShippingThreshold: 50 })
    await send([event('AddToCart', 'ship', { props: { contents: contents(['MUG', 2, 8]) } })])
    const served = await serve('ship', 'session-1')
    const first = served.find((d) => d.campaignId === campaignId)
    expect(served.map((d) => [d.campaignId, d.config])).toEqual([[campaignId, expect.anything()]])
    expect(first?.sales?.cart?.value).toBe(16)
    await send([event('AddToCart', 'ship', { props: { contents: contents(['SCARF', 2, 25]) } })])
    expect((await serve('ship', 'session-1')).find((d) => d.campaignId === campaignId)).toBeUndefined()
    await asA().post(`/api/v1/campaigns/${campaignId}/archive`)
  })
})

describe('personal data', () => {
  it('exports, erases and sweeps a visitor’s cart; another site’s events never reach this site’s carts', async () => {
    await send(
      [event('AddToCart', 'private', { props: { contents: contents(['SKU9', 1]) } })],
      h.b.publishableKey,
    )
    expect(await cartRow('private')).toBeUndefined()
    expect(await cartRow('private', h.b.siteId)).toBeDefined()
    const visitor = { siteId: h.b.siteId, anonymousId: 'private' }
    const exported = (await salesPersonalData.export(h.app.services.db, visitor)) as { carts: unknown[] }
    expect(exported.carts).toEqual([expect.objectContaining({ lines: [{ id: 'SKU9', quantity: 1 }] })])
    await h.app.services.db.transaction((tx) => salesPersonalData.erase(tx, visitor, 'erased-x'))
    expect(await cartRow('private', h.b.siteId)).toBeUndefined()
    await send(
      [event('AddToCart', 'old', { props: { contents: contents(['SKU9', 1]) } })],
      h.b.publishableKey,
    )
    const later = new Date(h.now.value + 86_400_000).toISOString()
    expect(await salesPersonalData.sweep!(h.app.services.db, h.b.siteId, later, 100)).toBeGreaterThanOrEqual(
      1,
    )
    expect(await cartRow('old', h.b.siteId)).toBeUndefined()
  })
})
