import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabase } from '../../../api/testing/database'
import type { RemarketingDecision } from '../decision'
import { browser, putCatalog, remarketingHarness, startRemarketing } from '../testing/server'

let h: Awaited<ReturnType<typeof remarketingHarness>>
beforeAll(async () => {
  h = await remarketingHarness(await testDatabase())
  await putCatalog(h.app, h.a)
}, 60_000)
afterAll(() => h.close())

const dayMs = 86_400_000
/**
 * Each test's campaigns in a slot of their own (page-level popups would compete for the page's one interruptive
 * place), uncapped so a test can serve as often as it needs.
 */
let slots = 0
let slot = ''
async function start(config: Record<string, unknown> = {}) {
  slot = `reminder-${++slots}`
  return startRemarketing(
    h.app,
    h.a,
    { format: 'inline', ...config },
    {
      placements: [slot],
      frequency: { countOn: 'viewable' },
      // Nobody held back: every member is shown it.
      experiment: { holdoutPercent: 0 },
    },
  )
}

let clock = 0
const event = (name: string, anonymousId: string, extra: Record<string, unknown> = {}) => ({
  id: crypto.randomUUID(),
  name,
  timestamp: new Date(h.now.value - 60_000 + ++clock).toISOString(),
  anonymousId,
  sessionId: 'session-1',
  url: 'https://a.example/shop',
  ...extra,
})
const lines = (...ids: string[]) => ({ contents: ids.map((id) => ({ id, quantity: 1 })) })
async function send(batch: unknown[], site = h.a.publishableKey) {
  const res = await h.app.request('/api/v1/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': browser },
    body: JSON.stringify({ site, batch }),
  })
  expect(res.status).toBe(200)
  expect(((await res.json()) as { rejected: unknown[] }).rejected).toEqual([])
}
async function serve(anonymousId: string, site = h.a.publishableKey, shown = [slot]) {
  const res = await h.app.request('/api/v1/serve', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': browser },
    body: JSON.stringify({
      site,
      slots: shown,
      anonymousId,
      sessionId: 'session-2',
      context: { url: 'https://a.example/' },
    }),
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as { decisions: RemarketingDecision[] }).decisions
}
const ours = (decisions: RemarketingDecision[], campaignId: string) =>
  decisions.find((decision) => decision.campaignId === campaignId)

describe('the visitor’s own products', () => {
  it('shows what they viewed or left in the cart, newest first, capped, without unknown or sold-out products', async () => {
    const { campaignId } = await start({ maxProducts: 2 })
    await send([
      event('ViewContent', 'mine-1', { props: lines('SKU-4') }),
      event('ViewContent', 'mine-1', { props: lines('SKU-3') }),
      event('AddToCart', 'mine-1', { props: lines('SKU-1') }),
      event('ViewContent', 'mine-1', { props: lines('NOT-IN-CATALOG') }),
      event('ViewContent', 'mine-1', { props: lines('SKU-2') }),
      // Another visitor's products are not theirs.
      event('AddToCart', 'other-1', { props: lines('SKU-4') }),
    ])
    const decision = ours(await serve('mine-1'), campaignId)!
    expect(decision.remarketing?.step).toBe(1)
    expect(decision.remarketing?.products?.map((product) => product.id)).toEqual(['SKU-2', 'SKU-1'])
    expect(decision.remarketing?.products?.[1]).toMatchObject({
      title: 'Blue mug',
      url: 'https://a.example/p/1',
      imageUrl: 'https://a.example/1.jpg',
      price: 12,
      currency: 'EUR',
    })
    expect(decision.remarketing?.incentive).toEqual({
      type: 'percentage',
      value: 10,
      currency: 'USD',
      code: 'COMEBACK10',
    })
    // The audience and its exclusions stay on the server.
    expect(decision.config).not.toHaveProperty('audience')
    expect(decision.config).not.toHaveProperty('exclude')
  })

  it('leads each product through its own signed click URL to the product page', async () => {
    const { campaignId } = await start({})
    await send([event('AddToCart', 'clicker-1', { props: lines('SKU-2') })])
    const [product] = ours(await serve('clicker-1'), campaignId)!.remarketing!.products!
    const res = await h.app.request(
      new URL(product!.clickUrl!).pathname + new URL(product!.clickUrl!).search,
      {
        headers: { 'user-agent': browser },
      },
    )
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toMatch(/^https:\/\/a\.example\/p\/2/)
  })

  it('drops a cart product the visitor removed, and is not served with no product of theirs', async () => {
    const { campaignId } = await start({})
    await send([
      event('AddToCart', 'removed-1', { props: lines('SKU-1') }),
      event('RemoveFromCart', 'removed-1', { props: lines('SKU-1') }),
    ])
    expect(ours(await serve('removed-1'), campaignId)).toBeUndefined()
    expect(ours(await serve('nobody-1'), campaignId)).toBeUndefined()
  })

  it('serves a campaign without dynamic content with no products, and another site’s visitor nothing of it', async () => {
    const { campaignId } = await start({ dynamicContent: false })
    await send([event('AddToCart', 'plain-1', { props: lines('SKU-1') })])
    const decision = ours(await serve('plain-1'), campaignId)!
    expect(decision.remarketing).toEqual({
      step: 1,
      incentive: { type: 'percentage', value: 10, currency: 'USD', code: 'COMEBACK10' },
    })
    expect(ours(await serve('plain-1', h.b.publishableKey), campaignId)).toBeUndefined()
  })
})

describe('the sequence', () => {
  it('shows message 1, then message 2 once afterDays have passed since the first impression', async () => {
    const began = h.now.value
    const { campaignId, variantId } = await start({
      dynamicContent: false,
      sequence: { afterDays: 3, headline: 'Still there?', body: 'Your code ends soon.', ctaText: 'Use it' },
    })
    // Both left something in the cart: members of the audience.
    await send([
      event('AddToCart', 'seq-1', { props: lines('SKU-1') }),
      event('AddToCart', 'seq-2', { props: lines('SKU-1') }),
    ])
    try {
      expect(ours(await serve('seq-1'), campaignId)!.remarketing?.step).toBe(1)
      await send([event('impression', 'seq-1', { campaignId, variantId })])
      h.now.value = began + 3 * dayMs - 60_000
      expect(ours(await serve('seq-1'), campaignId)!.remarketing?.step).toBe(1)
      h.now.value = began + 3 * dayMs
      const second = ours(await serve('seq-1'), campaignId)!
      expect(second.remarketing).toMatchObject({
        step: 2,
        message: { headline: 'Still there?', body: 'Your code ends soon.', ctaText: 'Use it' },
      })
      // A visitor not shown message 1 yet starts at message 1 whatever the clock says.
      expect(ours(await serve('seq-2'), campaignId)!.remarketing?.step).toBe(1)
    } finally {
      h.now.value = began
    }
  })
})

describe('a visitor who converts', () => {
  it('is not served the reminder again once their purchase is stored', async () => {
    const { campaignId, variantId } = await start({})
    await send([event('AddToCart', 'buyer-1', { props: lines('SKU-1') })])
    expect(ours(await serve('buyer-1'), campaignId)).toBeDefined()
    await send([
      event('impression', 'buyer-1', { campaignId, variantId }),
      event('Purchase', 'buyer-1', { props: lines('SKU-1'), value: 12, currency: 'EUR' }),
    ])
    expect(ours(await serve('buyer-1'), campaignId)).toBeUndefined()
  })

  it('is not served after buying even before any impression, and a campaign without products neither', async () => {
    const plain = await start({ dynamicContent: false })
    const plainSlot = slot
    const dynamic = await start()
    const both = [slot, plainSlot]
    await send([event('AddToCart', 'buyer-2', { props: lines('SKU-2') })])
    const before = await serve('buyer-2', h.a.publishableKey, both)
    expect(ours(before, dynamic.campaignId)).toBeDefined()
    expect(ours(before, plain.campaignId)).toBeDefined()
    await send([event('Purchase', 'buyer-2', { props: lines('SKU-2'), value: 30, currency: 'EUR' })])
    const after = await serve('buyer-2', h.a.publishableKey, both)
    expect(ours(after, dynamic.campaignId)).toBeUndefined()
    expect(ours(after, plain.campaignId)).toBeUndefined()
  })

  it('a past buyers’ reminder still shows to a buyer until they convert after seeing it', async () => {
    const { campaignId, variantId } = await start({
      audience: { kind: 'past_buyers', lookbackDays: 180 },
      dynamicContent: false,
    })
    await send([event('Purchase', 'loyal-1', { props: lines('SKU-1'), value: 12, currency: 'EUR' })])
    expect(ours(await serve('loyal-1'), campaignId)).toBeDefined()
    await send([event('impression', 'loyal-1', { campaignId, variantId })])
    await send([event('Purchase', 'loyal-1', { props: lines('SKU-2'), value: 30, currency: 'EUR' })])
    expect(ours(await serve('loyal-1'), campaignId)).toBeUndefined()
  })
})
